import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import { assertPlainName } from "../arithmetic.js";
import { COMMANDS } from "../commands.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/**
 * Source: `grep --help` and grep(1), GNU grep 3.8 (`egrep`/`fgrep` are `grep -E`/`grep -F` with the
 * same options). `-NUM` is `--context=NUM`: each digit is an option letter to getopt.
 */
const GREP = optionTable("grep", "GNU grep 3.8, `grep --help` and grep(1)", "gnu", {
  "-E --extended-regexp": "",
  "-F --fixed-strings": "",
  "-G --basic-regexp": "",
  "-P --perl-regexp": "",
  "-e --regexp": "=PATTERNS",
  "-f --file": "=FILE read",
  "-i -y --ignore-case": "",
  "--no-ignore-case": "",
  "-w --word-regexp": "",
  "-x --line-regexp": "",
  "-z --null-data": "",
  "-s --no-messages": "",
  "-v --invert-match": "",
  "-V --version": "",
  "--help": "",
  "-m --max-count": "=NUM",
  "-b --byte-offset": "",
  "-n --line-number": "",
  "--line-buffered": "",
  "-H --with-filename": "",
  "-h --no-filename": "",
  "--label": "=LABEL",
  "-o --only-matching": "",
  "-q --quiet --silent": "",
  "--binary-files": "=TYPE",
  "-a --text": "",
  "-I": "",
  "-d --directories": "=ACTION",
  "-D --devices": "=ACTION",
  "-r --recursive": "",
  "-R --dereference-recursive": "",
  "--include": "=GLOB",
  "--exclude": "=GLOB",
  "--exclude-from": "=FILE read",
  "--exclude-dir": "=GLOB",
  "-L --files-without-match": "",
  "-l --files-with-matches": "",
  "-c --count": "",
  "-T --initial-tab": "",
  "-Z --null": "",
  "-B --before-context": "=NUM",
  "-A --after-context": "=NUM",
  "-C --context": "=NUM",
  "-0 -1 -2 -3 -4 -5 -6 -7 -8 -9": "",
  "--group-separator": "=SEP",
  "--no-group-separator": "",
  "--color --colour": "[=WHEN]",
  "-U --binary": "",
});

/**
 * Check `grep`/`egrep`/`fgrep` by its table: `-f FILE`, `-fFILE`, `--file=FILE`, `--exclude-from`
 * are files it reads; the first operand is the pattern unless `-e`/`-f` gave one; every other
 * operand is a file it reads (recursive reads are checked by `recursive-reads`).
 */
export function analyzeGrep(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  const table = name === "grep" ? GREP : { ...GREP, program: name };
  const parsed = parseArgs(table, args);
  applyTable(an, table, parsed, s);
  const patternGiven = parsed.options.some((o) => o.spec.names.includes("-e") || o.spec.names.includes("-f"));
  const files = patternGiven ? parsed.operands : parsed.operands.slice(1);
  for (const a of files) an.touch(a.v, "read", s, `The operand of \`${name}\``);
}

/**
 * Check `test`/`[`: its `-v NAME` (and `-R NAME`) evaluates a subscript of NAME as arithmetic, which
 * can run code; the rest is the generic read-only rule (its operands may name files).
 */
export function analyzeTest(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  args.forEach((a, k) => {
    if ((a.v.value === "-v" || a.v.value === "-R") && args[k + 1]) {
      const next = args[k + 1] as Arg;
      if (next.v.kind !== "static") assertPlainName("$", `${name} ${a.v.value} ${next.text}`);
      assertPlainName(next.v.value, `${name} ${a.v.value} ${next.text}`);
    }
  });
  an.generic(name, COMMANDS[name] ?? { access: "read", readOnly: true }, args, s);
}
