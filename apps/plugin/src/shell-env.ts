import type { Hooks } from "@opencode-ai/plugin";

type ShellEnvHook = NonNullable<Hooks["shell.env"]>;

/**
 * Variables a worker's shell must not see. OpenCode's server password lets a client drive the
 * server (its `/session/:id/shell` route never passes `tool.execute.before`); the enforcement key
 * is the handshake's one-time secret; the peer token authenticates the worker to its orchestrator's
 * peer bridge (taken out of the environment at the plugin's start, hidden here too). OpenCode
 * extends the process environment with what `shell.env` returns, so each one the process has is
 * overridden with an empty value.
 */
export const HIDDEN_SHELL_ENV: readonly string[] = [
  "OPENCODE_SERVER_PASSWORD",
  "ORCHESTRA_ENFORCEMENT_KEY",
  "ORCHESTRA_PEER_TOKEN",
];

function hide(env: Record<string, string>, processEnv: NodeJS.ProcessEnv): void {
  for (const name of HIDDEN_SHELL_ENV) if (processEnv[name] !== undefined) env[name] = "";
}

/** In a process worker every shell is the worker's: hide the secrets from all of them. */
export function workerShellEnv(processEnv: NodeJS.ProcessEnv = process.env): ShellEnvHook {
  return async (_input, output) => hide(output.env, processEnv);
}

/** On the host, hide them from the shells of session workers (and their child sessions) only. */
export function hostShellEnv(
  isWorkerSession: (sessionID: string) => boolean,
  processEnv: NodeJS.ProcessEnv = process.env,
): ShellEnvHook {
  return async (input, output) => {
    if (input.sessionID !== undefined && isWorkerSession(input.sessionID)) hide(output.env, processEnv);
  };
}
