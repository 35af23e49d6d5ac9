import { isTerminalJobStatus, type JobRecord, type JobTokens } from "../journal/job-record.js";

/** Tokens and cost of some jobs: `cost` is `null` when any job's cost is unknown; `knownCost` sums the known part. */
export interface UsageTotals {
  tokens: JobTokens;
  /** USD; `null` when the cost of any contributing job is unknown. */
  cost: number | null;
  /** USD: the sum of the known costs. */
  knownCost: number;
}

/** One row of a {@link UsageReport}: the jobs of one worker, profile, model or orchestrator session. */
export interface UsageRow extends UsageTotals {
  key: string;
  /** How many jobs. */
  jobs: number;
}

/** The usage ledger's answer (`orchestra usage --json`, the `usage` tool). */
export interface UsageReport {
  total: UsageTotals;
  rows: UsageRow[];
}

/** What a {@link UsageReport}'s rows are keyed by. */
export type UsageGrouping = "worker" | "profile" | "model" | "session";

/** Every grouping, in the order `--by` lists them. */
export const USAGE_GROUPINGS: readonly UsageGrouping[] = ["worker", "profile", "model", "session"];

/** Options of {@link usageReport}. */
export interface UsageReportOptions {
  /** Rows per worker (default), profile, model or orchestrator session. */
  by?: UsageGrouping;
  /** Only jobs started at or after this time (epoch ms). */
  since?: number;
}

/** The key of jobs without a model or an orchestrator session. */
export const UNKNOWN_KEY = "(unknown)";
/** The session key of jobs no orchestrator session asked for (a CLI ask). */
export const NO_SESSION_KEY = "(no session)";

/** Zero tokens, zero cost. */
function emptyTotals(): UsageTotals {
  return {
    tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    cost: 0,
    knownCost: 0,
  };
}

/** Add one job's own usage to `totals` (in place). A job with unknown tokens adds none; unknown cost makes `cost` null. */
function addJob(totals: UsageTotals, job: Pick<JobRecord, "tokens" | "cost">): void {
  const t = job.tokens;
  if (t !== null) {
    totals.tokens.input += t.input;
    totals.tokens.output += t.output;
    totals.tokens.reasoning += t.reasoning;
    totals.tokens.cacheRead += t.cacheRead;
    totals.tokens.cacheWrite += t.cacheWrite;
  }
  if (job.cost === null) totals.cost = null;
  else {
    totals.knownCost += job.cost;
    if (totals.cost !== null) totals.cost += job.cost;
  }
}

/** The ledger counts ended jobs: a queued or running job has no usage yet. */
const counted = (job: JobRecord): boolean => isTerminalJobStatus(job.status);

/**
 * Each job's total including the jobs it caused (worker-to-worker requests, at any depth, through
 * `parentJobId`), by job id. A job whose descendants' costs are unknown has an unknown total cost.
 */
export function totalsWithCaused(jobs: readonly JobRecord[]): Map<string, UsageTotals> {
  const children = new Map<string, JobRecord[]>();
  for (const job of jobs) {
    if (job.parentJobId === null) continue;
    const list = children.get(job.parentJobId) ?? [];
    list.push(job);
    children.set(job.parentJobId, list);
  }
  const out = new Map<string, UsageTotals>();
  for (const job of jobs) {
    const totals = emptyTotals();
    // Walk the tree below the job; `seen` guards against a (corrupt) cycle.
    const seen = new Set<string>();
    const stack: JobRecord[] = [job];
    while (stack.length > 0) {
      const next = stack.pop() as JobRecord;
      if (seen.has(next.id)) continue;
      seen.add(next.id);
      addJob(totals, next);
      stack.push(...(children.get(next.id) ?? []));
    }
    out.set(job.id, totals);
  }
  return out;
}

/** The orchestrator session a job counts toward: its own, else the job that caused it's (at any depth). */
function sessionOf(job: JobRecord, byId: ReadonlyMap<string, JobRecord>): string {
  let current: JobRecord | undefined = job;
  const seen = new Set<string>();
  while (current !== undefined && !seen.has(current.id)) {
    if (current.callerSession !== null) return current.callerSession;
    seen.add(current.id);
    current = current.parentJobId === null ? undefined : byId.get(current.parentJobId);
  }
  return NO_SESSION_KEY;
}

/**
 * The `--by worker` key of each job: the worker id, or, when the id was used by several worker
 * instances (a stopped worker respawned with the same id has a new session), the id and the UTC
 * start of the instance's first job: `coder (first job 2026-12-04 16:02:11Z)`.
 */
function workerInstanceKeys(jobs: readonly JobRecord[]): Map<string, string> {
  const firstStart = new Map<string, Map<string | null, number>>();
  for (const job of jobs) {
    const sessions = firstStart.get(job.worker) ?? new Map<string | null, number>();
    sessions.set(job.session, Math.min(sessions.get(job.session) ?? job.startedAt, job.startedAt));
    firstStart.set(job.worker, sessions);
  }
  const out = new Map<string, string>();
  for (const job of jobs) {
    const sessions = firstStart.get(job.worker) as Map<string | null, number>;
    if (sessions.size < 2) continue;
    const start = new Date(sessions.get(job.session) as number).toISOString();
    out.set(job.id, `${job.worker} (first job ${start.slice(0, 10)} ${start.slice(11, 19)}Z)`);
  }
  return out;
}

/**
 * The usage ledger over `jobs` (the journal's): the ended jobs' tokens and costs, one row per
 * worker, profile, model or orchestrator session (a worker-to-worker request counts toward the
 * session of the job that caused it), sorted by key, and the total. Every job is counted once.
 * By worker, a reused worker id's instances are separate rows (see `workerInstanceKeys`).
 */
export function usageReport(jobs: readonly JobRecord[], options: UsageReportOptions = {}): UsageReport {
  const by = options.by ?? "worker";
  const since = options.since;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const rows = new Map<string, UsageRow>();
  const total = emptyTotals();
  const included = jobs.filter((job) => counted(job) && (since === undefined || job.startedAt >= since));
  const instances = by === "worker" ? workerInstanceKeys(included) : undefined;
  for (const job of included) {
    const key =
      instances !== undefined
        ? (instances.get(job.id) ?? job.worker)
        : by === "profile"
          ? job.profile
          : by === "model"
            ? (job.model ?? UNKNOWN_KEY)
            : sessionOf(job, byId);
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, ...emptyTotals(), jobs: 0 };
      rows.set(key, row);
    }
    addJob(row, job);
    row.jobs++;
    addJob(total, job);
  }
  return { total, rows: [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}
