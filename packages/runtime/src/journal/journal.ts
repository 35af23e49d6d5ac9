import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { currentProcessIdentity, isSameProcess } from "@orchestra/process";
import type Database from "libsql";
import { RuntimeError } from "../runtime-error.js";
import {
  type CostSource,
  type JobOwner,
  type JobRecord,
  type JobTokens,
  truncateText,
} from "./job-record.js";
import { defaultJournalFile } from "./journal-paths.js";
import { type JobRow, toJobRecord } from "./journal-rows.js";
import { migrateJournal } from "./journal-schema.js";
import { createPrivately, restrictModes } from "./private-file.js";

/** Options of {@link openJobJournal}. */
export interface JobJournalOptions {
  /**
   * The journal file (default: `jobs.db` beside `registryFile`, see {@link defaultJournalFile}),
   * or `:memory:` for a journal private to this process.
   */
  file?: string;
  /** The device registry file the journal lives beside (default: the user's). */
  registryFile?: string;
  /** What owns the jobs this process records (default `cli`). */
  ownerKind?: JobOwner["kind"];
  /** How long a write waits for another process's write lock, in ms (default 10 000). */
  busyTimeoutMs?: number;
}

/** A new job, as {@link JobJournal.create} records it (`queued`, owned by this process). */
export interface NewJob {
  worker: string;
  profile: string;
  /** The message sent (truncated to 2 000 characters). */
  message: string;
  /** The worker's session id. */
  session?: string;
  /** The asking orchestrator's session, when known. */
  callerSession?: string;
  /** The job that caused this one (the asking worker's job of a worker-to-worker request). */
  parentJobId?: string;
}

/** Tokens and cost of a job, when known (`null`: unknown). */
export interface JobUsage {
  tokens: JobTokens | null;
  cost: number | null;
  costSource: CostSource | null;
  /** The model that answered, `provider/model`, when known. */
  model?: string | null;
  /**
   * Steps of the job whose usage is unknown (an errored or aborted step without a step finish,
   * negative provider figures): then `cost` is unknown and `tokens` counts the known steps only.
   */
  unknownSteps?: number;
  /**
   * With `unknownSteps`: the known steps' cost, in USD. The job's `cost` stays unknown (`null`),
   * but budgets count this lower bound (fail safe: an unknown step never lowers a spend).
   */
  knownCost?: number;
}

/** How a job ended, as {@link JobJournal.finish} records it. */
export type JobOutcome =
  | { status: "done"; text: string; usage?: JobUsage }
  | { status: "failed" | "cancelled"; errorCode: string; error: string; usage?: JobUsage };

/** Whose ended jobs {@link JobJournal.spend} sums: a worker's, or a profile's for one orchestrator session. */
/** `worker`: one worker instance's jobs (its id and its session: a respawned id is a new worker). */
type SpendScope =
  | { worker: string; session: string | null }
  | { profile: string; callerSession: string | null };

/** Options of {@link JobJournal.list}. */
export interface JobListOptions {
  /** Every job (default: the queued and running ones and the `recent` last ended ones). */
  all?: boolean;
  /** How many ended jobs (most recently ended first) besides the running ones (default 20). */
  recent?: number;
  /** Only this worker's jobs. */
  worker?: string;
}

const ACTIVE = "status IN ('queued', 'running')";
/** The known costs and the five token counts of the rows a WHERE clause selects, summed. */
const SPEND = `SELECT COALESCE(SUM(cost), 0) AS cost,
  COALESCE(SUM(COALESCE(tokens_input, 0) + COALESCE(tokens_output, 0) + COALESCE(tokens_reasoning, 0)
    + COALESCE(tokens_cache_read, 0) + COALESCE(tokens_cache_write, 0)), 0) AS tokens FROM jobs`;

/**
 * The job journal: every ask of every worker, from every orchestrator and CLI process of the user,
 * in one SQLite file (libSQL, WAL, busy timeout) beside the device registry. Each write is one
 * statement, atomic across processes. Reads first sweep: the queued and running jobs of an owner
 * that is gone become `interrupted`.
 */
