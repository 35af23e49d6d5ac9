import type { CostSource, JobRecord, JobStatus } from "./job-record.js";

/** One row of the `jobs` table, as SQLite returns it. */
export interface JobRow {
  id: string;
  worker: string;
  profile: string;
  status: JobStatus;
  message: string;
  owner_kind: "orchestrator" | "cli";
  owner_pid: number;
  owner_start: string;
  session: string | null;
  caller_session: string | null;
  started_at: number;
  ended_at: number | null;
  tool: string | null;
  tokens_input: number | null;
  tokens_output: number | null;
  tokens_reasoning: number | null;
  tokens_cache_read: number | null;
  tokens_cache_write: number | null;
  cost: number | null;
  cost_source: CostSource | null;
  model: string | null;
  parent_job: string | null;
  text: string | null;
  text_chars: number | null;
  error_code: string | null;
  error: string | null;
}

/** A row as a {@link JobRecord}: tokens are known only when all five counts are. */
export function toJobRecord(row: JobRow): JobRecord {
  const { tokens_input, tokens_output, tokens_reasoning, tokens_cache_read, tokens_cache_write } = row;
  const tokens =
    tokens_input === null ||
    tokens_output === null ||
    tokens_reasoning === null ||
    tokens_cache_read === null ||
    tokens_cache_write === null
      ? null
      : {
          input: tokens_input,
          output: tokens_output,
          reasoning: tokens_reasoning,
          cacheRead: tokens_cache_read,
          cacheWrite: tokens_cache_write,
        };
  return {
    id: row.id,
    worker: row.worker,
    profile: row.profile,
    status: row.status,
    message: row.message,
    owner: { kind: row.owner_kind, pid: row.owner_pid, startTime: row.owner_start },
    session: row.session,
    callerSession: row.caller_session,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    tool: row.tool,
    tokens,
    // A cost without a source is the known part of an unknown cost (see JobUsage.knownCost).
    cost: row.cost_source === null ? null : row.cost,
    costSource: row.cost_source,
    model: row.model,
    parentJobId: row.parent_job,
    text: row.text,
    textChars: row.text_chars,
    errorCode: row.error_code,
    error: row.error,
  };
}
