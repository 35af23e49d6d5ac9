import { spawnSync } from "node:child_process";
import { posix } from "node:path";
import picomatch from "picomatch";
import { quote } from "shell-quote";
import { SANDBOX_CONTROL_NAMES } from "./control-files.js";
import { PermissionsError } from "./errors.js";
import { type Policy, requirePolicy } from "./policy.js";
import { sandboxEnvArgs } from "./sandbox-env.js";
import { guardScript, SECCOMP_LAUNCHER } from "./sandbox-guard.js";
import {
  diskKind,
  hideArgs,
  protectedPaths,
  resolvConfArgs,
  SYSTEM_DIRS,
  systemMountArgs,
  toolchainDirs,
  toolchainSecrets,
  within,
} from "./sandbox-mounts.js";
import { printfEscapes, SECCOMP_FD, seccompFilter } from "./sandbox-seccomp.js";
import {
  CONTROL_BASENAMES,
  CONTROL_NESTED,
  DEFAULT_WALK_LIMIT,
  GIT_DIR_CONTROL_NAMES,
  scanTree,
} from "./sandbox-walk.js";

/**
 * The words every sandboxed command starts with. `toOpencodePermission` allows exactly this prefix
 * for sandboxed profiles, so OpenCode's own `permission` check (which sees the rewritten command)
 * lets the wrapper through while still denying raw commands outside the profile.
 */
export const SANDBOX_PREFIX = "bwrap --setenv ORCHESTRA_SANDBOX 1";

/**
 * Project-root-relative paths that stay read-only inside the sandbox when they exist, and that a
 * sandboxed command cannot leave behind when they do not (see {@link sandboxArgv}).
 */
export const SANDBOX_READ_ONLY: readonly string[] = SANDBOX_CONTROL_NAMES;

/** Options of {@link sandboxArgv} and {@link sandboxCommand}. */
export interface SandboxOptions {
  /** The project root (absolute). Writable when `filesystem` is `full`, read-only otherwise. */
  cwd: string;
  /** The user's home directory (absolute): `~` in the path rules; inside, an empty tmpfs at the same path. */
  home: string;
  /** Where the command starts (absolute, or relative to `cwd`; default `cwd`). */
  workdir?: string;
  /** The shell run inside the sandbox (default `/bin/bash`). */
  shell?: string;
  /** The environment the allowlisted variables (`PATH`, `LANG`, …) and the XDG dirs are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** More absolute paths that must never be visible inside, beside `protectedPaths`. */
  protect?: readonly string[];
  /**
   * More control directories inside the project (absolute), read-only like the project's control files
   * and impossible to create when missing: the project's custom git hooks folder (see `gitHooksControlDirs`).
   */
  controlDirs?: readonly string[];
  /** Most directory entries to walk before refusing (default 300 000). */
  walkLimit?: number;
}

interface Bound {
  readonly path: string;
  readonly writable: boolean;
}

function absoluteGlob(glob: string, cwd: string, home: string): string {
  const g = glob === "~" || glob.startsWith("~/") ? home + glob.slice(1) : glob;
  return g.startsWith("/") ? g : posix.join(cwd, g);
}

/** Existing directories named by `paths.allowed` outside the project (the static part of each glob). */
function allowedRoots(p: Policy, cwd: string, home: string): string[] {
  if (p.allowedLists === undefined) return [];
  const lists = p.allowedLists.map((list) =>
    list.map((g) => {
      const scan = picomatch.scan(absoluteGlob(g, cwd, home));
      return posix.resolve(scan.base === "" ? "/" : scan.base);
    }),
  );
  const roots = new Set<string>();
  for (const base of lists.flat()) {
    if (base === "/" || within(base, cwd) || diskKind(base) !== "dir") continue;
    if (lists.every((l) => l.some((b) => within(base, b)))) roots.add(base);
  }
  return [...roots].filter((r) => ![...roots].some((o) => o !== r && within(r, o)));
}

