import {
  type AndOr,
  type Command,
  type CommandNode,
  type CompoundList,
  type ParsedScript,
  type PipelineNode,
  parse,
  type Redirection,
  type Statement,
  type TestExpression,
  type Word,
  type WordPart,
} from "unbash";
import { deny } from "../decision.js";
import type { Access } from "../paths.js";
import type { ShellAnalyzer } from "./analyzer.js";
import type { Arg } from "./arg.js";
import { assertLiteralArithmetic, assertTestArithmetic } from "./arithmetic.js";
import { isInertVariable } from "./commands.js";
import { assertDepth, fork, mergeFallback, type ShellState } from "./state.js";
import { wordValue } from "./words.js";

/**
 * The walker: the AST traversal of a bash script. It checks every construct, substitution and
 * redirect, follows the working directory through the state, and hands each simple command to
 * `an.run` (the command dispatcher, `run.ts`).
 */

/** Control and format characters (CR, NUL, zero-width, bidi marks), newline and tab excepted. */
export const CONTROL = /(?![\n\t])[\p{Cc}\p{Cf}\u2028\u2029]/u;

export function walkScript(an: ShellAnalyzer, source: string, s: ShellState): void {
  assertDepth(s);
  if (CONTROL.test(source)) {
    deny(
      "shell.control-char",
      "The command contains control or format characters (CR, NUL, zero-width or bidi marks).",
      "the same command in plain text",
    );
  }
  walkParsed(an, parse(source), s);
}

/** Check an already parsed script (also used for substitutions). */
function walkParsed(an: ShellAnalyzer, script: ParsedScript, s: ShellState): void {
  const error = script.errors?.[0];
  if (error) {
    deny(
      "shell.parse-error",
      `The command does not parse as bash (${error.message} at offset ${error.pos}).`,
      "a complete, well-quoted command",
    );
  }
  statements(an, script.commands, s);
}

function statements(an: ShellAnalyzer, list: readonly Statement[], s: ShellState): void {
  for (const st of list) {
    node(an, st.command, s);
    mergeFallback(s);
  }
}

function compoundList(an: ShellAnalyzer, list: CompoundList, s: ShellState): void {
  statements(an, list.commands, s);
}

function node(an: ShellAnalyzer, n: PipelineNode | AndOr | CommandNode, s: ShellState): void {
  switch (n.type) {
    case "AndOr":
      n.commands.forEach((c, i) => {
        if (i > 0 && n.operators[i - 1] === "||") mergeFallback(s);
        node(an, c, s);
      });
      return;
    case "Pipeline":
      if (n.commands.length === 1) node(an, n.commands[0] as CommandNode, s);
      else for (const c of n.commands) node(an, c, fork(s));
      return;
    case "Command":
      simple(an, n, s);
      return;
    case "Subshell":
      compoundList(an, n.body, fork(s));
      return;
    case "BraceGroup":
      compoundList(an, n.body, s);
      return;
    case "Redirected":
      redirects(an, n.redirects, s);
      node(an, n.command, s);
      return;
    case "If":
      s.compound++;
      compoundList(an, n.clause, s);
      compoundList(an, n.then, s);
      for (const e of n.elif) {
        compoundList(an, e.clause, s);
        compoundList(an, e.then, s);
      }
      if (n.else) compoundList(an, n.else, s);
      s.compound--;
      return;
    case "While":
      s.compound++;
      compoundList(an, n.clause, s);
      compoundList(an, n.body, s);
      s.compound--;
      return;
    case "For":
      for (const w of n.wordlist ?? []) walkWord(an, w, s);
      s.compound++;
      compoundList(an, n.body, s);
      s.compound--;
      return;
    case "Case":
      walkWord(an, n.word, s);
      s.compound++;
      for (const item of n.items) {
        for (const p of item.pattern) walkWord(an, p, s);
        compoundList(an, item.body, s);
      }
      s.compound--;
      return;
    case "TestCommand":
      testExpression(an, n.expression, s);
      return;
    case "Function":
      deny(
        "shell.never-allowed",
        `Defining the function \`${n.name.text}\` is never allowed for a worker.`,
        "run the commands directly",
      );
      break;
    case "ArithmeticCommand":
      assertLiteralArithmetic(n.body, `(( ${n.body} ))`);
      return;
    case "ArithmeticFor":
      deny(
        "shell.unbounded",
        "Arithmetic evaluation can run code through array subscripts; it cannot be bounded.",
        "plain commands without (( ))",
      );
      break;
    case "Select":
    case "Coproc":
      deny("shell.unbounded", `\`${n.type.toLowerCase()}\` cannot be bounded statically.`, "plain commands");
      break;
    default:
      deny("shell.unbounded", "This shell construct cannot be bounded statically.", "plain commands");
  }
}

function testExpression(an: ShellAnalyzer, e: TestExpression, s: ShellState): void {
  switch (e.type) {
    case "TestUnary":
      assertTestArithmetic(e);
      walkWord(an, e.operand, s);
      return;
    case "TestBinary":
      assertTestArithmetic(e);
      walkWord(an, e.left, s);
      walkWord(an, e.right, s);
      return;
    case "TestLogical":
      for (const o of e.operands) testExpression(an, o, s);
      return;
    case "TestNot":
      testExpression(an, e.operand, s);
      return;
    case "TestGroup":
      testExpression(an, e.expression, s);
      return;
  }
}

