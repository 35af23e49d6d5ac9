import type { Hooks } from "@opencode-ai/plugin";
import {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "@orchestra/runtime/worker";
import type { WorkerEnforcement } from "./enforcement.js";

/**
 * A process worker's answer to the orchestrator's enforcement handshake. It takes the one-time key
 * out of `env` (so no command the worker runs inherits it) and returns a tool plus a
 * `tool.definition` hook that writes, each time OpenCode lists its tools, an HMAC of the worker and
 * the profile that `enforcement` holds calls to. The hooks belong with `enforcement`'s
 * `tool.execute.before` in one hook set: a proof that arrives means that set is registered and live.
 * Without a key (a worker started without the handshake) there is nothing to answer.
 */
export function enforcementHandshake(
  env: NodeJS.ProcessEnv,
  enforcement: WorkerEnforcement,
): Pick<Hooks, "tool" | "tool.definition"> {
  const key = env[ENFORCEMENT_KEY_ENV];
  delete env[ENFORCEMENT_KEY_ENV];
  if (!key) return {};
  const { worker, profile } = enforcement.policy;
  const proof = enforcementProof(key, { id: worker, profile });
  return {
    tool: {
      [ENFORCEMENT_TOOL]: {
        description: ENFORCEMENT_TOOL_DESCRIPTION,
        args: {},
        execute: async () => "This tool only answers the orchestrator's start-up check.",
      },
    },
    "tool.definition": async (input, output) => {
      if (input.toolID === ENFORCEMENT_TOOL) output.description = proofDescription(proof);
    },
  };
}