/** The bwrap arguments that build the filesystem view, and what the guard must watch. */
function fileSystemPlan(p: Policy, cwd: string, home: string, options: SandboxOptions) {
  const env = options.env ?? process.env;
  const writable = p.filesystem === "full";
  const protect = [...protectedPaths(home, env), ...(options.protect ?? []).map((x) => posix.resolve(x))];
  const args = systemMountArgs();
  args.push("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp");
  if (p.network === "full") args.push(...resolvConfArgs());
  if (home !== "/" && !SYSTEM_DIRS.some((s) => within(home, s))) args.push("--tmpfs", home);

  const tools = toolchainDirs(env.PATH, home, protect).filter((d) => !within(cwd, d) && !within(d, cwd));
  for (const dir of tools) args.push("--ro-bind", dir, dir);
  const bound: Bound[] = allowedRoots(p, cwd, home).map((path) => ({ path, writable }));
  for (const b of bound) args.push(b.writable ? "--bind" : "--ro-bind", b.path, b.path);
  args.push(writable ? "--bind" : "--ro-bind", cwd, cwd);

  // Hide denied entries and find the control files, in the project and the allowed paths.
  const deniedGlobs = p.deniedGlobs.map((g) => absoluteGlob(g, cwd, home));
  const isDenied = picomatch(deniedGlobs.length > 0 ? deniedGlobs : ["\0"], { dot: true, windows: false });
  const budget = { remaining: options.walkLimit ?? DEFAULT_WALK_LIMIT };
  const hidden: { path: string; dir: boolean }[] = [];
  for (const b of bound)
    hidden.push(...scanTree(b.path, { denied: isDenied, controls: false, budget }).denied);
  const project = scanTree(cwd, { denied: isDenied, controls: true, budget });
  hidden.push(...project.denied);

  const watch: string[] = [];
  const known: string[] = [];
  if (writable) {
    for (const c of project.controls) {
      args.push("--ro-bind", c.path, c.path);
      known.push(c.path);
    }
    const gitRoot = posix.join(cwd, ".git");
    if (!project.gitEntries.some((g) => g.path === gitRoot)) watch.push(gitRoot);
    for (const g of project.gitEntries) {
      known.push(g.path);
      if (!g.dir) {
        args.push("--ro-bind", g.path, g.path);
        continue;
      }
      // A mount point cannot be renamed: `.git` stays where it is, so its read-only entries do too.
      args.push("--bind", g.path, g.path);
      for (const rel of GIT_DIR_CONTROL_NAMES) {
        const abs = posix.join(g.path, rel);
        const kind = diskKind(abs);
        if (kind === undefined) watch.push(abs);
        else args.push("--ro-bind", abs, abs);
      }
    }
    for (const name of SANDBOX_CONTROL_NAMES) {
      if (name.startsWith(".git/")) continue;
      const abs = posix.join(cwd, name);
      if (diskKind(abs) === undefined) watch.push(abs);
    }
    for (const dir of options.controlDirs ?? []) {
      const abs = posix.resolve(dir);
      if (!within(abs, cwd) || abs === cwd) continue;
      const kind = diskKind(abs);
      if (kind === undefined) watch.push(abs);
      else if (!known.includes(abs)) {
        args.push("--ro-bind", abs, abs);
        known.push(abs);
      }
    }
  }
  for (const h of hidden) args.push(...hideArgs(h.path, h.dir ? "dir" : "file"));
  // Denied literal paths outside the trees walked (a toolchain's file, `/etc/…`).
  for (const g of deniedGlobs) {
    const scan = picomatch.scan(g);
    if (scan.glob !== "" && scan.glob !== "**" && scan.glob !== "**/*") continue;
    const base = posix.resolve(scan.base);
    if (base === "/" || within(cwd, base) || bound.some((b) => within(b.path, base))) continue;
    if ([...SYSTEM_DIRS, ...tools].some((r) => within(base, r))) args.push(...hideArgs(base, diskKind(base)));
  }
  // The orchestrator's and OpenCode's state and the credential stores, wherever a bound tree holds them.
  const visible = [cwd, ...bound.map((b) => b.path), ...tools];
  for (const path of [...protect, ...toolchainSecrets(tools, home)]) {
    if (!visible.some((v) => within(path, v))) continue;
    const kind = diskKind(path);
    args.push(...hideArgs(path, kind === "symlink" ? "file" : kind));
  }
  args.push("--remount-ro", "/");
  return { args, watch, known, writable };
}

