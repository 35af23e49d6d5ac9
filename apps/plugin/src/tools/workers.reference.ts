import type { ToolReferences } from "./reference.js";

const WORKER_INFO =
  '{ id: string; profile: string; kind: "process" | "session"; status: "starting" | "ready" | "busy" | "dead" | "stopped"; model: string; url: string; port?: number; pid?: number; sessionId: string; startedAt: number; lastUsedAt?: number; reason?: string }';
const ASK_RESULT =
  "{ workerId: string; jobId?: string; text: string; durationMs: number; model: string; fallbacks?: { model: string; code: string; message: string }[]; notes?: string[] }";
const JOB =
  '{ id: string; worker: string; profile: string; status: "queued" | "running" | "done" | "failed" | "cancelled" | "interrupted"; message: string; owner: { kind: string; pid: number; startTime: string }; session: string | null; callerSession: string | null; startedAt: number; endedAt: number | null; tool: string | null; tokens: { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number } | null; cost: number | null; costSource: string | null; model: string | null; parentJobId: string | null; text: string | null; textChars: number | null; errorCode: string | null; error: string | null; result?: AskResult }';

/** Reference entries of the worker tools (workers.ts). */
export const WORKER_TOOL_REFERENCE: ToolReferences = {
  spawn_worker: {
    category: "workers",
    returns: `WorkerInfo ${WORKER_INFO}. Text: the worker's id, status, kind, model, pid and port, and how to ask it.`,
    example: {
      args: { profile: "coder" },
      output:
        "Worker coder is ready: process worker, model scripted/fake-reasoner, pid 41873, port 40211. Ask it with ask_worker id=coder.",
    },
    errors: {
      PROFILE_NOT_FOUND: "no profile has that id (the message names the ones that exist)",
      RESOLVER_UNKNOWN_MODEL: "the profile's model, or `model`, is not in the provider catalog",
      PROCESS_START_TIMEOUT: "the worker's OpenCode did not print its `listening on` line in time",
      WORKER_SPAWN_CANCELLED: "the call was aborted, or the orchestrator is shutting down",
      WORKER_ENFORCEMENT_UNVERIFIED: "the worker's plugin did not prove that it enforces the profile",
      BUDGET_EXCEEDED: "the profile's budget is already used up",
    },
  },
  ask_worker: {
    category: "workers",
    returns: `AskResult ${ASK_RESULT}. Text: the worker's answer, then a note per model fallback or budget warning.`,
    example: { args: { id: "coder", message: "Reply with the word pong." }, output: "pong" },
    errors: {
      WORKER_NOT_FOUND: "no worker has that id (the message names the ones that exist)",
      WORKER_UNAVAILABLE: "the worker is dead or stopped",
      WORKER_ASK_FAILED: "the worker's model failed on every fallback, or `timeoutMs` passed",
      JOB_CANCELLED: "cancel_worker_job (or `orchestra workers cancel`) cancelled the job",
      BUDGET_EXCEEDED: "the profile's budget is reached: the ask is refused before the model is called",
    },
  },
  ask_worker_async: {
    category: "workers",
    returns: `Job ${JOB} (queued or running, no result yet). Text: the job id and how to wait for it.`,
    example: {
      args: { id: "coder", message: "Summarise src/index.ts." },
      output:
        "Started job job-3f9a1c2e on worker coder. Wait for it with await_worker_job jobId=job-3f9a1c2e.",
    },
    errors: {
      WORKER_NOT_FOUND: "no worker has that id",
      WORKER_UNAVAILABLE: "the worker is dead or stopped",
      JOB_JOURNAL_UNAVAILABLE:
        "the job journal cannot be opened (unwritable, damaged or from a newer version)",
    },
  },
  await_worker_job: {
    category: "workers",
    returns: `Job ${JOB}. Text: the answer when done; "still running" (and its current tool) after timeoutMs; the status and error otherwise.`,
    example: {
      args: { jobId: "job-3f9a1c2e" },
      output: "src/index.ts re-exports the plugin and its options.",
    },
    errors: {
      JOB_NOT_FOUND: "no job has that id in the journal",
      JOB_JOURNAL_UNAVAILABLE: "the job journal cannot be opened",
    },
  },
  get_worker_job: {
    category: "workers",
    returns: `Job ${JOB}. Text: the job's worker and status, its running tool, then its answer or error.`,
    example: {
      args: { jobId: "job-3f9a1c2e" },
      output: "Job job-3f9a1c2e on coder: done\nsrc/index.ts re-exports the plugin and its options.",
    },
    errors: {
      JOB_NOT_FOUND: "no job has that id in the journal",
      JOB_JOURNAL_UNAVAILABLE: "the job journal cannot be opened",
    },
  },
  list_worker_jobs: {
    category: "workers",
    returns: `Job[] (running first, then the last 20 ended). Text: a table of job, worker, status, tool and start time.`,
    example: { args: {}, output: "No jobs yet. Start one with ask_worker_async." },
    errors: { JOB_JOURNAL_UNAVAILABLE: "the job journal cannot be opened" },
  },
  delegate_task: {
    category: "workers",
    returns: `{ worker: WorkerInfo; spawned: boolean; match?: { profile: Profile; confidence: number; reasons: string[] }; answer: AskResult }. Text: which worker answered, why it was chosen, and its answer.`,
    example: {
      args: { task: "Write a unit test for the parser." },
      output:
        'Worker coder (chosen with confidence 0.69: tag "unit test", description word "writes") answered:\nAdded parser.test.ts with 4 cases.',
    },
    errors: {
      WORKER_NOT_FOUND: "no profile fits the task (suggest_worker shows the candidates)",
      PROFILE_NOT_FOUND: "`profile` names no profile",
      PROCESS_START_TIMEOUT: "a new worker did not start in time",
      WORKER_ASK_FAILED: "the worker's model failed on every fallback",
      BUDGET_EXCEEDED: "the profile's budget is reached",
    },
  },
  stop_worker: {
    category: "workers",
    returns: `StoppedWorker: WorkerInfo & { branch?: string; worktree?: string; changed?: boolean; files?: string[]; diffstat?: string }. Text: the worker stopped; for a worktree worker its branch and changed files.`,
    example: { args: { id: "coder" }, output: "Worker coder stopped." },
    errors: { WORKER_NOT_FOUND: "no worker has that id (the message names the ones that exist)" },
  },
  list_workers: {
    category: "workers",
    returns: `WorkerInfo[] ${WORKER_INFO}. Text: a table of id, kind, status, model, pid and port.`,
    example: {
      args: {},
      output: "No workers are running. Start one with spawn_worker <profile> (list_profiles shows them).",
    },
    errors: {},
  },
  suggest_worker: {
    category: "workers",
    returns:
      "{ profile: string; confidence: number; reasons: string[] }[] (best first). Text: one line per profile.",
    example: {
      args: { purpose: "read the docs of a library", limit: 1 },
      output: 'docs  0.69  tag "docs", tag "library"',
    },
    errors: {},
  },
};
