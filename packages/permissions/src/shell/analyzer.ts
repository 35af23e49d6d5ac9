import type { CheckContext } from "../context.js";
import type { Access, PathPolicy } from "../paths.js";
import type { Policy } from "../policy.js";
import type { Arg } from "./arg.js";
import type { CommandSpec } from "./commands.js";
import type { ShellState } from "./state.js";
import type { WordValue } from "./words.js";

/** Everything fixed for one shell check. */
export interface ShellEnv {
  readonly policy: Policy;
  readonly paths: PathPolicy;
  readonly context: CheckContext;
  /** The shell tool's `allowedCommands`, if any. */
  readonly allowedCommands: readonly string[] | undefined;
  /** The shell tool's `deniedFlags`. */
  readonly deniedFlags: readonly string[];
}

/**
 * What a command handler may ask of the analysis (the walker's interface). Handlers depend on this
 * interface only; `analyze.ts` builds it from the walker, the dispatcher and the operand rules.
 * Every method throws a `Denial` to stop at the first deny.
 */
export interface ShellAnalyzer {
  readonly env: ShellEnv;
  /** Parse and check a whole command string (a `sh -c` script, a package.json script…). */
  script(source: string, s: ShellState): void;
  /** Check one command with its arguments (also called for unwrapped inner commands). */
  run(name: string, args: readonly Arg[], s: ShellState): void;
  /** Check that `v` may be accessed, resolving it against every possible working directory. */
  touch(v: WordValue, access: Access, s: ShellState, what: string): void;
  /** Generic operand handling: flags skipped, operands checked as paths with the command's access. */
  generic(name: string, spec: CommandSpec, args: readonly Arg[], s: ShellState): void;
  /** Deny a denied flag given under another name (e.g. `git push +ref` for `--force`). */
  checkImpliedFlag(name: string, implied: string, shown: string): void;
  /** Check a package.json script body (and any appended arguments) as a nested script. */
  packageScript(text: string, s: ShellState): void;
  /** Check URL-less network operations (install, push…). */
  remoteOperation(what: string): void;
}

/** A command handler: checks one command family (`git`, `curl`/`wget`, `find`…). */
export type CommandHandler = (an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState) => void;
