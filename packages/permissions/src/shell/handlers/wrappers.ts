import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import { type Arg, literalArg } from "../arg.js";
import { isInertVariable } from "../commands.js";
import { fork, type ShellState } from "../state.js";

/** The wrappers that run an inner command, checked as if run directly. */
export const WRAPPERS = ["env", "timeout", "nice", "nohup", "command", "stdbuf", "time"] as const;

/**
 * Check `env`, `timeout`, `nice`, `nohup`, `command`, `stdbuf` or `time`: its own options, then the
 * inner command as a nested command.
 */
export function analyzeWrapper(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  let i = 0;
  const value = (k: number): string | undefined => {
    const a = args[k];
    if (!a) return undefined;
    if (a.v.kind !== "static") {
      deny(
        "shell.wrapper-denied",
        `The arguments of \`${name}\` are built at run time, so the inner command cannot be known.`,
        "literal arguments",
      );
    }
    return a.v.value;
  };
  const bad = (opt: string): never =>
    deny(
      "shell.wrapper-denied",
      `\`${name} ${opt}\` is not supported by the validator.`,
      `\`${name}\` with simple options, or the inner command directly`,
    );
  for (;;) {
    const v = value(i);
    if (v === undefined) return; // no inner command: the wrapper alone runs nothing
    if (v === "--") {
      i++;
      break;
    }
    if (name === "env") {
      if (v === "-i" || v === "--ignore-environment" || v === "-0" || v === "--null" || v === "-") i++;
      else if (v === "-u" || v === "--unset") i += 2;
      else if (v.startsWith("--unset=") || /^-u./.test(v)) i++;
      else if (v.startsWith("-")) bad(v);
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        const variable = v.slice(0, v.indexOf("="));
        if (!isInertVariable(variable)) {
          deny(
            "shell.env-prefix",
            `\`env ${variable}=…\` can change what the command does.`,
            "only CI, NODE_ENV, TZ, LANG, LC_*, NO_COLOR, FORCE_COLOR and TERM",
          );
        }
        i++;
      } else break;
    } else if (name === "timeout") {
      if (v === "-s" || v === "--signal" || v === "-k" || v === "--kill-after") i += 2;
      else if (v.startsWith("-")) i++;
      else {
        i++; // the duration
        break;
      }
    } else if (name === "nice") {
      if (v === "-n" || v === "--adjustment") i += 2;
      else if (v.startsWith("-")) i++;
      else break;
    } else if (name === "command") {
      if (v === "-v" || v === "-V") return; // looks a command up, runs nothing
      if (v === "-p") i++;
      else if (v.startsWith("-")) bad(v);
      else break;
    } else if (name === "stdbuf") {
      if (v === "-i" || v === "-o" || v === "-e") i += 2;
      else if (v.startsWith("-")) i++;
      else break;
    } else if (name === "time") {
      if (v === "-o" || v === "--output") {
        const f = args[i + 1];
        if (f) an.touch(f.v, "write", s, "The `time -o` file");
        i += 2;
      } else if (v === "-f" || v === "--format") i += 2;
      else if (v.startsWith("-")) i++;
      else break;
    } else if (name === "nohup") {
      an.touch(literalArg("nohup.out").v, "write", s, "nohup's output file");
      break;
    } else break;
  }
  const inner = args[i];
  if (!inner) return;
  if (inner.v.kind !== "static") {
    deny(
      "shell.dynamic-command",
      `The command run by \`${name}\` is built at run time.`,
      "a literal inner command",
    );
  }
  an.run(inner.v.value, args.slice(i + 1), fork(s));
}
