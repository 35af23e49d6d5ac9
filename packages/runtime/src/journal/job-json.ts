import type { JobRecord, JobStatus, JobTokens } from "./job-record.js";

/**
 * A job as `orchestra jobs --json` prints it: exactly these fields. Times are ISO 8601 strings
 * (UTC); `endedAt`, `tool`, `tokens` and `cost` are `null` when there is none or it is unknown.
 */
export interface JobJson {
  id: string;
  worker: string;
  profile: string;
  status: JobStatus;
  /** ISO 8601, e.g. `2026-12-04T16:20:00.000Z`. */
  startedAt: string;
  /** ISO 8601, or `null` while the job is queued or running. */
  endedAt: string | null;
  /** The tool the worker runs now, or `null`. */
  tool: string | null;
  /** The tokens the job used (OpenCode's counts), or `null` when unknown. */
  tokens: JobTokens | null;
  /** The cost in USD as OpenCode reports it, or `null` when unknown. */
  cost: number | null;
}

/** The `--json` form of a job (see {@link JobJson}). */
export function toJobJson(job: JobRecord): JobJson {
  return {
    id: job.id,
    worker: job.worker,
    profile: job.profile,
    status: job.status,
    startedAt: new Date(job.startedAt).toISOString(),
    endedAt: job.endedAt === null ? null : new Date(job.endedAt).toISOString(),
    tool: job.tool,
    tokens: job.tokens === null ? null : { ...job.tokens },
    cost: job.cost,
  };
}