/** Check every substitution and expansion inside a word. */
function walkWord(an: ShellAnalyzer, word: Word, s: ShellState): void {
  const parts = word.parts;
  if (parts) for (const p of parts) walkPart(an, p, s);
}

function walkPart(an: ShellAnalyzer, part: WordPart, s: ShellState): void {
  switch (part.type) {
    case "CommandExpansion":
    case "ProcessSubstitution": {
      const script = part.script;
      if (!script)
        deny("shell.parse-error", `The substitution \`${part.text}\` does not parse.`, "a complete command");
      walkParsed(an, script, fork(s));
      return;
    }
    case "ArithmeticExpansion":
      assertLiteralArithmetic(part.text.replace(/^\$\(\(|\)\)$/g, ""), part.text);
      return;
    case "DoubleQuoted":
    case "LocaleString":
      for (const c of part.parts) walkPart(an, c, s);
      return;
    case "ParameterExpansion": {
      if (part.prefix === "!")
        deny("shell.unbounded", `Indirect expansion \`${part.text}\` cannot be bounded.`, "`$NAME`");
      if (part.index) {
        const v = wordValue(part.index);
        if (v.kind !== "static" || !/^(\d+|@|\*)$/.test(v.value)) {
          deny(
            "shell.unbounded",
            `The subscript in \`${part.text}\` is evaluated as arithmetic.`,
            "a literal index",
          );
        }
      }
      const op = part.operation;
      if (!op) return;
      switch (op.type) {
        case "Default":
        case "Remove":
        case "Transform":
          if (op.type === "Transform") {
            deny(
              "shell.unbounded",
              `The transformation \`${part.text}\` can expand prompts and run code.`,
              "`$NAME`",
            );
          }
          walkWord(an, op.operand, s);
          return;
        case "Replace":
          walkWord(an, op.pattern, s);
          walkWord(an, op.replacement, s);
          return;
        case "CaseModification":
          if (op.operand) walkWord(an, op.operand, s);
          return;
        case "Slice":
          // Offset and length are arithmetic: only literal numbers and operators cannot name a variable.
          assertLiteralArithmetic(op.offset.text, part.text);
          if (op.length) assertLiteralArithmetic(op.length.text, part.text);
          return;
        default:
          deny(
            "shell.unbounded",
            `The expansion \`${part.text}\` cannot be bounded statically.`,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax in a message
            "`$NAME` or `${NAME:-default}`",
          );
      }
      return;
    }
    case "Glob":
    case "ExtendedGlob":
    case "BraceExpansion":
      if (part.parts) for (const c of part.parts) walkPart(an, c, s);
      return;
    default:
      return;
  }
}

function redirects(an: ShellAnalyzer, list: readonly Redirection[], s: ShellState): void {
  for (const r of list) {
    if (r.type === "HereDoc") {
      if (!r.delimiter?.quoted && r.body.parts) for (const p of r.body.parts) walkPart(an, p, s);
      continue;
    }
    if (!r.target) continue;
    walkWord(an, r.target, s);
    if (r.type === "HereString") continue;
    const v = wordValue(r.target);
    if ((r.operator === ">&" || r.operator === "<&") && v.kind === "static" && /^(\d+-?|-)$/.test(v.value))
      continue;
    const access: Access = r.operator === "<" || r.operator === "<&" ? "read" : "write";
    an.touch(v, access, s, "The redirect target");
  }
}

function simple(an: ShellAnalyzer, cmd: Command, s: ShellState): void {
  for (const p of cmd.prefix) {
    if (p.type !== "Assignment") continue;
    if (p.value.type === "ArrayValue") for (const w of p.value.elements) walkWord(an, w, s);
    else walkWord(an, p.value, s);
  }
  if (cmd.name) walkWord(an, cmd.name, s);
  for (const a of cmd.suffix) {
    if (a.type === "Word") walkWord(an, a, s);
    else if (a.type === "Assignment" && a.value.type === "Word") walkWord(an, a.value, s);
  }
  const assignments = cmd.prefix.filter((p) => p.type === "Assignment");
  if (!cmd.name) {
    if (assignments.length > 0) {
      deny(
        "shell.never-allowed",
        `The standalone assignment \`${assignments[0]?.text}\` is never allowed for a worker.`,
        "pass values as arguments, or use an inert prefix such as `CI=1 cmd`",
      );
    }
    redirects(an, cmd.redirects, s);
    return;
  }
  for (const a of assignments) {
    if (a.value.type === "ArrayValue" || !isInertVariable(a.name)) {
      deny(
        "shell.env-prefix",
        `The prefix \`${a.name}=…\` can change what the command does.`,
        "only CI, NODE_ENV, TZ, LANG, LC_*, NO_COLOR, FORCE_COLOR and TERM prefixes",
      );
    }
  }
  redirects(an, cmd.redirects, s);
  const name = wordValue(cmd.name);
  if (name.kind !== "static") {
    deny(
      "shell.dynamic-command",
      `The command name \`${cmd.name.text}\` is built at run time.`,
      "a literal command name",
    );
  }
  const args: Arg[] = [];
  for (const a of cmd.suffix) {
    if (a.type === "Word") args.push({ v: wordValue(a), text: a.text });
    else if (a.type === "Assignment")
      args.push({ v: { kind: "static", value: a.text, tilde: false, home: false }, text: a.text });
  }
  an.run(name.value, args, s);
}
