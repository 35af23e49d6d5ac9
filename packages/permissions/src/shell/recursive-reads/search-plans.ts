import { statSync } from "node:fs";
import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import { type Arg, literalArg } from "../arg.js";
import type { ShellState } from "../state.js";
import { abbreviates, hasLong, parseOptions } from "./options.js";
import { type Plan, SEARCH_INSTEAD } from "./plan.js";

/* What the search programs read recursively: grep -r, rg, ag/ack/ugrep and git grep. */

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

/** `grep -r` (and egrep/fgrep): the operands after the pattern, or the working directory. */
export function grepPlan(name: string, args: readonly Arg[]): Plan | undefined {
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

/** `rg`: always recursive, unless it only lists files or types. */
export function rgPlan(args: readonly Arg[]): Plan | undefined {
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

/** `ag`, `ack`, `ugrep`: recursive searchers that follow links. */
export function searcherPlan(name: string, args: readonly Arg[]): Plan {
  const p = parseOptions(args, "", [], false);
  return {
    reader: { what: `\`${name}\``, instead: SEARCH_INSTEAD },
    roots: p.operands.slice(1),
    defaultCwd: true,
    follow: true,
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

/** `git grep` (after git's global options): the working tree under its pathspecs, from `-C` dirs. */
export function gitGrepPlan(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): Plan | undefined {
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
  if (wholeCwd) roots.push(literalArg("."));
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
