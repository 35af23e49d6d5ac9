import { statSync } from "node:fs";
import { deny } from "../decision.js";
import { assertScopeReadable, type ScopeBudget, type ScopeReader, scopeBudget } from "../search-scope.js";
import type { ShellAnalyzer } from "./analyzer.js";
import type { Arg } from "./arg.js";
import type { GlobBudget } from "./expand.js";
import { expandOperand } from "./glob-operand.js";
import type { ShellState } from "./state.js";

/** What one command reads recursively. */
interface Plan {
  readonly reader: ScopeReader;
  /** Operands whose directories are read with everything beneath them. */
  readonly roots: readonly Arg[];
  /** With no existing root the program searches its working directory (`grep -r x`, `rg x`). */
  readonly defaultCwd: boolean;
  readonly follow: boolean;
  readonly skipGit: boolean;
  /** Other directories relative operands may be resolved against (`tar -C dir`). */
  readonly bases?: readonly string[];
  /** The directories the program runs in, when not the shell's (`git -C dir`). */
  readonly cwds?: readonly string[];
}

const SEARCH_INSTEAD =
  "a search of a directory that holds no denied file (a subdirectory, for example), or the files to search named one by one";

/** A long option `--name[=v]`: its name, and whether it abbreviates one of `full` (getopt_long). */
function longName(arg: string): string {
  const eq = arg.indexOf("=");
  return eq === -1 ? arg : arg.slice(0, eq);
}

function abbreviates(name: string, full: readonly string[]): boolean {
  return name.length >= 3 && full.some((f) => f.startsWith(name));
}

interface Parsed {
  /** Non-option arguments, in order. */
  readonly operands: Arg[];
  /** Short letters seen (in bundles, up to the first value letter). */
  readonly shorts: Set<string>;
  /** Long option names seen, with their values (`=v` or the next argument). */
  readonly longs: Map<string, string | undefined>;
  /** Operands that came after `--`. */
  readonly afterDashes: Set<Arg>;
}

/**
 * Split getopt-style arguments. `shortValues`: letters that take a value (rest of the bundle or the
 * next argument). `longValues`: long options that take one; abbreviations count when `abbrev`.
 * Unknown options take no value, so their values become operands: more is checked, never less.
 */
function parseOptions(
  args: readonly Arg[],
  shortValues: string,
  longValues: readonly string[],
  abbrev: boolean,
): Parsed {
  const operands: Arg[] = [];
  const shorts = new Set<string>();
  const longs = new Map<string, string | undefined>();
  const afterDashes = new Set<Arg>();
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (ended || a.v.kind === "dynamic" || !v.startsWith("-") || v === "-") {
      operands.push(a);
      if (ended) afterDashes.add(a);
      continue;
    }
    if (v === "--") {
      ended = true;
      continue;
    }
    if (v.startsWith("--")) {
      const name = longName(v);
      const takes = longValues.includes(name) || (abbrev && abbreviates(name, longValues));
      if (v.includes("=")) longs.set(name, v.slice(name.length + 1));
      else if (takes) {
        longs.set(name, args[i + 1]?.v.value);
        i++;
      } else longs.set(name, undefined);
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const c = v[k] as string;
      shorts.add(c);
      if (shortValues.includes(c)) {
        if (k === v.length - 1) {
          longs.set(`-${c}`, args[i + 1]?.v.value);
          i++;
        } else longs.set(`-${c}`, v.slice(k + 1));
        break;
      }
    }
  }
  return { operands, shorts, longs, afterDashes };
}

function hasLong(p: Parsed, full: readonly string[]): boolean {
  for (const name of p.longs.keys()) if (name.startsWith("--") && abbreviates(name, full)) return true;
  return false;
}

const GREP_LONG_VALUES = [
  "--regexp",
  "--file",
  "--max-count",
  "--label",
  "--after-context",
  "--before-context",
  "--context",
  "--directories",
  "--devices",
  "--include",
  "--exclude",
  "--exclude-from",
  "--exclude-dir",
  "--binary-files",
  "--group-separator",
];

function grepPlan(name: string, args: readonly Arg[]): Plan | undefined {
  const p = parseOptions(args, "efmABCdD", GREP_LONG_VALUES, true);
  const recurseValue = (v: string | undefined): boolean =>
    v !== undefined && v !== "" && "recurse".startsWith(v);
  let recursive = p.shorts.has("r") || p.shorts.has("R") || recurseValue(p.longs.get("-d"));
  let follow = p.shorts.has("R");
  for (const [n, value] of p.longs) {
    if (!n.startsWith("--")) continue;
    if (abbreviates(n, ["--recursive", "--dereference-recursive"])) recursive = true;
    if (abbreviates(n, ["--dereference-recursive"])) follow = true;
    if (abbreviates(n, ["--directories"]) && recurseValue(value)) recursive = true;
  }
  if (!recursive) return undefined;
  const patternGiven = p.shorts.has("e") || p.shorts.has("f") || hasLong(p, ["--regexp", "--file"]);
  const roots = patternGiven ? p.operands : p.operands.slice(1);
  return {
    reader: { what: `\`${name} -r\``, instead: SEARCH_INSTEAD },
    roots,
    defaultCwd: true,
    follow,
    skipGit: false,
  };
}

