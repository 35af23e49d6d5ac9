import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { isRestricted } from "./apply.js";

/**
 * jq's options, from jq(1) and `main.c` of jq 1.6 and 1.7 (jq reads its arguments itself, not with
 * getopt): short letters stack (`-nr`) and take no value, except `-L DIR` (also `-LDIR`); long
 * options are spelled in full (no abbreviations); `--arg`/`--argjson` take a name and a value,
 * `--slurpfile`/`--rawfile` a name and a file they read. `-f`/`--from-file` takes no value: the
 * first operand is then the program file.
 */
const SHORT = new Set([..."srjaCMSenRcfhVb0"]);
const LONG_VALUES: Readonly<Record<string, number>> = {
  slurp: 0,
  "raw-output": 0,
  "raw-output0": 0,
  "join-output": 0,
  "nul-output": 0,
  "ascii-output": 0,
  "compact-output": 0,
  "color-output": 0,
  "monochrome-output": 0,
  "sort-keys": 0,
  "exit-status": 0,
  "null-input": 0,
  "raw-input": 0,
  "from-file": 0,
  tab: 0,
  seq: 0,
  stream: 0,
  "stream-errors": 0,
  unbuffered: 0,
  binary: 0,
  args: 0,
  jsonargs: 0,
  help: 0,
  version: 0,
  "build-configuration": 0,
  "debug-dump-disasm": 0,
  "debug-trace": 0,
  "debug-trace=all": 0,
  indent: 1,
  arg: 2,
  argjson: 2,
  "library-path": 1,
  slurpfile: 2,
  rawfile: 2,
};
/** Options whose last value is a file jq reads. */
const FILE_VALUES = new Set(["slurpfile", "rawfile", "library-path"]);
/**
 * Module directives and builtins that load files: `import "p" as x;`, `include "p";` (relative to
 * `-L` and the default search path `~/.jq`, `$ORIGIN/../lib/jq`, `$ORIGIN/../lib`, with `.jq`/`.json`
 * added) and `modulemeta`. Matched anywhere in the program text (a string that merely spells one is
 * refused too: the safe reading).
 */
const MODULE_LOAD = /\b(?:import|include)\s*"|\bmodulemeta\b/;

function unknown(spelled: string): never {
  return deny(
    "shell.unknown-option",
    `\`${spelled}\` is not a known option of \`jq\` (option list from jq(1) and main.c, jq 1.6 and 1.7).`,
    "the documented options of `jq`, spelled in full",
  );
}

/**
 * Check `jq`: files named by `--slurpfile`/`--rawfile`/`-L` and every input operand are reads; the
 * program (the first operand) may not load modules, since `import`/`include` read files the path
 * rules never see (`import "secrets/creds" as $c` reads `secrets/creds.json`). Under a restricted
 * profile an unknown option, a program built at run time and `-f` (a program file whose imports the
 * checker cannot read) are denied; `--run-tests` is always denied (it reads and runs a test file).
 */
export function analyzeJq(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const restricted = isRestricted(an.env);
  const operands: Arg[] = [];
  /** Index in `operands` from which operands are strings (`--args`/`--jsonargs`), not files. */
  let stringsFrom = Number.POSITIVE_INFINITY;
  let fromFile = false;
  let end = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (end || a.v.kind === "dynamic" || !v.startsWith("-") || v === "-") {
      const mayBeOption = a.v.kind === "dynamic" || (a.v.kind === "glob" && /^[*?[{@!+-]/.test(v));
      if (!end && restricted && mayBeOption) {
        deny(
          "shell.runtime-arg",
          `\`${a.text}\` (an argument of \`jq\`) is built at run time and could spell any option.`,
          "literal arguments; start a glob with `./` so it cannot expand to an option",
        );
      }
      operands.push(a);
      continue;
    }
    if (v === "--") {
      end = true;
      continue;
    }
    if (v.startsWith("--")) {
      const name = v.slice(2);
      if (name === "run-tests") {
        deny(
          "shell.inline-code",
          "`jq --run-tests` reads a test file and runs the jq programs in it.",
          "`jq` with a program given as an operand",
        );
      }
      const n = Object.hasOwn(LONG_VALUES, name) ? LONG_VALUES[name] : undefined;
      if (n === undefined) {
        if (restricted) unknown(v);
        continue;
      }
      if (name === "from-file") fromFile = true;
      if (name === "args" || name === "jsonargs") stringsFrom = Math.min(stringsFrom, operands.length);
      const file = FILE_VALUES.has(name) ? args[i + n] : undefined;
      if (file) an.touch(file.v, "read", s, `The file of \`jq ${v}\``);
      i += n;
      continue;
    }
    for (let j = 1; j < v.length; j++) {
      const c = v[j] as string;
      if (c === "L") {
        const rest = v.slice(j + 1);
        const dir =
          rest !== "" ? { ...a.v, value: rest, tilde: rest.startsWith("~"), home: false } : args[++i]?.v;
        if (dir) an.touch(dir, "read", s, "The library directory of `jq -L`");
        break;
      }
      if (c === "f") {
        fromFile = true;
        // jq 1.6/1.7 reject `-fFILE`; read it as a file anyway, in case a jq takes it so.
        const rest = v.slice(j + 1);
        if (rest !== "" && ![...rest].every((r) => SHORT.has(r))) {
          an.touch(
            { ...a.v, value: rest, tilde: false, home: false },
            "read",
            s,
            "The program file of `jq -f`",
          );
          break;
        }
      } else if (!SHORT.has(c) && restricted) unknown(v);
    }
  }
  const program = operands[0];
  if (program === undefined) return;
  if (fromFile) {
    if (restricted) {
      deny(
        "paths.unresolvable",
        "`jq -f` runs a program file whose `import`/`include` directives read files the checker cannot see.",
        "the jq program as an operand (`jq '.a' file.json`)",
      );
    }
    an.touch(program.v, "read", s, "The program file of `jq -f`");
  } else if (program.v.kind !== "static" && restricted) {
    deny(
      "shell.runtime-arg",
      `The jq program \`${program.text}\` is built at run time, so the files it loads cannot be checked.`,
      "a literal jq program",
    );
  } else if (MODULE_LOAD.test(program.v.value)) {
    deny(
      "paths.unresolvable",
      `The jq program \`${program.v.value}\` loads a module (\`import\`/\`include\`/\`modulemeta\`), which reads a file the path rules do not see.`,
      "a jq program without modules; read data files as inputs or with `--slurpfile`/`--rawfile`",
    );
  }
  operands.slice(1).forEach((a, k) => {
    if (k + 1 < stringsFrom) an.touch(a.v, "read", s, "The input file of `jq`");
  });
}
