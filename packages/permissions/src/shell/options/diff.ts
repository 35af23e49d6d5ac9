import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/**
 * Source: `diff --help` and diff(1), GNU diffutils 3.8 (GTYPE is old, new, changed, unchanged;
 * LTYPE is old, new, unchanged).
 */
const DIFF = optionTable("diff", "GNU diffutils 3.8, `diff --help` and diff(1)", "gnu", {
  "--normal": "",
  "-q --brief": "",
  "-s --report-identical-files": "",
  "-c! -C= --context": "[=NUM]",
  "-u! -U= --unified": "[=NUM]",
  "-e --ed": "",
  "-n --rcs": "",
  "-y --side-by-side": "",
  "-W --width": "=NUM",
  "--left-column": "",
  "--suppress-common-lines": "",
  "-p --show-c-function": "",
  "-F --show-function-line": "=RE",
  "--label": "=LABEL",
  "-t --expand-tabs": "",
  "-T --initial-tab": "",
  "--tabsize": "=NUM",
  "--suppress-blank-empty": "",
  "-l --paginate": "",
  "-r --recursive": "",
  "--no-dereference": "",
  "-N --new-file": "",
  "--unidirectional-new-file": "",
  "--ignore-file-name-case": "",
  "--no-ignore-file-name-case": "",
  "-x --exclude": "=PAT",
  "-X --exclude-from": "=FILE read",
  "-S --starting-file": "=FILE",
  "--from-file": "=FILE1 read",
  "--to-file": "=FILE2 read",
  "-i --ignore-case": "",
  "-E --ignore-tab-expansion": "",
  "-Z --ignore-trailing-space": "",
  "-b --ignore-space-change": "",
  "-w --ignore-all-space": "",
  "-B --ignore-blank-lines": "",
  "-I --ignore-matching-lines": "=RE",
  "-a --text": "",
  "--strip-trailing-cr": "",
  "-D --ifdef": "=NAME",
  "--old-group-format": "=GFMT",
  "--new-group-format": "=GFMT",
  "--changed-group-format": "=GFMT",
  "--unchanged-group-format": "=GFMT",
  "--line-format": "=LFMT",
  "--old-line-format": "=LFMT",
  "--new-line-format": "=LFMT",
  "--unchanged-line-format": "=LFMT",
  "-d --minimal": "",
  "--horizon-lines": "=NUM",
  "--speed-large-files": "",
  "--color": "[=WHEN]",
  "--palette": "=PALETTE",
  "--help": "",
  "-v --version": "",
});

/** Check `diff`: every operand, `--from-file` and `--to-file` are files it reads. */
export function analyzeDiff(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const parsed = parseArgs(DIFF, args);
  applyTable(an, DIFF, parsed, s);
  for (const a of parsed.operands) an.touch(a.v, "read", s, "The operand of `diff`");
}