const RG_LONG_VALUES = [
  "--after-context",
  "--before-context",
  "--context",
  "--regexp",
  "--file",
  "--glob",
  "--iglob",
  "--threads",
  "--max-count",
  "--max-columns",
  "--max-depth",
  "--replace",
  "--type",
  "--type-not",
  "--encoding",
  "--engine",
  "--color",
  "--colors",
  "--context-separator",
  "--field-context-separator",
  "--field-match-separator",
  "--dfa-size-limit",
  "--regex-size-limit",
  "--max-filesize",
  "--path-separator",
  "--pre",
  "--pre-glob",
  "--sort",
  "--sortr",
  "--type-add",
  "--type-clear",
  "--ignore-file",
  "--hostname-bin",
  "--hyperlink-format",
  "--generate",
];

function rgPlan(args: readonly Arg[]): Plan | undefined {
  const p = parseOptions(args, "ABCefgjmMdrtTE", RG_LONG_VALUES, false);
  if (p.longs.has("--files") || p.longs.has("--type-list")) return undefined; // names only
  const patternGiven =
    p.shorts.has("e") || p.shorts.has("f") || p.longs.has("--regexp") || p.longs.has("--file");
  return {
    reader: { what: "`rg`", instead: SEARCH_INSTEAD },
    roots: patternGiven ? p.operands : p.operands.slice(1),
    defaultCwd: true,
    follow: p.shorts.has("L") || p.longs.has("--follow"),
    skipGit: false,
  };
}

function searcherPlan(name: string, args: readonly Arg[]): Plan {
  const p = parseOptions(args, "", [], false);
  return {
    reader: { what: `\`${name}\``, instead: SEARCH_INSTEAD },
    roots: p.operands.slice(1),
    defaultCwd: true,
    follow: true,
    skipGit: false,
  };
}

