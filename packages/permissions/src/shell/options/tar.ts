import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import { fork, type ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { type ParsedOption, parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/**
 * Source: `tar --help` and tar(1), GNU tar 1.34. Mode options (`-c`, `-r`, `-u`, `-A`, `-x`,
 * `--delete`) and `--remove-files` write files; the archive (`-f`) is written or read by mode.
 */
const TAR = optionTable("tar", "GNU tar 1.34, `tar --help` and tar(1)", "gnu", {
  "-A --catenate --concatenate": "writes",
  "-c --create": "writes",
  "--delete": "writes",
  "-d --diff --compare": "",
  "-r --append": "writes",
  "--test-label": "",
  "-t --list": "",
  "-u --update": "writes",
  "-x --extract --get": "writes",
  "--check-device": "",
  "-g --listed-incremental": "=FILE write",
  "-G --incremental": "",
  "--hole-detection": "=TYPE",
  "--ignore-failed-read": "",
  "--level": "=NUMBER",
  "--no-check-device": "",
  "--no-seek": "",
  "-n --seek": "",
  "--occurrence": "[=NUMBER]",
  "--sparse-version": "=MAJOR[.MINOR]",
  "-S --sparse": "",
  "--add-file": "=FILE read",
  "-C --directory": "=DIR read",
  "--exclude": "=PATTERN",
  "--exclude-backups": "",
  "--exclude-caches": "",
  "--exclude-caches-all": "",
  "--exclude-caches-under": "",
  "--exclude-ignore": "=FILE",
  "--exclude-ignore-recursive": "=FILE",
  "--exclude-tag": "=FILE",
  "--exclude-tag-all": "=FILE",
  "--exclude-tag-under": "=FILE",
  "--exclude-vcs": "",
  "--exclude-vcs-ignores": "",
  "--no-null": "",
  "--no-recursion": "",
  "--no-unquote": "",
  "--no-verbatim-files-from": "",
  "--null": "",
  "--recursion": "",
  "-T --files-from": "=FILE read",
  "--unquote": "",
  "--verbatim-files-from": "",
  "-X --exclude-from": "=FILE read",
  "--anchored": "",
  "--ignore-case": "",
  "--no-anchored": "",
  "--no-ignore-case": "",
  "--no-wildcards": "",
  "--no-wildcards-match-slash": "",
  "--wildcards": "escapes",
  "--wildcards-match-slash": "",
  "--keep-directory-symlink": "",
  "--keep-newer-files": "",
  "-k --keep-old-files": "",
  "--no-overwrite-dir": "",
  "--one-top-level": "[=DIR] write",
  "--overwrite": "",
  "--overwrite-dir": "",
  "--recursive-unlink": "",
  "--remove-files": "writes",
  "--skip-old-files": "",
  "-U --unlink-first": "",
  "-W --verify": "",
  "--ignore-command-error": "",
  "--no-ignore-command-error": "",
  "-O --to-stdout": "",
  "--to-command": "=COMMAND runs",
  "--atime-preserve": "[=METHOD]",
  "--clamp-mtime": "",
  "--delay-directory-restore": "",
  "--group": "=NAME",
  "--group-map": "=FILE read",
  "--mode": "=CHANGES",
  "--mtime": "=DATE-OR-FILE read",
  "-m --touch": "",
  "--no-delay-directory-restore": "",
  "--no-same-owner": "",
  "--no-same-permissions": "",
  "--numeric-owner": "",
  "--owner": "=NAME",
  "--owner-map": "=FILE read",
  "-p --preserve-permissions --same-permissions": "",
  "--same-owner": "",
  "--sort": "=ORDER",
  "-s --preserve-order --same-order": "",
  "--acls": "",
  "--no-acls": "",
  "--no-selinux": "",
  "--no-xattrs": "",
  "--selinux": "",
  "--xattrs": "",
  "--xattrs-exclude": "=MASK",
  "--xattrs-include": "=MASK",
  "--force-local": "",
  "-f --file": "=ARCHIVE write",
  "-F --info-script --new-volume-script": "=NAME runs",
  "-L --tape-length": "=NUMBER",
  "-M --multi-volume": "",
  "--rmt-command": "=COMMAND runs",
  "--rsh-command": "=COMMAND runs",
  "--volno-file": "=FILE write",
  "-b --blocking-factor": "=BLOCKS",
  "-B --read-full-records": "",
  "-i --ignore-zeros": "",
  "--record-size": "=NUMBER",
  "-H --format": "=FORMAT",
  "--old-archive --portability": "",
  "--pax-option": "=keyword[[:]=value][,keyword[[:]=value]]...",
  "--posix": "",
  "-V --label": "=TEXT",
  "-a --auto-compress": "",
  "-I --use-compress-program": "=PROG runs",
  "-j --bzip2": "",
  "-J --xz": "",
  "--lzip": "",
  "--lzma": "",
  "--lzop": "",
  "--no-auto-compress": "",
  "--zstd": "",
  "-z --gzip --gunzip --ungzip": "",
  "-Z --compress --uncompress": "",
  "--backup": "[=CONTROL]",
  "--hard-dereference": "",
  "-h --dereference": "",
  "-K --starting-file": "=MEMBER-NAME",
  "--newer-mtime": "=DATE",
  "-N --newer --after-date": "=DATE-OR-FILE read",
  "--one-file-system": "",
  "-P --absolute-names": "escapes",
  "--suffix": "=STRING",
  "--strip-components": "=NUMBER",
  "--transform --xform": "=EXPRESSION escapes",
  "--checkpoint": "[=NUMBER]",
  "--checkpoint-action": "=ACTION runs",
  "--full-time": "",
  "--index-file": "=FILE write",
  "-l --check-links": "",
  "--no-quote-chars": "=STRING",
  "--quote-chars": "=STRING",
  "--quoting-style": "=STYLE",
  "-R --block-number": "",
  "--show-defaults": "",
  "--show-omitted-dirs": "",
  "--show-snapshot-field-ranges": "",
  "--show-transformed-names --show-stored-names": "",
  "--totals": "[=SIGNAL]",
  "--utc": "",
  "-v --verbose": "",
  "--warning": "=KEYWORD",
  "-w --interactive --confirmation": "",
  "-o": "",
  "-? --help": "",
  "--restrict": "",
  "--usage": "",
  "--version": "",
});

const CREATES = new Set(["--create", "--append", "--update", "--catenate", "--delete"]);
/** Options whose path the tar check resolves itself. */
const OWN_PATH = new Set(["--file", "--directory", "--mtime", "--newer"]);
/** `--mtime`/`--newer` take a date, or a file when the value starts with `/` or `.`. */
const DATE_OR_FILE = new Set(["--mtime", "--newer"]);

/**
 * Expand tar's traditional first argument (`tar cvf a.tar x`): a word without `-` is a bundle of
 * short options whose values are the next arguments, in order.
 */
function traditional(args: readonly Arg[]): readonly Arg[] {
  const first = args[0];
  if (first?.v.kind !== "static" || first.v.value.startsWith("-") || first.v.value === "") return args;
  const out: Arg[] = [];
  let k = 1;
  for (const c of first.v.value) {
    out.push({ v: { kind: "static", value: `-${c}`, tilde: false, home: false }, text: `-${c}` });
    const spec = TAR.short.get(c);
    if (spec && spec.arity.get(`-${c}`) === "required" && args[k]) out.push(args[k++] as Arg);
  }
  return [...out, ...args.slice(k)];
}

/**
 * Check `tar`: options by the table; the archive by mode (written when creating, read otherwise; a
 * `host:` archive runs a remote shell); operands relative to every `-C` directory (read when
 * creating, written when extracting); `--checkpoint-action=exec=…` runs a program.
 */
export function analyzeTar(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const parsed = parseArgs(TAR, traditional(args));
  const own = (o: ParsedOption): boolean => o.spec.names.some((n) => OWN_PATH.has(n));
  // `tar -c -f -` writes the archive to standard output: creating then writes no file (its inputs are
  // reads, checked below), so it runs under `filesystem: read` too.
  const archives = parsed.options.filter((o) => o.spec.names.includes("--file"));
  const toStdout =
    archives.length > 0 && archives.every((o) => o.value?.kind === "static" && o.value.value === "-");
  applyTable(an, TAR, parsed, s, {
    ownPath: own,
    runs: (o) => !o.spec.names.includes("--checkpoint-action") || /^exec/.test(o.value?.value ?? ""),
    writes: (o) => !(toStdout && o.spec.names.includes("--create")),
  });
  const has = (name: string): boolean => parsed.options.some((o) => o.spec.names.includes(name));
  if (has("--files-from")) {
    deny(
      "paths.unresolvable",
      "`tar -T` reads the names of the files to archive or extract from a file, so they cannot be checked.",
      "the files named on the command line",
    );
  }
  const creating = parsed.options.some((o) => o.spec.names.some((n) => CREATES.has(n)));
  const extracting = has("--extract") && !has("--to-stdout");
  const dirs: ShellState[] = [s];
  for (const o of parsed.options) {
    const v = o.value;
    if (!v) continue;
    if (o.spec.names.includes("--file")) {
      if (v.value === "-") continue;
      const colon = v.value.indexOf(":");
      if (colon > 0 && !v.value.slice(0, colon).includes("/") && !has("--force-local")) {
        deny(
          "shell.inline-code",
          `The tar archive \`${v.value}\` names a remote host, so tar runs a remote shell to reach it.`,
          "a local archive path (or `--force-local`)",
        );
      }
      an.touch(v, creating ? "write" : "read", s, "The tar archive");
    } else if (o.spec.names.includes("--directory")) {
      const last = dirs[dirs.length - 1] as ShellState;
      an.touch(v, extracting ? "write" : "read", last, "The `tar -C` directory");
      const next = fork(last);
      next.cwds = last.cwds.map((c) => an.env.paths.absolute(v.value, c, "The `tar -C` directory", false));
      dirs.push(next);
    } else if (o.spec.names.some((n) => DATE_OR_FILE.has(n)) && /^[./]/.test(v.value)) {
      an.touch(v, "read", s, `The file of \`tar ${o.name}\``);
    }
  }
  if (extracting && parsed.operands.length === 0 && an.env.policy.filesystem === "full") {
    deny(
      "paths.unresolvable",
      "`tar -x` without member names writes whatever paths the archive holds, so they cannot be checked.",
      "`tar -xf <archive> <member>…` naming the members to extract, or `tar -tf` to list them first",
    );
  }
  const operandAccess =
    extracting || has("--remove-files") ? "write" : creating || has("--diff") ? "read" : undefined;
  if (operandAccess === undefined) return;
  for (const a of parsed.operands)
    for (const d of dirs) an.touch(a.v, operandAccess, d, "The operand of `tar`");
}
