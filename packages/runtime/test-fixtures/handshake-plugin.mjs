// A stand-in for the Open Orchestra plugin in a process worker, for runtime tests: it answers the
// enforcement handshake with the proof for the worker and profile in its environment (or, with
// ORCHESTRA_FIXTURE_PROOF_PROFILE set, for that profile instead: a plugin enforcing the wrong one).
// OpenCode (Bun) loads it and imports the runtime's TypeScript source directly.
import {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "../src/workers/enforcement-handshake.ts";

export const HandshakeFixture = async () => {
  const key = process.env[ENFORCEMENT_KEY_ENV] ?? "";
  delete process.env[ENFORCEMENT_KEY_ENV];
  const profile = process.env.ORCHESTRA_FIXTURE_PROOF_PROFILE ?? process.env.ORCHESTRA_WORKER_PROFILE ?? "";
  const proof = enforcementProof(key, { id: process.env.ORCHESTRA_WORKER_ID ?? "", profile });
  return {
    tool: {
      [ENFORCEMENT_TOOL]: {
        description: ENFORCEMENT_TOOL_DESCRIPTION,
        args: {},
        execute: async () => "fixture",
      },
    },
    "tool.definition": async (input, output) => {
      if (input.toolID === ENFORCEMENT_TOOL) output.description = proofDescription(proof);
    },
  };
};
