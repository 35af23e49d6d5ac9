/** What the validator knows about one command. */
export interface CommandSpec {
  /** How its operands touch files. `none`: operands are not paths. */
  readonly access: "none" | "read" | "write";
  /** Runs under `filesystem: read` (its writing forms are listed in `writeFlags`). */
  readonly readOnly?: boolean;
  /** The first operand is a pattern or program, unless one of `patternFlags` supplied it. */
  readonly patternFirst?: boolean;
  /** Flags that supply the pattern/program (so the first operand is a path again). */
  readonly patternFlags?: readonly string[];
  /** Flags that make the command write: denied under `filesystem: read`. */
  readonly writeFlags?: readonly string[];
  /** Flags taking separate values that are not paths, with how many values. */
  readonly valueFlags?: Readonly<Record<string, number>>;
  /** Flags whose separate value is a path, with its access. */
  readonly pathFlags?: Readonly<Record<string, "read" | "write">>;
  /** More operands than this means the last one is written (uniq IN OUT). */
  readonly maxReadOperands?: number;
}

const RO: CommandSpec = { access: "read", readOnly: true };
const NOFILE: CommandSpec = { access: "none", readOnly: true };
const W: CommandSpec = { access: "write" };
const GREP_VALUES = {
  "-e": 1,
  "-m": 1,
  "-A": 1,
  "-B": 1,
  "-C": 1,
  "--regexp": 1,
  "--max-count": 1,
  "--context": 1,
  "--after-context": 1,
  "--before-context": 1,
  "--label": 1,
  "--color": 0,
};