export interface JobJournal {
  /** The journal file. */
  readonly file: string;
  /** This process, as the owner of the jobs it creates. */
  readonly owner: JobOwner;
  /** Record a new `queued` job owned by this process. */
  create(job: NewJob): JobRecord;
  /** A queued job started running (no effect on a job in another state). */
  markRunning(id: string): void;
  /** The tool the worker runs now (`null`: none). No effect on an ended job. */
  setTool(id: string, tool: string | null): void;
  /**
   * End a queued or running job. An ended job keeps its state (a cancel or a sweep came first);
   * the usage is recorded either way. Returns the job, or `undefined` when there is none.
   */
  finish(id: string, outcome: JobOutcome): JobRecord | undefined;
  /**
   * Mark a queued or running job `cancelled` (code `JOB_CANCELLED`, with `reason`). True when it
   * changed; false when the job ended already or does not exist.
   */
  markCancelled(id: string, reason: string): boolean;
  /** One job, or `undefined`. */
  get(id: string): JobRecord | undefined;
  /** One job. @throws {RuntimeError} `JOB_NOT_FOUND` naming recent jobs. */
  require(id: string): JobRecord;
  /** The queued and running jobs (newest first), then ended ones (most recently ended first). */
  list(options?: JobListOptions): JobRecord[];
  /** The queued and running jobs of a worker, newest first. */
  findRunningByWorker(worker: string): JobRecord[];
  /**
   * What the ended jobs of one worker, or of one profile for one orchestrator session, used: the
   * known costs summed (USD) and the tokens of all five kinds. One aggregate query (the budgets'
   * hot path), without a sweep. `exceptJob` is left out.
   */
  spend(scope: SpendScope, exceptJob?: string): { cost: number; tokens: number };
  /**
   * Mark `interrupted` every queued or running job whose owner process is gone (pid and start
   * time). Returns how many changed. Every read does this first.
   */
  sweep(): number;
  /** Sweep every `intervalMs` (default 5 000) until {@link close}; the timer never keeps the process alive. */
  startSweeping(intervalMs?: number): void;
  /** Stop sweeping and close the file. Idempotent. */
  close(): void;
}

type DatabaseConstructor = typeof Database;
let libsql: DatabaseConstructor | undefined;

/** libSQL, loaded when the first journal opens (not when the runtime is imported). */
function loadLibsql(): DatabaseConstructor {
  libsql ??= createRequire(import.meta.url)("libsql") as DatabaseConstructor;
  return libsql;
}

/** Is this SQLite error a primary-key clash? */
function isPrimaryKeyClash(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || /UNIQUE constraint failed: jobs\.id/.test(e.message ?? "")
  );
}

/**
 * Open (creating if needed) the user's job journal.
 * @throws {RuntimeError} `JOB_JOURNAL_UNAVAILABLE` when the file cannot be opened or is newer.
 */
export function openJobJournal(options: JobJournalOptions = {}): JobJournal {
  const file = options.file ?? defaultJournalFile(options.registryFile);
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000));
  const inMemory = file === ":memory:";
  let db: Database.Database;
  try {
    if (!inMemory) createPrivately(file);
    const Libsql = loadLibsql();
    db = new Libsql(file, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new RuntimeError(
      "JOB_JOURNAL_UNAVAILABLE",
      `cannot open the job journal ${file}: ${(error as Error).message}`,
      { cause: error, hints: ["check that its folder exists and is writable by you"] },
    );
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    migrateJournal(db, file);
    if (!inMemory) restrictModes(file);
  } catch (error) {
    db.close();
    if (RuntimeError.isInstance(error)) throw error;
    throw new RuntimeError(
      "JOB_JOURNAL_UNAVAILABLE",
      `cannot open the job journal ${file}: ${(error as Error).message}`,
      {
        cause: error,
        hints: [`if the file is damaged, move it away (${file}); the next ask creates a new journal`],
      },
    );
  }
  return new SqliteJobJournal(db, file, { kind: options.ownerKind ?? "cli", ...currentProcessIdentity() });
}

