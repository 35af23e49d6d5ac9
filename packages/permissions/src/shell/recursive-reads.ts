import { statSync } from "node:fs";
import { deny } from "../decision.js";
import { assertScopeReadable, type ScopeBudget, scopeBudget } from "../search-scope.js";
import type { ShellAnalyzer } from "./analyzer.js";
import type { Arg } from "./arg.js";
import type { GlobBudget } from "./expand.js";
import { expandOperand } from "./glob-operand.js";
import { copyPlan, diffPlan, findPlan, rsyncPlan, tarPlan, zipPlan } from "./recursive-reads/copy-plans.js";
import type { Plan } from "./recursive-reads/plan.js";
import { gitGrepPlan, grepPlan, rgPlan, searcherPlan } from "./recursive-reads/search-plans.js";
import type { ShellState } from "./state.js";

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