function policyOf(permissions: unknown): Policy {
  const p = requirePolicy(permissions);
  if (p.execution !== "sandboxed")
    throw new PermissionsError(
      "SANDBOX_NOT_APPLICABLE",
      `Only \`execution: sandboxed\` runs commands in the sandbox (this profile has \`${p.execution}\`).`,
    );
  return p;
}

/**
 * The `bwrap` argv that runs `command` for a profile with `execution: sandboxed`. It starts with
 * {@link SANDBOX_PREFIX}. The sandbox is a default-deny view:
 * - **filesystem:** an empty root with, read-only, the system directories (`/usr`, `/bin`, `/sbin`,
 *   `/lib*`, `/etc` minus machine secrets such as `/etc/shadow`) and the toolchains on `PATH` (`~/.nvm/…`
 *   but never the home directory itself); private `/dev`, `/proc`, `/tmp` and `/var/tmp`; an empty tmpfs
 *   as `$HOME`; the existing `paths.allowed` directories outside the project; and the project, writable
 *   under `filesystem: full`, read-only otherwise. No `/run`, no `/var/run`, no home: no unix socket of
 *   the host is reachable. The orchestrator's and OpenCode's state (`$XDG_DATA_HOME/opencode`, with the
 *   worker secret and the registry), OpenCode's config dir, `~/.ssh` and other credential stores are
 *   hidden even when a mounted tree holds them.
 * - **denied paths:** every existing entry in the project and the allowed paths that matches a denied
 *   glob (`**∕.env`, `**∕*.key`, `secrets/**`) is hidden (`/dev/null` over files, an empty tmpfs over
 *   directories), found by a walk that includes `node_modules` and refuses trees over `walkLimit` entries.
 * - **control files** (`filesystem: full`): existing ones (`.opencode/`, `opencode.json(c)`,
 *   `orchestrator.json`, `.npmrc`, `bunfig.toml`, the yarn/pnpm/bun config and `.yarn/plugins|releases`,
 *   at any depth, and the git redirection files of every
 *   `.git`) are mounted read-only; `.git` directories are mount points so they cannot be renamed away.
 *   Missing ones cannot be mounted over without creating them on disk, so the command runs inside a
 *   launcher bwrap whose guard (see `sandbox-guard.ts`) moves any control path that appeared into a
 *   quarantine directory once every sandboxed process is gone. While the command runs, a new control
 *   file exists on disk: a program that reads it at that moment (another OpenCode starting in the
 *   project, the user's `git`) sees it. That window is the residual risk.
 * - **environment:** an allowlist (`PATH`, `LANG`, `LC_*`, `TERM`, `TZ`, …, see `SANDBOX_ENV_ALLOWED`),
 *   with `HOME` the empty home, `TMPDIR=/tmp`, `ORCHESTRA_SANDBOX=1`; API keys, `ORCHESTRA_*` and
 *   `OPENCODE_*` never reach the command.
 * - **network:** none unless `network: full` (`localhost` gets the sandbox's own loopback only);
 *   `full` shares only the network namespace.
 * - **no symlinks:** a seccomp filter (see `sandbox-seccomp.ts`, handed to bwrap on a pipe by a launcher
 *   bwrap) makes `symlink`/`symlinkat` (and io_uring, and syscalls of a foreign ABI) fail with `EPERM`:
 *   OpenCode's file tools run outside the sandbox and follow symlinks, so a link a sandboxed script
 *   swaps in after the permission check would redirect a `write`/`read` outside the allowed paths.
 * - new user/pid/ipc/uts/cgroup namespaces, a new session, killed with its parent.
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID` for invalid permissions, `SANDBOX_NOT_APPLICABLE`
 * when `execution` is not `sandboxed`, `SANDBOX_TREE_TOO_LARGE` when the project (or an allowed path) has
 * more entries than `walkLimit`, `SANDBOX_UNSUPPORTED_ARCH` on a CPU architecture without a seccomp filter.
 */
