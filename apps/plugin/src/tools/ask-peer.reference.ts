import type { ToolReferences } from "./reference.js";

/** Reference entry of the worker-side `ask_peer` (ask-peer.ts), offered in a process worker whose profile enables it. */
export const ASK_PEER_TOOL_REFERENCE: ToolReferences = {
  ask_peer: {
    category: "workers",
    whenToUse:
      "Use in a worker (not the orchestrator) when the task needs another worker's skill, e.g. a coder asking the docs worker; only a profile with `tools: { ask_peer: { enabled: true } }` offers it.",
    returns:
      "Text only: `Worker <id> (profile <p>[, started for this request]; depth <n>: <chain>) answered:` and the peer's answer.",
    example: {
      args: { profile: "docs", message: "Which option of zod makes a field optional?" },
      output:
        "Worker docs (profile docs; depth 2: coder → docs) answered:\n\n`.optional()` on the field's schema.",
    },
    errors: {
      JOB_LOOP: "the peer is already waiting for this answer (A → B → A)",
      JOB_DEPTH_EXCEEDED: "the chain would pass `delegation.maxDepth`",
      JOB_PEER_NO_ORCHESTRATOR: "the worker was started by the CLI: no orchestrator routes the request",
      JOB_PEER_INVALID: "no target, two targets that disagree, or an empty or oversized message",
      JOB_PEER_NOT_FOUND: "the named worker (or a worker of the named profile) cannot be asked",
      JOB_PEER_DENIED: "the asking worker's profile does not enable `ask_peer`",
      JOB_PEER_UNAUTHENTICATED: "the bridge could not tell which worker is calling",
      JOB_PEER_BRIDGE_FAILED: "the orchestrator's bridge could not be reached, or its answer was cut off",
      JOB_PEER_FAILED: "the peer could not be started or asked (its own code leads the message)",
    },
  },
};