/** Commands whose operands are known. Anything else is treated as a writer of every operand. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  ls: RO,
  cat: RO,
  nl: RO,
  tac: RO,
  rev: RO,
  od: RO,
  hexdump: RO,
  file: RO,
  realpath: RO,
  readlink: RO,
  md5sum: RO,
  sha1sum: RO,
  sha256sum: RO,
  sha512sum: RO,
  cksum: RO,
  b2sum: RO,
  wc: RO,
  cmp: RO,
  comm: RO,
  column: RO,
  fold: RO,
  expand: RO,
  unexpand: RO,
  paste: RO,
  strings: RO,
  less: { access: "read" },
  more: { access: "read" },
  head: { ...RO, valueFlags: { "-n": 1, "-c": 1, "--lines": 1, "--bytes": 1 } },
  tail: { ...RO, valueFlags: { "-n": 1, "-c": 1, "--lines": 1, "--bytes": 1, "-s": 1, "--pid": 1 } },
  grep: {
    ...RO,
    patternFirst: true,
    patternFlags: ["-e", "-f", "--regexp", "--file"],
    valueFlags: GREP_VALUES,
    pathFlags: { "-f": "read", "--file": "read" },
  },
  egrep: {
    ...RO,
    patternFirst: true,
    patternFlags: ["-e", "-f", "--regexp", "--file"],
    valueFlags: GREP_VALUES,
    pathFlags: { "-f": "read" },
  },
  fgrep: {
    ...RO,
    patternFirst: true,
    patternFlags: ["-e", "-f", "--regexp", "--file"],
    valueFlags: GREP_VALUES,
    pathFlags: { "-f": "read" },
  },
  rg: {
    ...RO,
    patternFirst: true,
    patternFlags: ["-e", "-f", "--regexp", "--file", "--files"],
    valueFlags: {
      ...GREP_VALUES,
      "-g": 1,
      "--glob": 1,
      "--iglob": 1,
      "-t": 1,
      "--type": 1,
      "-T": 1,
      "--type-not": 1,
      "-M": 1,
      "--max-columns": 1,
      "-d": 1,
      "--max-depth": 1,
      "-j": 1,
      "--threads": 1,
      "-r": 1,
      "--replace": 1,
    },
    pathFlags: { "-f": "read", "--file": "read" },
  },
  sort: {
    ...RO,
    writeFlags: ["-o", "--output"],
    valueFlags: {
      "-k": 1,
      "--key": 1,
      "-t": 1,
      "--field-separator": 1,
      "-S": 1,
      "--buffer-size": 1,
      "-T": 1,
      "--temporary-directory": 1,
    },
    pathFlags: { "-o": "write", "--output": "write" },
  },
  uniq: { ...RO, maxReadOperands: 1, valueFlags: { "-f": 1, "-s": 1, "-w": 1 } },
  xxd: { ...RO, maxReadOperands: 1, writeFlags: ["-r"], valueFlags: { "-c": 1, "-g": 1, "-l": 1, "-s": 1 } },
  cut: {
    ...RO,
    valueFlags: {
      "-d": 1,
      "-f": 1,
      "-c": 1,
      "-b": 1,
      "--delimiter": 1,
      "--fields": 1,
      "--output-delimiter": 1,
    },
  },
  diff: { ...RO, valueFlags: { "-U": 1, "-C": 1, "--label": 1, "-L": 1 } },
  stat: { ...RO, valueFlags: { "-c": 1, "--format": 1, "--printf": 1 } },
  du: { ...RO, valueFlags: { "-d": 1, "--max-depth": 1, "-B": 1, "--exclude": 1 } },
  df: RO,
  tree: {
    ...RO,
    writeFlags: ["-o"],
    valueFlags: { "-L": 1, "-I": 1, "-P": 1, "--charset": 1 },
    pathFlags: { "-o": "write" },
  },
  sed: {
    ...RO,
    patternFirst: true,
    patternFlags: ["-e", "-f", "--expression", "--file"],
    writeFlags: ["-i", "--in-place"],
    valueFlags: { "-e": 1, "--expression": 1, "-l": 1 },
    pathFlags: { "-f": "read", "--file": "read" },
  },
  awk: {
    ...RO,
    patternFirst: true,
    // gawk: -e/--source give program text, -E/--exec a program file.
    patternFlags: ["-f", "--file", "-e", "--source", "-E", "--exec"],
    valueFlags: { "-F": 1, "-v": 1, "--field-separator": 1, "--assign": 1, "-e": 1, "--source": 1 },
    pathFlags: { "-f": "read", "--file": "read", "-E": "read", "--exec": "read" },
    writeFlags: ["-i", "--include", "-l", "--load"],
  },
  test: RO,
  "[": RO,
  find: { ...RO },
  git: { ...RO },
  tr: NOFILE,
  echo: NOFILE,
  printf: NOFILE,
  pwd: NOFILE,
  true: NOFILE,
  false: NOFILE,
  ":": NOFILE,
  which: NOFILE,
  type: NOFILE,
  whoami: NOFILE,
  id: NOFILE,
  uname: NOFILE,
  hostname: NOFILE,
  nproc: NOFILE,
  date: { ...NOFILE, writeFlags: ["-s", "--set"], valueFlags: { "-d": 1, "--date": 1, "-r": 1 } },
  sleep: NOFILE,
  seq: NOFILE,
  expr: NOFILE,
  basename: NOFILE,
  dirname: NOFILE,
  printenv: NOFILE,
  env: NOFILE,
  yes: NOFILE,
  cd: NOFILE,
  set: NOFILE,
  wait: NOFILE,
  cp: W,
  mv: W,
  rm: W,
  rmdir: W,
  mkdir: W,
  touch: W,
  chmod: W,
  chown: W,
  chgrp: W,
  ln: W,
  tee: W,
  truncate: W,
  install: W,
  dd: W,
  patch: W,
  unzip: W,
  tar: W,
  zip: W,
  gzip: W,
  gunzip: W,
  split: W,
  shred: W,
};

/** Never allowed for a worker. */
export const NEVER_ALLOWED = new Set([
  "sudo",
  "su",
  "doas",
  "pkexec",
  "runuser",
  "docker",
  "podman",
  "chroot",
  "nsenter",
  "unshare",
  "eval",
  "source",
  ".",
  "exec",
  "alias",
  "unalias",
  "export",
  "declare",
  "typeset",
  "local",
  "readonly",
  "trap",
  "enable",
  "builtin",
  "let",
  "mapfile",
  "readarray",
  "hash",
  "shopt",
  "ulimit",
  "umask",
  "pushd",
  "popd",
  "fc",
  "history",
  "bind",
  "complete",
  "compgen",
  "coproc",
  "caller",
  "getopts",
]);

