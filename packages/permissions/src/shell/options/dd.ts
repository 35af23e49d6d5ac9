import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import type { WordValue } from "../words.js";
import { isRestricted } from "./apply.js";

/**
 * dd's operands are `key=value` (source: dd(1), GNU coreutils 9.1): `if=FILE` is read, `of=FILE`
 * written; the other keys take numbers or symbols. dd has no options but `--help` and `--version`.
 */
const DD_OPERANDS: Readonly<Record<string, "read" | "write" | "value">> = {
  if: "read",
  of: "write",
  bs: "value",
  cbs: "value",
  conv: "value",
  count: "value",
  ibs: "value",
  iflag: "value",
  obs: "value",
  oflag: "value",
  seek: "value",
  skip: "value",
  status: "value",
  iseek: "value",
  oseek: "value",
};

/** True when `dd` with these operands writes a file (`of=`). */
export function ddWrites(args: readonly Arg[]): boolean {
  return args.some((a) => a.v.value.startsWith("of="));
}

/**
 * Check `dd`: `if=` is a read and `of=` a write under the path rules (bash expands `~` after the
 * `=` of such words); an unknown key, or an operand built at run time, is denied.
 */
export function analyzeDd(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  for (const a of args) {
    const v = a.v.value;
    if (a.v.kind === "dynamic") {
      deny(
        "shell.runtime-arg",
        `The dd operand \`${a.text}\` is built at run time, so the file it names cannot be checked.`,
        "literal `if=`/`of=` operands",
      );
    }
    if (a.v.kind === "static" && (v === "--help" || v === "--version")) continue;
    const eq = v.indexOf("=");
    const key = eq > 0 ? v.slice(0, eq) : "";
    const kind = DD_OPERANDS[key];
    if (kind === undefined) {
      if (isRestricted(an.env) || !v.startsWith("-")) {
        deny(
          "shell.unknown-option",
          `\`${v}\` is not a known operand of \`dd\` (dd(1), GNU coreutils 9.1).`,
          `\`dd\` with ${Object.keys(DD_OPERANDS)
            .map((k) => `\`${k}=\``)
            .join(", ")}`,
        );
      }
      continue;
    }
    if (kind === "value") continue;
    const raw = a.text.slice(a.text.indexOf("=") + 1);
    const value: WordValue = { ...a.v, value: v.slice(eq + 1), tilde: raw.startsWith("~"), home: false };
    an.touch(value, kind, s, `The dd operand \`${key}=\``);
  }
}
