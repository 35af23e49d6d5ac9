/**
 * A job's state. `queued`: recorded, waiting for the worker (a provider slot, the event stream);
 * `running`: the worker works on it; then one terminal state: `done`, `failed`, `cancelled`, or
 * `interrupted` (its owner process died while it ran).
 */
export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled" | "interrupted";

/** The states a job ends in; a job in one of them never changes state again. */
const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ["done", "failed", "cancelled", "interrupted"];

/** True for `done`, `failed`, `cancelled` and `interrupted`. */
export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

/**
 * The tokens a job used, summed over the worker's assistant messages of the job, as OpenCode
 * reports them. The same `T` shape as the usage ledger's.
 */
export interface JobTokens {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Where a job's cost comes from: `opencode` (the worker's messages' `cost`, OpenCode's figure) or
 * `catalog` (OpenCode reported none: computed from the model catalog's prices).
 */
export type CostSource = "opencode" | "catalog";

/** The process that owns a job: its liveness decides whether a running job is `interrupted`. */
export interface JobOwner {
  /** `orchestrator`: an OpenCode with the plugin; `cli`: an `orchestra` command. */
  kind: "orchestrator" | "cli";
  pid: number;
  /** The process start-time token (`@orchestra/process`), so a reused pid is not the owner. */
  startTime: string;
}

/** One job of the journal: one ask of one worker, from any process of the user. */
export interface JobRecord {
  /** `job-` and 8 hex digits, unique in the journal. */
  id: string;
  /** The worker's id. */
  worker: string;
  /** The worker's profile. */
  profile: string;
  status: JobStatus;
  /** The message sent, truncated to {@link JOB_TEXT_LIMIT} characters. */
  message: string;
  owner: JobOwner;
  /** The worker's session id (on its own server, or the host's for a session worker). */
  session: string | null;
  /** The session of the orchestrator that asked, when known (a plugin tool's session). */
  callerSession: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds; `null` while the job is queued or running. */
  endedAt: number | null;
  /** The tool the worker runs now (`null` when none). */
  tool: string | null;
  /** `null` when unknown (not read yet, or the worker could not be asked); never zeros for unknown. */
  tokens: JobTokens | null;
  /** In USD, as OpenCode reports it (`null` when unknown). */
  cost: number | null;
  /** Where `cost` comes from (see `CostSource`), or `null` when unknown. */
  costSource: CostSource | null;
  /** The model that answered, `provider/model` (`null` until known). */
  model: string | null;
  /** The job that caused this one (a worker-to-worker request's asking job), or `null`. */
  parentJobId: string | null;
  /** The final answer, truncated to {@link JOB_TEXT_LIMIT} characters (`null` unless `done`). */
  text: string | null;
  /** The final answer's full length, in characters (`null` unless `done`). */
  textChars: number | null;
  /** The stable error code when the job failed, was cancelled or interrupted. */
  errorCode: string | null;
  /** What went wrong, when the job failed, was cancelled or interrupted. */
  error: string | null;
}

/** Longest message and final text a job keeps, in characters. */
export const JOB_TEXT_LIMIT = 2_000;

/** `text` cut to `limit` characters, with `…` as the last one when it was cut. */
export function truncateText(text: string, limit = JOB_TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