/** Commands that run other commands in ways the validator does not unwrap. */
export const OPAQUE_WRAPPERS = new Set([
  "xargs",
  "watch",
  "script",
  "parallel",
  "flock",
  "setsid",
  "ionice",
  "chrt",
  "taskset",
  "unbuffer",
  "strace",
  "ltrace",
  "gdb",
  "lldb",
  "valgrind",
  "busybox",
  "run-parts",
  "entr",
  "systemd-run",
  "at",
  "batch",
  "crontab",
  "firejail",
  "bwrap",
  "proot",
  "fakeroot",
  "xvfb-run",
  "dbus-launch",
  "expect",
  "tmux",
  "screen",
  "caffeinate",
  "sg",
  "newgrp",
  "chpst",
  "setpriv",
  "capsh",
  "ssh-agent",
  "with-contenv",
  "dotenv",
  "env-cmd",
  "cross-env",
  "concurrently",
  "nodemon",
  "pm2",
]);

/** Shells: `-c STRING` is parsed and checked; anything else runs code the validator cannot see. */
export const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "ash"]);
/** Shells whose `-c` string is parsed as bash. */
export const BASH_LIKE = new Set(["sh", "bash", "dash", "ash"]);

/** Interpreters: their inline-code flags, and whether running with no script reads code from stdin. */
export const INTERPRETERS: Readonly<Record<string, readonly string[]>> = {
  node: ["-e", "--eval", "-p", "--print", "-i", "--interactive"],
  nodejs: ["-e", "--eval", "-p", "--print"],
  tsx: ["-e", "--eval", "-p", "--print"],
  "ts-node": ["-e", "--eval", "-p", "--print", "-i"],
  deno: [],
  python: ["-c", "-i"],
  python3: ["-c", "-i"],
  python2: ["-c", "-i"],
  pypy: ["-c"],
  pypy3: ["-c"],
  perl: ["-e", "-E", "-n", "-p", "-i"],
  ruby: ["-e", "-n", "-p", "-i"],
  php: ["-r", "-a", "-B", "-E", "-R", "-F"],
  lua: ["-e", "-i"],
  luajit: ["-e"],
  Rscript: ["-e"],
  R: ["-e"],
  osascript: ["-e"],
  julia: ["-e", "-E"],
  pwsh: ["-c", "-command", "-Command", "-e", "-EncodedCommand"],
  powershell: ["-c", "-command", "-Command"],
  irb: [],
  ipython: ["-c"],
  ghci: ["-e"],
  scala: ["-e"],
  groovy: ["-e"],
  tclsh: [],
  wish: [],
  jshell: [],
};

/** Commands that run packages fetched or resolved at run time: inline code. */
export const INLINE_RUNNERS = new Set(["npx", "bunx", "pnpx"]);

/** Network clients whose targets cannot be checked: they need `network: full`. */
export const NETWORK_COMMANDS = new Set([
  "nc",
  "ncat",
  "netcat",
  "socat",
  "ssh",
  "scp",
  "sftp",
  "telnet",
  "ftp",
  "ping",
  "ping6",
  "dig",
  "nslookup",
  "host",
  "rsync",
  "http",
  "https",
  "xh",
  "aria2c",
  "lynx",
  "w3m",
  "links",
  "nmap",
  "mosh",
]);

/** Harmless builtins exempt from `allowedCommands` (they run nothing and touch nothing). */
export const ALWAYS_LISTED = new Set(["cd", "true", "false", ":"]);

/** `VAR=value` prefixes that cannot change what a command does. */
export function isInertVariable(name: string): boolean {
  return (
    name === "CI" ||
    name === "NODE_ENV" ||
    name === "TZ" ||
    name === "LANG" ||
    name === "NO_COLOR" ||
    name === "FORCE_COLOR" ||
    name === "TERM" ||
    name === "LC_ALL" ||
    /^LC_[A-Z]+$/.test(name)
  );
}

/** Redirect targets that are not files. */
export const HARMLESS_DEVICES = new Set([
  "/dev/null",
  "/dev/stdout",
  "/dev/stderr",
  "/dev/stdin",
  "/dev/fd/0",
  "/dev/fd/1",
  "/dev/fd/2",
  "/dev/tty",
]);