function copyPlan(name: string, args: readonly Arg[]): Plan {
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

function tarPlan(args: readonly Arg[]): Plan | undefined {
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

function zipPlan(args: readonly Arg[]): Plan {
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

function diffPlan(args: readonly Arg[]): Plan {
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

function rsyncPlan(args: readonly Arg[]): Plan {
  const p = parseOptions(args, "eBfT", [], false);
  return {
    reader: { what: "`rsync` of a directory", instead: "copy directories that hold no denied file" },
    roots: p.operands.slice(0, -1).filter((a) => !/^[^/]*:/.test(a.v.value)),
    defaultCwd: false,
    follow: p.shorts.has("L") || hasLong(p, ["--copy-links"]),
    skipGit: false,
  };
}

function findPlan(args: readonly Arg[]): Plan | undefined {
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

const GIT_GREP_LONG_VALUES = [
  "--max-depth",
  "--threads",
  "--context",
  "--after-context",
  "--before-context",
  "--max-count",
];

function gitGrepPlan(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): Plan | undefined {
  let i = 0;
  let cwds = s.cwds;
  let redirected = false;
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (a.v.kind !== "static" || !v.startsWith("-")) break;
    if (v === "-C") {
      const dir = args[i + 1];
      if (dir?.v.kind !== "static") return undefined; // analyzeGit denies it
      cwds = cwds.map((c) => an.env.paths.absolute(dir.v.value, c, "The `git -C` path", true));
      i++;
    } else if (/^--(git-dir|work-tree)/.test(v)) {
      redirected = true;
      if (!v.includes("=")) i++;
    }
  }
  if (args[i]?.v.value !== "grep") return undefined;
  if (redirected) {
    deny(
      "paths.unresolvable",
      "`git grep` with --git-dir or --work-tree searches a tree the validator does not walk.",
      "`git grep` run from the work tree itself",
    );
  }
  const p = parseOptions(args.slice(i + 1), "efABCm", GIT_GREP_LONG_VALUES, true);
  if (hasLong(p, ["--cached"])) {
    deny(
      "paths.unresolvable",
      "`git grep --cached` reads staged copies of files, which the path rules cannot check on disk.",
      "`git grep` of the working tree (without --cached)",
    );
  }
  const patternGiven = p.shorts.has("e") || p.shorts.has("f");
  const operands = (patternGiven ? p.operands : p.operands.slice(1)).filter(
    (a) => a.v.value !== "(" && a.v.value !== ")",
  );
  const roots: Arg[] = [];
  let wholeCwd = false;
  for (const a of operands) {
    const v = a.v.value;
    if (a.v.kind !== "static") {
      roots.push(a);
      continue;
    }
    if (v.startsWith(":")) {
      deny(
        "paths.unresolvable",
        `The pathspec \`${v}\` uses git's pathspec magic, which the validator does not resolve.`,
        "plain paths after `--`",
      );
    }
    const raw = a.v.tilde ? an.env.paths.expandHome(v, false) : v;
    const exists = cwds.some((c) =>
      statSync(an.env.paths.absolute(raw, c, "The `git grep` path", true), { throwIfNoEntry: false }),
    );
    if (exists) roots.push(a);
    else if (p.afterDashes.has(a))
      wholeCwd = true; // a git glob pathspec: matched anywhere below
    else {
      deny(
        "paths.unresolvable",
        `\`git grep\` over \`${v}\` reads files as a revision holds them, which the path rules cannot check (or \`${v}\` does not exist).`,
        "`git grep -e PATTERN -- <paths>` over the working tree",
      );
    }
  }
  if (wholeCwd) roots.push(literal("."));
  return {
    reader: {
      what: "`git grep`",
      instead: "`git grep -e PATTERN -- <paths>` limited to paths that hold no denied file",
    },
    roots,
    defaultCwd: true,
    follow: false,
    skipGit: true,
    cwds,
  };
}

function literal(value: string): Arg {
  return { v: { kind: "static", value, tilde: false, home: false }, text: value };
}

function planFor(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): Plan | undefined {
  switch (name) {
    case "grep":
    case "egrep":
    case "fgrep":
      return grepPlan(name, args);
    case "rg":
      return rgPlan(args);
    case "ag":
    case "ack":
    case "ack-grep":
    case "ugrep":
      return searcherPlan(name, args);
    case "cp":
    case "mv":
      return copyPlan(name, args);
    case "tar":
      return tarPlan(args);
    case "zip":
      return zipPlan(args);
    case "diff":
      return diffPlan(args);
    case "rsync":
      return rsyncPlan(args);
    case "find":
      return findPlan(args);
    case "git":
      return gitGrepPlan(an, args, s);
    default:
      return undefined;
  }
}

/**
 * Deny a command whose recursive read (grep -r, rg, git grep, cp/mv/tar/zip/diff/rsync of a
 * directory, find -exec) would cover a file the path rules deny: every directory operand, after
 * glob and brace expansion, is walked and each file beneath it is checked.
 */
export function checkRecursiveReads(
  an: ShellAnalyzer,
  name: string,
  args: readonly Arg[],
  s: ShellState,
): void {
  if (an.env.policy.filesystem === "none") return; // no file command runs at all
  const plan = planFor(an, name, args, s);
  if (!plan) return;
  const paths = an.env.paths;
  const site = {
    paths,
    cwds: plan.cwds ?? s.cwds,
    unknownCwd: s.unknownCwd,
    nocase: an.env.context.caseInsensitiveFs,
    dotDirs: true,
  };
  const bases = [...site.cwds];
  for (const b of plan.bases ?? []) {
    for (const c of site.cwds)
      bases.push(paths.absolute(paths.expandHome(b, true), c, "The `-C` directory", false));
  }
  const globBudget: GlobBudget = { entries: 0 };
  const resolved: { abs: string; shown: string }[] = [];
  const resolve = (a: Arg): void => {
    if (a.v.kind === "dynamic") return; // the operand check denies it
    const words =
      a.v.kind === "glob"
        ? expandOperand(a.v, { ...site, cwds: bases }, globBudget)
        : [{ word: staticRaw(an, a), cwd: "" }];
    for (const { word, cwd } of words) {
      if (word.startsWith("/")) {
        resolved.push({ abs: paths.absolute(word, "/", plan.reader.what, false), shown: word });
        continue;
      }
      if (s.unknownCwd) {
        deny(
          "shell.unknown-cwd",
          `${plan.reader.what} reads \`${word}\` recursively, but an earlier \`cd\` makes the working directory unknown.`,
          "absolute paths, or `cd` only at the top level of the command",
        );
      }
      for (const c of cwd === "" ? bases : [cwd]) {
        resolved.push({ abs: paths.absolute(word, c, plan.reader.what, false), shown: word });
      }
    }
  };
  for (const r of plan.roots) resolve(r);
  const present = resolved.filter((r) => statSync(r.abs, { throwIfNoEntry: false }) !== undefined);
  if (plan.defaultCwd && present.length === 0) {
    for (const c of site.cwds) present.push({ abs: c, shown: "." });
  }
  const budget: ScopeBudget = scopeBudget();
  for (const r of present) {
    assertScopeReadable(
      paths,
      r.abs,
      r.shown,
      plan.reader,
      { follow: plan.follow, skipGit: plan.skipGit },
      budget,
    );
  }
}

function staticRaw(an: ShellAnalyzer, a: Arg): string {
  if (a.v.home) return an.env.paths.home + a.v.value.slice("$HOME".length);
  if (a.v.tilde) return an.env.paths.expandHome(a.v.value, false);
  return a.v.value;
}
