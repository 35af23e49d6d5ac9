import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/** Source: `sort --help` and sort(1), GNU coreutils 9.1. */
const SORT = optionTable("sort", "GNU coreutils 9.1, `sort --help` and sort(1)", "gnu", {
  "-b --ignore-leading-blanks": "",
  "-d --dictionary-order": "",
  "-f --ignore-case": "",
  "-g --general-numeric-sort": "",
  "-i --ignore-nonprinting": "",
  "-M --month-sort": "",
  "-h --human-numeric-sort": "",
  "-n --numeric-sort": "",
  "-R --random-sort": "",
  "--random-source": "=FILE read",
  "-r --reverse": "",
  "--sort": "=WORD",
  "-V --version-sort": "",
  "--batch-size": "=NMERGE",
  "-c --check": "[=WHEN]",
  "-C": "",
  "--compress-program": "=PROG runs",
  "--debug": "",
  "--files0-from": "=F read",
  "-k --key": "=KEYDEF",
  "-m --merge": "",
  "-o --output": "=FILE write",
  "-s --stable": "",
  "-S --buffer-size": "=SIZE",
  "-t --field-separator": "=SEP",
  "-T --temporary-directory": "=DIR write",
  "--parallel": "=N",
  "-u --unique": "",
  "-z --zero-terminated": "",
  "--help": "",
  "--version": "",
});

/**
 * Check `sort`: operands are read; `-o` writes its file, `-T` writes temporaries into its
 * directory, `--compress-program` runs a program, and `--files0-from` reads file names from a file
 * (names the checker cannot see, so it is denied).
 */
export function analyzeSort(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const parsed = parseArgs(SORT, args);
  applyTable(an, SORT, parsed, s);
  if (parsed.options.some((o) => o.name === "--files0-from")) {
    deny(
      "paths.unresolvable",
      "`sort --files0-from` reads the names of its input files from a file, so they cannot be checked.",
      "the input files named on the command line",
    );
  }
  for (const a of parsed.operands) an.touch(a.v, "read", s, "The operand of `sort`");
}
