import type { ShellAnalyzer, ShellEnv } from "./analyzer.js";
import { checkImpliedFlag, generic, remoteOperation, touch } from "./operands.js";
import { runCommand } from "./run.js";
import { initialState, packageScriptState } from "./state.js";
import { walkScript } from "./walker.js";

/**
 * Check a bash command string for one shell tool call: every simple command, substitution and
 * redirect, run from `cwd`. Throws a `Denial` at the first deny; returns when the command is allowed.
 */
export function analyzeShell(env: ShellEnv, command: string, cwd: string): void {
  const an: ShellAnalyzer = {
    env,
    script: (source, s) => walkScript(an, source, s),
    run: (name, args, s) => runCommand(an, name, args, s),
    touch: (v, access, s, what) => touch(env, v, access, s, what),
    generic: (name, spec, args, s) => generic(env, name, spec, args, s),
    checkImpliedFlag: (name, implied, shown) => checkImpliedFlag(env, name, implied, shown),
    packageScript: (text, s) => walkScript(an, text, packageScriptState(s, env.paths.cwd)),
    remoteOperation: (what) => remoteOperation(env, what),
  };
  walkScript(an, command, initialState(cwd));
}
