import type { ToolReferences } from "./reference.js";

/** Reference entries of the passthrough tools (passthrough.ts). */
export const PASSTHROUGH_TOOL_REFERENCE: ToolReferences = {
  set_passthrough: {
    category: "workers",
    returns:
      "{ sessionID: string; workerId: string; timeoutMs: number; replaced: string | null }. Text: passthrough is on, to which worker.",
    example: {
      args: { workerId: "coder" },
      output:
        "Passthrough is on: the user's next messages in this session go to worker coder first, and you get its answer to relay. Call clear_passthrough to end it.",
    },
    errors: {
      WORKER_NOT_FOUND: "no worker has that id",
      WORKER_UNAVAILABLE: "the worker is dead or stopped",
    },
  },
  clear_passthrough: {
    category: "workers",
    returns: "{ sessionID: string; cleared: string | null }. Text: passthrough is off, or was not on.",
    example: { args: {}, output: "Passthrough was not on in this session; nothing to clear." },
    errors: {},
  },
  enable_docs_passthrough: {
    category: "workers",
    returns:
      "{ sessionID: string; workerId: string; timeoutMs: number; replaced: string | null; worker: WorkerInfo }. Text: as set_passthrough.",
    example: {
      args: {},
      output:
        "Passthrough is on: the user's next messages in this session go to worker docs first, and you get its answer to relay. Call clear_passthrough to end it.",
    },
    errors: {
      PROFILE_NOT_FOUND: "the docs profile is not enabled",
      PROCESS_START_TIMEOUT: "the docs worker did not start in time",
      WORKER_SPAWN_CANCELLED: "the call was aborted",
    },
  },
};
