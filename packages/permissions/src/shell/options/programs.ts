import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { analyzeCopy } from "./coreutils.js";
import { analyzeDd, ddWrites } from "./dd.js";
import { analyzeDiff } from "./diff.js";
import { analyzeGrep, analyzeTest } from "./grep.js";
import { analyzeJq } from "./jq.js";
import { analyzeSed } from "./sed.js";
import { analyzeSort } from "./sort.js";
import { analyzeTar } from "./tar.js";

interface Program {
  /** Runs under `filesystem: read` (its writing forms are denied by their table rows). */
  readonly readOnly: (args: readonly Arg[]) => boolean;
  readonly analyze: (an: ShellAnalyzer, args: readonly Arg[], s: ShellState) => void;
}

const always = (): boolean => true;
const never = (): boolean => false;

/** Programs checked by an option table (every one touches files). */
const PROGRAMS: Readonly<Record<string, Program>> = {
  sed: { readOnly: always, analyze: analyzeSed },
  sort: { readOnly: always, analyze: analyzeSort },
  diff: { readOnly: always, analyze: analyzeDiff },
  tar: { readOnly: always, analyze: analyzeTar },
  dd: { readOnly: (args) => !ddWrites(args), analyze: analyzeDd },
  cp: { readOnly: never, analyze: (an, args, s) => analyzeCopy(an, "cp", args, s) },
  mv: { readOnly: never, analyze: (an, args, s) => analyzeCopy(an, "mv", args, s) },
  grep: { readOnly: always, analyze: (an, args, s) => analyzeGrep(an, "grep", args, s) },
  egrep: { readOnly: always, analyze: (an, args, s) => analyzeGrep(an, "egrep", args, s) },
  fgrep: { readOnly: always, analyze: (an, args, s) => analyzeGrep(an, "fgrep", args, s) },
  test: { readOnly: always, analyze: (an, args, s) => analyzeTest(an, "test", args, s) },
  "[": { readOnly: always, analyze: (an, args, s) => analyzeTest(an, "[", args, s) },
  jq: { readOnly: always, analyze: analyzeJq },
};

/**
 * Check a command by its program's option table, if it has one; returns false when it has none
 * (the caller then applies the generic operand rules).
 */
export function analyzeByTable(
  an: ShellAnalyzer,
  name: string,
  args: readonly Arg[],
  s: ShellState,
): boolean {
  const program = Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
  if (!program) return false;
  const fs = an.env.policy.filesystem;
  if (fs === "none") {
    deny(
      "shell.no-file-command",
      `\`${name}\` touches files.`,
      "commands that touch no file, such as echo, printf, date, true (`filesystem: none`)",
    );
  }
  if (fs === "read" && !program.readOnly(args)) {
    deny(
      "shell.not-read-only",
      `\`${name}\` writes files.`,
      "ls, cat, head, tail, grep, rg, wc, sort, diff, find, jq, sed/awk without writing forms, git log/status/diff/show…",
    );
  }
  program.analyze(an, args, s);
  return true;
}