class SqliteJobJournal implements JobJournal {
  readonly file: string;
  readonly owner: JobOwner;
  readonly #db: Database.Database;
  readonly #stmt;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(db: Database.Database, file: string, owner: JobOwner) {
    this.#db = db;
    this.file = file;
    this.owner = owner;
    this.#stmt = {
      insert: db.prepare(
        `INSERT INTO jobs (id, worker, profile, status, message, owner_kind, owner_pid, owner_start,
           session, caller_session, started_at, parent_job)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      running: db.prepare(`UPDATE jobs SET status = 'running' WHERE id = ? AND status = 'queued'`),
      tool: db.prepare(`UPDATE jobs SET tool = ? WHERE id = ? AND ${ACTIVE}`),
      finish: db.prepare(
        `UPDATE jobs SET
           status = CASE WHEN ${ACTIVE} THEN @status ELSE status END,
           ended_at = COALESCE(ended_at, @now),
           tool = NULL,
           text = CASE WHEN ${ACTIVE} THEN @text ELSE text END,
           text_chars = CASE WHEN ${ACTIVE} THEN @text_chars ELSE text_chars END,
           error_code = CASE WHEN ${ACTIVE} THEN @error_code ELSE error_code END,
           error = CASE WHEN ${ACTIVE} THEN @error ELSE error END,
           tokens_input = COALESCE(@tokens_input, tokens_input),
           tokens_output = COALESCE(@tokens_output, tokens_output),
           tokens_reasoning = COALESCE(@tokens_reasoning, tokens_reasoning),
           tokens_cache_read = COALESCE(@tokens_cache_read, tokens_cache_read),
           tokens_cache_write = COALESCE(@tokens_cache_write, tokens_cache_write),
           cost = COALESCE(@cost, cost),
           cost_source = COALESCE(@cost_source, cost_source),
           model = COALESCE(@model, model)
         WHERE id = @id`,
      ),
      cancel: db.prepare(
        `UPDATE jobs SET status = 'cancelled', ended_at = ?, tool = NULL, error_code = 'JOB_CANCELLED', error = ?
         WHERE id = ? AND ${ACTIVE}`,
      ),
      get: db.prepare("SELECT * FROM jobs WHERE id = ?"),
      owners: db.prepare(`SELECT DISTINCT owner_kind, owner_pid, owner_start FROM jobs WHERE ${ACTIVE}`),
      interrupt: db.prepare(
        `UPDATE jobs SET status = 'interrupted', ended_at = ?, tool = NULL, error_code = 'JOB_INTERRUPTED', error = ?
         WHERE owner_pid = ? AND owner_start = ? AND ${ACTIVE}`,
      ),
      active: db.prepare(`SELECT * FROM jobs WHERE ${ACTIVE} ORDER BY started_at DESC, rowid DESC`),
      activeOf: db.prepare(
        `SELECT * FROM jobs WHERE ${ACTIVE} AND worker = ? ORDER BY started_at DESC, rowid DESC`,
      ),
      // An ended job, and only an ended one, has `ended_at`: the `jobs_ended` index serves these.
      ended: db.prepare(
        "SELECT * FROM jobs WHERE ended_at IS NOT NULL ORDER BY ended_at DESC, rowid DESC LIMIT ?",
      ),
      endedOf: db.prepare(
        "SELECT * FROM jobs WHERE ended_at IS NOT NULL AND worker = ? ORDER BY ended_at DESC, rowid DESC LIMIT ?",
      ),
      all: db.prepare("SELECT * FROM jobs ORDER BY started_at DESC, rowid DESC"),
      allOf: db.prepare("SELECT * FROM jobs WHERE worker = ? ORDER BY started_at DESC, rowid DESC"),
      recentIds: db.prepare("SELECT id FROM jobs ORDER BY started_at DESC, rowid DESC LIMIT 10"),
      spendOfWorker: db.prepare(`${SPEND} WHERE NOT ${ACTIVE} AND worker = ? AND session IS ? AND id <> ?`),
      spendOfSession: db.prepare(
        `${SPEND} WHERE NOT ${ACTIVE} AND profile = ? AND caller_session IS ? AND id <> ?`,
      ),
    };
  }

  create(job: NewJob): JobRecord {
    const o = this.owner;
    for (let attempt = 0; ; attempt++) {
      const id = `job-${randomBytes(4).toString("hex")}`;
      try {
        this.#stmt.insert.run(
          id,
          job.worker,
          job.profile,
          truncateText(job.message),
          o.kind,
          o.pid,
          o.startTime,
          job.session ?? null,
          job.callerSession ?? null,
          Date.now(),
          job.parentJobId ?? null,
        );
        return this.#read(id) as JobRecord;
      } catch (error) {
        if (!isPrimaryKeyClash(error) || attempt >= 5) throw error;
      }
    }
  }

  markRunning(id: string): void {
    this.#stmt.running.run(id);
  }

  setTool(id: string, tool: string | null): void {
    this.#stmt.tool.run(tool, id);
  }

  finish(id: string, outcome: JobOutcome): JobRecord | undefined {
    const usage = outcome.usage;
    const tokens = usage?.tokens ?? null;
    this.#stmt.finish.run({
      id,
      now: Date.now(),
      status: outcome.status,
      text: outcome.status === "done" ? truncateText(outcome.text) : null,
      text_chars: outcome.status === "done" ? outcome.text.length : null,
      error_code: outcome.status === "done" ? null : outcome.errorCode,
      error: outcome.status === "done" ? null : truncateText(outcome.error),
      tokens_input: tokens?.input ?? null,
      tokens_output: tokens?.output ?? null,
      tokens_reasoning: tokens?.reasoning ?? null,
      tokens_cache_read: tokens?.cacheRead ?? null,
      tokens_cache_write: tokens?.cacheWrite ?? null,
      // An unknown cost keeps its known part for the budgets' spend; the record's cost is null.
      cost: usage?.cost ?? usage?.knownCost ?? null,
      cost_source: usage?.cost === null || usage?.cost === undefined ? null : usage.costSource,
      model: usage?.model ?? null,
    });
    return this.#read(id);
  }

  markCancelled(id: string, reason: string): boolean {
    return this.#stmt.cancel.run(Date.now(), truncateText(reason), id).changes > 0;
  }

  get(id: string): JobRecord | undefined {
    this.sweep();
    return this.#read(id);
  }

  require(id: string): JobRecord {
    const job = this.get(id);
    if (job) return job;
    const recent = (this.#stmt.recentIds.all() as { id: string }[]).map((r) => r.id);
    throw new RuntimeError(
      "JOB_NOT_FOUND",
      `no job "${id}"${recent.length ? `; recent jobs: ${recent.join(", ")}` : "; no jobs yet"}`,
      { hints: ["list jobs with `orchestra jobs` or list_worker_jobs"] },
    );
  }

  list(options: JobListOptions = {}): JobRecord[] {
    this.sweep();
    const { worker } = options;
    const rows = options.all
      ? worker === undefined
        ? this.#stmt.all.all()
        : this.#stmt.allOf.all(worker)
      : [
          ...(worker === undefined ? this.#stmt.active.all() : this.#stmt.activeOf.all(worker)),
          ...(worker === undefined
            ? this.#stmt.ended.all(options.recent ?? 20)
            : this.#stmt.endedOf.all(worker, options.recent ?? 20)),
        ];
    return (rows as JobRow[]).map(toJobRecord);
  }

  spend(scope: SpendScope, exceptJob = ""): { cost: number; tokens: number } {
    const row = (
      "worker" in scope
        ? this.#stmt.spendOfWorker.get(scope.worker, scope.session, exceptJob)
        : this.#stmt.spendOfSession.get(scope.profile, scope.callerSession, exceptJob)
    ) as { cost: number; tokens: number };
    return { cost: row.cost, tokens: row.tokens };
  }

  findRunningByWorker(worker: string): JobRecord[] {
    this.sweep();
    return (this.#stmt.activeOf.all(worker) as JobRow[]).map(toJobRecord);
  }

  sweep(): number {
    let changed = 0;
    const owners = this.#stmt.owners.all() as Pick<JobRow, "owner_kind" | "owner_pid" | "owner_start">[];
    for (const o of owners) {
      const ours = o.owner_pid === this.owner.pid && o.owner_start === this.owner.startTime;
      if (ours || isSameProcess(o.owner_pid, o.owner_start)) continue;
      const who = o.owner_kind === "cli" ? "orchestra command" : "orchestrator";
      changed += this.#stmt.interrupt.run(
        Date.now(),
        `its owner (${who}, pid ${o.owner_pid}) exited while the job ran`,
        o.owner_pid,
        o.owner_start,
      ).changes;
    }
    return changed;
  }

  startSweeping(intervalMs = 5_000): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => {
      try {
        this.sweep();
      } catch {
        // A busy or damaged journal is swept at the next tick or read.
      }
    }, intervalMs);
    this.#timer.unref();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#db.close();
  }

  #read(id: string): JobRecord | undefined {
    const row = this.#stmt.get.get(id) as JobRow | undefined;
    return row === undefined ? undefined : toJobRecord(row);
  }
}
