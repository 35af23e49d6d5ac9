import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import type { WordValue } from "../words.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { scanSedScript } from "./sed-script.js";
import { optionTable } from "./table.js";

/** Source: `sed --help` and sed(1), GNU sed 4.9. */
const SED = optionTable("sed", "GNU sed 4.9, `sed --help` and sed(1)", "gnu", {
  "-n --quiet --silent": "",
  "--debug": "",
  "-e --expression": "=SCRIPT",
  "-f --file": "=SCRIPT-FILE read",
  "--follow-symlinks": "",
  "-i --in-place": "[=SUFFIX] writes",
  "-l --line-length": "=N",
  "--posix": "",
  "-E -r --regexp-extended": "",
  "-s --separate": "",
  "--sandbox": "",
  "-u --unbuffered": "",
  "-z --null-data": "",
  "--help": "",
  "--version": "",
});

function literal(value: string): WordValue {
  return { kind: "static", value, tilde: false, home: false };
}

/**
 * Check `sed`: its options by the table, then its script, parsed as sed parses it. `e` and `s///e`
 * run programs (denied), `w`/`W`/`s///w` write files and `r`/`R` read them (checked against the path
 * rules). A script sed would read from a file (`-f`), or one that cannot be classified, is denied
 * unless `--sandbox` makes sed itself refuse e/r/w.
 */
export function analyzeSed(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const parsed = parseArgs(SED, args);
  applyTable(an, SED, parsed, s);
  const has = (name: string): boolean => parsed.options.some((o) => o.spec.names.includes(name));
  const sandbox = has("--sandbox");
  let operands = parsed.operands;
  const scripts: WordValue[] = [];
  for (const o of parsed.options) if (o.spec.names.includes("--expression") && o.value) scripts.push(o.value);
  if (scripts.length === 0 && !has("--file")) {
    const first = operands[0];
    if (first) scripts.push(first.v);
    operands = operands.slice(1);
  }
  if (!sandbox) {
    if (has("--file")) {
      deny(
        "shell.unbounded",
        "`sed -f` runs a script file, which could use the e, r and w commands the checker cannot see.",
        "the script inline (`sed -e '…'`), or `sed --sandbox -f …` (sed then refuses e/r/w)",
      );
    }
    for (const v of scripts) {
      if (v.kind === "dynamic") {
        deny(
          "shell.dynamic-command",
          `The sed script \`${v.value}\` is built at run time, so what it does cannot be checked.`,
          "a literal sed script, or `sed --sandbox` (sed then refuses e/r/w)",
        );
      }
    }
    const scan = scanSedScript(scripts.map((v) => v.value).join("\n"));
    if (!scan.ok) {
      deny(
        "shell.unbounded",
        `The sed script cannot be fully classified (${scan.error}), so it could hide e, r or w commands.`,
        "a well-formed sed script, or `sed --sandbox` (sed then refuses e/r/w)",
      );
    }
    for (const e of scan.effects) {
      if (e.kind === "run") {
        deny(
          "shell.inline-code",
          `The sed command \`${e.command}\` runs a program.`,
          "a sed script without the e command or the e flag of s; run the program as its own command",
        );
      }
      an.touch(
        literal(e.target),
        e.kind === "read" ? "read" : "write",
        s,
        `The file of the sed command \`${e.command}\``,
      );
    }
  }
  const access = has("--in-place") ? "write" : "read";
  for (const a of operands) an.touch(a.v, access, s, "The operand of `sed`");
}
