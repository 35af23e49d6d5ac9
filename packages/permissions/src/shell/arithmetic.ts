import type { TestBinaryExpression, TestUnaryExpression, Word } from "unbash";
import { deny } from "../decision.js";
import { wordValue } from "./words.js";

/**
 * bash evaluates an arithmetic operand recursively as an expression: a value such as `a[$(touch x)]`
 * (from a variable or written literally) runs the substitution in its subscript. Only text made of
 * literal numbers and operators cannot name a variable, so only that is let through.
 */
const LITERAL_ARITHMETIC = /^[\s\d+\-*/%()<>=!&|^~?:,]*$/;
/** `[[ a -eq b ]]` and friends: both operands are arithmetic expressions. */
const ARITHMETIC_TEST = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);
/** `-v NAME` and `-R NAME` evaluate a subscript of NAME as arithmetic. */
const VARIABLE_TEST = new Set(["-v", "-R"]);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\[(\d+|@|\*)\])?$/;

/** True when `text` is arithmetic made of literal numbers (decimal or `0x` hex) and operators only. */
function isLiteralArithmetic(text: string): boolean {
  return LITERAL_ARITHMETIC.test(text.replace(/\b0[xX][0-9a-fA-F]+\b/g, "0"));
}

/**
 * Deny `(( … ))`, `$(( … ))` or `for (( … ))` unless its expression is literal numbers and
 * operators: a name is evaluated recursively, and a subscript in its value runs code.
 */
export function assertLiteralArithmetic(body: string, shown: string): void {
  if (isLiteralArithmetic(body)) return;
  deny(
    "shell.unbounded",
    `The arithmetic \`${shown}\` names a variable or holds an expansion; bash evaluates its value as an expression, whose array subscripts can run code.`,
    "arithmetic on literal numbers only (`(( 1 + 2 ))`), or compare strings with `[[ $x == 1 ]]`",
  );
}

function literalInteger(word: Word): boolean {
  const v = wordValue(word);
  return v.kind === "static" && /^\s*[-+]?\d+\s*$/.test(v.value);
}

/**
 * Deny the arithmetic forms of `[[ … ]]` whose operands are not literal integers: `-eq`, `-ne`,
 * `-lt`, `-le`, `-gt` and `-ge` evaluate both operands as expressions, and `-v`/`-R` evaluate the
 * subscript of the name they test (`[[ -v PWD[y] ]]` evaluates `y`).
 */
export function assertTestArithmetic(e: TestUnaryExpression | TestBinaryExpression): void {
  if (e.type === "TestBinary") {
    if (!ARITHMETIC_TEST.has(e.operator)) return;
    if (literalInteger(e.left) && literalInteger(e.right)) return;
    deny(
      "shell.unbounded",
      `\`[[ ${e.left.text} ${e.operator} ${e.right.text} ]]\` evaluates its operands as arithmetic: a variable's value such as \`a[$(cmd)]\` runs \`cmd\`.`,
      'compare strings (`[[ $x == 1 ]]`), or `[ "$x" -eq 1 ]`, whose operands must already be numbers',
    );
  }
  if (!VARIABLE_TEST.has(e.operator)) return;
  assertPlainName(e.operand, `[[ ${e.operator} ${e.operand.text} ]]`);
}

/** Deny a `-v`/`-R` operand that is not a plain variable name (or one with a literal index). */
export function assertPlainName(word: Word | string, shown: string): void {
  const v = typeof word === "string" ? { kind: "static", value: word } : wordValue(word);
  if (v.kind === "static" && PLAIN_NAME.test(v.value)) return;
  deny(
    "shell.unbounded",
    `\`${shown}\` evaluates the subscript of the variable it tests as arithmetic, which can run code.`,
    "`-v NAME` with a plain variable name, or `NAME[<number>]`",
  );
}
