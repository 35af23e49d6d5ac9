import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import { BASH_LIKE, INTERPRETERS } from "../commands.js";
import { UNKNOWN } from "../operands.js";
import { fork, type ShellState } from "../state.js";

/** Check `sh`, `bash` and other shells: only `-c` with a literal bash-like script, checked as a nested script. */
export function analyzeShell(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  let command: Arg | undefined;
  let sawC = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (!sawC && a.v.kind === "static" && /^[-+][a-zA-Z]+$/.test(v)) {
      if (v.startsWith("-") && v.includes("c")) sawC = true;
      if (v === "-o" || v === "+o" || v === "-O" || v === "+O") i++;
      continue;
    }
    if (sawC) {
      command = a;
      break;
    }
    break;
  }
  if (!sawC || !command) {
    deny(
      "shell.unbounded",
      `\`${name}\` without \`-c '…'\` runs a script file or standard input that cannot be checked.`,
      `\`${name} -c '<command>'\` with a literal command, or the commands themselves`,
    );
  }
  if (!BASH_LIKE.has(name)) {
    deny(
      "shell.wrapper-denied",
      `\`${name} -c\` uses a syntax the validator does not parse.`,
      "`sh -c` or `bash -c`",
    );
  }
  if (command.v.kind !== "static") {
    deny(
      "shell.dynamic-command",
      `The script passed to \`${name} -c\` is built at run time.`,
      "a literal script",
    );
  }
  an.script(command.v.value, fork(s));
}

/** Check `node`, `python` and other interpreters: a script file, never inline code or standard input. */
export function analyzeInterpreter(
  an: ShellAnalyzer,
  name: string,
  args: readonly Arg[],
  s: ShellState,
): void {
  const inline = INTERPRETERS[name] ?? [];
  let script: Arg | undefined;
  let info = false;
  for (const a of args) {
    const v = a.v.value;
    if (a.v.kind === "static" && v.startsWith("-") && v !== "-") {
      for (const f of inline) {
        const short = f.length === 2 && !v.startsWith("--") && v.slice(1).includes(f[1] as string);
        if (v === f || v.startsWith(`${f}=`) || short) {
          deny(
            "shell.inline-code",
            `\`${name} ${v}\` runs inline code.`,
            `\`${name} <file>\` with a file in the project, or an npm script`,
          );
        }
      }
      if (/^(--version|-v|-V|--help|-h|--test|-m)$/.test(v)) info = true;
      continue;
    }
    script = a;
    break;
  }
  if (name === "deno" && script && /^(eval|repl)$/.test(script.v.value)) {
    deny("shell.inline-code", `\`deno ${script.v.value}\` runs inline code.`, "`deno run <file>`");
  }
  if (!info && (!script || script.v.value === "-")) {
    deny(
      "shell.unbounded",
      `\`${name}\` without a script file reads code from standard input or starts a REPL.`,
      `\`${name} <file>\``,
    );
  }
  an.generic(name, UNKNOWN, args, s);
}