export function sandboxArgv(permissions: unknown, command: string, options: SandboxOptions): string[] {
  const p = policyOf(permissions);
  const cwd = posix.resolve(options.cwd);
  const home = posix.resolve(options.home);
  const seccomp = printfEscapes(seccompFilter());
  const plan = fileSystemPlan(p, cwd, home, options);
  const inner = SANDBOX_PREFIX.split(" ");
  inner.push(...sandboxEnvArgs(options.env ?? process.env, home));
  inner.push("--seccomp", String(SECCOMP_FD));
  inner.push("--die-with-parent", "--new-session", "--unshare-all");
  if (p.network === "full") inner.push("--share-net");
  inner.push(...plan.args);
  inner.push("--chdir", options.workdir ? posix.resolve(cwd, options.workdir) : cwd);
  inner.push("--", options.shell ?? "/bin/bash", "-c", command);
  const launcher = [...SANDBOX_PREFIX.split(" "), "--dev-bind", "/", "/", "--", "/bin/bash", "-c"];
  if (!plan.writable) return [...launcher, SECCOMP_LAUNCHER, "orchestra-sandbox-seccomp", seccomp, ...inner];
  return [
    ...launcher,
    guardScript([...CONTROL_BASENAMES, ...CONTROL_NESTED]),
    "orchestra-sandbox-guard",
    cwd,
    String(plan.watch.length),
    ...plan.watch,
    String(plan.known.length),
    ...plan.known,
    seccomp,
    "--",
    ...inner,
  ];
}

/**
 * {@link sandboxArgv} as one command line for a POSIX shell (quoted with `shell-quote`), ready to
 * replace the shell tool's `command` argument.
 */
export function sandboxCommand(permissions: unknown, command: string, options: SandboxOptions): string {
  return quote(sandboxArgv(permissions, command, options));
}

/** The outcome of {@link probeBubblewrap}. */
export type SandboxProbe =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether bubblewrap is installed **and** can build the sandbox here (user namespaces may be
 * disabled, e.g. by an AppArmor policy or a container runtime). Runs `bwrap` once, nested in a
 * launcher bwrap and with the same namespaces as {@link sandboxArgv}; about 10–30 ms. Never throws.
 */
export function probeBubblewrap(env: NodeJS.ProcessEnv = process.env): SandboxProbe {
  if (process.platform !== "linux")
    return { ok: false, reason: `bubblewrap needs Linux (this is ${process.platform})` };
  const version = spawnSync("bwrap", ["--version"], { env, encoding: "utf8", timeout: 5_000 });
  if (version.error || version.status !== 0) {
    const code = (version.error as NodeJS.ErrnoException | undefined)?.code;
    return {
      ok: false,
      reason:
        code === "ENOENT"
          ? "bubblewrap (`bwrap`) is not installed or not on PATH; install the Debian/Ubuntu package `bubblewrap`"
          : `\`bwrap --version\` failed: ${version.error?.message ?? version.stderr.trim()}`,
    };
  }
  let filter: Buffer;
  try {
    filter = seccompFilter();
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  // The filter on stdin (fd 0): bwrap must accept it here, as every sandboxed command needs it.
  const inner = ["bwrap", "--seccomp", "0", "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/"];
  const run = spawnSync(
    "bwrap",
    ["--dev-bind", "/", "/", "--", ...inner, "--dev", "/dev", "--proc", "/proc", "--", "true"],
    { env, encoding: "utf8", timeout: 10_000, input: filter },
  );
  if (run.error || run.status !== 0)
    return {
      ok: false,
      reason: `bubblewrap is installed but cannot create a sandbox here (${(run.error?.message ?? run.stderr.trim()) || `exit ${run.status}`}); unprivileged user namespaces may be disabled`,
    };
  return { ok: true, version: version.stdout.trim() };
}
