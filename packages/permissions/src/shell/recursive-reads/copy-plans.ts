import { deny } from "../../decision.js";
import type { Arg } from "../arg.js";
import { abbreviates, hasLong, parseOptions } from "./options.js";
import type { Plan } from "./plan.js";

/* What the copying and archiving programs read recursively: cp/mv, tar, zip, diff, rsync, find -exec. */

/** `cp`/`mv`: every source operand (all operands with `-t`). */
export function copyPlan(name: string, args: readonly Arg[]): Plan {
  const p = parseOptions(args, "St", ["--suffix", "--target-directory"], true);
  const target = p.shorts.has("t") || hasLong(p, ["--target-directory"]);
  return {
    reader: {
      what: `\`${name}\` of a directory`,
      instead: `\`${name}\` of directories that hold no denied file, or of the files one by one`,
    },
    roots: target ? p.operands : p.operands.slice(0, -1),
    defaultCwd: false,
    follow: name === "cp" && (p.shorts.has("L") || hasLong(p, ["--dereference"])),
    skipGit: false,
  };
}

/** `tar` creating or adding to an archive: every member operand, also under `-C` dirs. */
export function tarPlan(args: readonly Arg[]): Plan | undefined {
  const first = args[0]?.v.value ?? "";
  const oldStyle = first !== "" && !first.startsWith("-") ? first : "";
  const p = parseOptions(oldStyle ? args.slice(1) : args, "bfCgHKLNTVX", [], false);
  const letters = new Set([...p.shorts, ...oldStyle]);
  const creates =
    ["c", "r", "u", "A"].some((c) => letters.has(c)) ||
    hasLong(p, ["--create", "--append", "--update", "--catenate", "--concatenate"]);
  if (!creates) return undefined;
  if (letters.has("T") || hasLong(p, ["--files-from"])) {
    deny(
      "paths.unresolvable",
      "`tar -T` reads the list of files to archive from a file, so what it reads cannot be checked.",
      "the files and directories to archive named on the command line",
    );
  }
  const bases: string[] = [];
  const dir = p.longs.get("-C");
  if (dir) bases.push(dir);
  for (const [n, value] of p.longs) if (abbreviates(n, ["--directory"]) && value) bases.push(value);
  if (oldStyle.includes("C")) for (const a of args.slice(1)) bases.push(a.v.value);
  // Every argument may be a member; old-style values (`cf out.tar`) are among them: more is checked.
  const roots = oldStyle ? args.slice(1) : p.operands;
  return {
    reader: {
      what: "`tar` archiving",
      instead: "archive directories that hold no denied file, or name the files one by one",
    },
    roots,
    defaultCwd: false,
    follow: letters.has("h") || hasLong(p, ["--dereference"]),
    skipGit: false,
    bases,
  };
}

/** `zip`: every operand after the archive name. */
export function zipPlan(args: readonly Arg[]): Plan {
  const p = parseOptions(args, "bnPtx", [], false);
  if (p.shorts.has("@") || hasLong(p, ["--names-stdin"])) {
    deny(
      "paths.unresolvable",
      "`zip -@` reads the names of the files to archive from standard input, so what it reads cannot be checked.",
      "the files and directories to archive named on the command line",
    );
  }
  return {
    reader: {
      what: "`zip` archiving",
      instead: "archive directories that hold no denied file, or name the files one by one",
    },
    roots: p.operands.slice(1),
    defaultCwd: false,
    follow: !(p.shorts.has("y") || hasLong(p, ["--symlinks"])),
    skipGit: false,
  };
}

/** `diff`: every operand (directories are compared recursively). */
export function diffPlan(args: readonly Arg[]): Plan {
  const roots: Arg[] = [];
  for (const a of args) {
    const v = a.v.value;
    if (v.startsWith("--") && v.includes("=")) {
      roots.push({ v: { ...a.v, value: v.slice(v.indexOf("=") + 1), tilde: false }, text: a.text });
    } else if (!v.startsWith("-") || v === "-" || a.v.kind === "dynamic") roots.push(a);
  }
  return {
    reader: {
      what: "`diff` of a directory",
      instead: "`diff` of files one by one, or of directories that hold no denied file",
    },
    roots,
    defaultCwd: false,
    follow: true,
    skipGit: false,
  };
}

/** `rsync`: every local source operand. */
export function rsyncPlan(args: readonly Arg[]): Plan {
  const p = parseOptions(args, "eBfT", [], false);
  return {
    reader: { what: "`rsync` of a directory", instead: "copy directories that hold no denied file" },
    roots: p.operands.slice(0, -1).filter((a) => !/^[^/]*:/.test(a.v.value)),
    defaultCwd: false,
    follow: p.shorts.has("L") || hasLong(p, ["--copy-links"]),
    skipGit: false,
  };
}

/** `find` with `-exec`/`-ok`: its start paths (the command may read every file found). */
export function findPlan(args: readonly Arg[]): Plan | undefined {
  const values = args.map((a) => a.v.value);
  if (!values.some((v) => v === "-exec" || v === "-execdir" || v === "-ok" || v === "-okdir"))
    return undefined;
  const starts: Arg[] = [];
  for (const a of args) {
    const v = a.v.value;
    if (v === "-H" || v === "-L" || v === "-P") continue;
    if (v.startsWith("-") || v === "(" || v === "!" || v === ")") break;
    starts.push(a);
  }
  return {
    reader: {
      what: "`find -exec`",
      instead: "`find` without -exec, or -exec over a directory that holds no denied file",
    },
    roots: starts,
    defaultCwd: true,
    follow: values.includes("-L") || values.includes("-follow"),
    skipGit: false,
  };
}
