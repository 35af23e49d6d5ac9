import type { ToolReferences } from "./reference.js";

/** Reference entries of `cancel_worker_job` and `steer_worker` (job-control.ts). */
export const JOB_CONTROL_TOOL_REFERENCE: ToolReferences = {
  cancel_worker_job: {
    category: "workers",
    returns:
      "{ workerId: string; jobId?: string; durationMs: number }. Text: which job of which worker was cancelled and how long the abort took.",
    example: {
      args: { id: "job-3f9a1c2e" },
      output:
        "Cancelled job job-3f9a1c2e of worker coder (its turn was aborted in 38 ms). The waiting ask ends with JOB_CANCELLED; the worker is ready and keeps its session: ask it again when you need it.",
    },
    errors: {
      JOB_NOT_FOUND: "`id` looks like a job id (job-…) and no job has it",
      WORKER_NOT_FOUND: "`id` is a worker id and no worker has it",
      JOB_NOT_RUNNING: "the job already ended or is still queued, or the worker is idle",
      WORKER_UNAVAILABLE: "the job's worker is dead or stopped",
    },
  },
  steer_worker: {
    category: "workers",
    returns:
      '{ workerId: string; jobId?: string; mode: "queued" }. Text: the instruction is queued and read at the model\'s next step.',
    example: {
      args: { id: "job-3f9a1c2e", message: "also cover the error cases" },
      output:
        "Queued for worker coder (job job-3f9a1c2e): its model reads the instruction at its next step. The waiting ask ends with the worker's final answer, written after it.",
    },
    errors: {
      WORKER_NOT_FOUND: "no worker has that id",
      JOB_NOT_FOUND: "no job has that id",
      JOB_NOT_RUNNING: "the worker is idle (ask it instead) or its job is still queued",
      WORKER_UNAVAILABLE: "the worker is dead or stopped",
    },
  },
};
