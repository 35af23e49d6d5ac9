import { isTerminalJobStatus, type JobRecord } from "../journal/job-record.js";
import type { JobJournal } from "../journal/journal.js";
import { recordJob, runJob } from "../journal/journalled-ask.js";
import type { JobLedger } from "../ledger/job-ledger.js";
import type { AskOptions, AskResult, Worker } from "./worker.js";

/**
 * A job of the journal (any process's). `result`, the full answer, is there only for a job this
 * process ran and finished; the journal keeps its first 2 000 characters (`text`) for everyone.
 */
export type Job = JobRecord & { result?: AskResult };

/** A job this process runs: how to abort it, and its answer once it has one. */
interface LocalJob {
  workerId: string;
  controller: AbortController;
  done: Promise<void>;
  settled: boolean;
  result?: AskResult;
}

/**
 * The jobs of an orchestrator, in the user's job journal: every ask (sync or async) is a job there,
 * and reads see every process's jobs. Async asks (`ask_worker_async`) run in the background here;
 * waiting for another process's job polls the journal.
 */
export class JobStore {
  readonly #journal: () => JobJournal;
  readonly #local = new Map<string, LocalJob>();
  readonly #limit: number;
  readonly #pollMs: number;
  /** The catalog prices and budgets every job is run under (see {@link JobStore.useLedger}). */
  #ledger: JobLedger = {};

  /**
   * @param journal the journal (opened on first use).
   * @param options `limit`: finished jobs whose full answer is kept (oldest dropped first);
   * `pollMs`: how often waiting for another process's job reads the journal.
   */
  constructor(journal: () => JobJournal, options: { limit?: number; pollMs?: number } = {}) {
    this.#journal = journal;
    this.#limit = options.limit ?? 200;
    this.#pollMs = options.pollMs ?? 250;
  }

  /** Run every job with the catalog's prices (for costs OpenCode does not report) and the profiles' budgets. */
  useLedger(ledger: JobLedger): void {
    this.#ledger = ledger;
  }

  /** The journal (opened on the first call). */
  get journal(): JobJournal {
    return this.#journal();
  }

  /** Ask `worker` and wait, as a job of the journal. */
  ask(worker: Worker, message: string, options: AskOptions = {}): Promise<AskResult> {
    const journal = this.#journal();
    // An ask whose budget is already reached is refused before it is a job (BUDGET_EXCEEDED).
    try {
      this.#ledger.budgets?.admit(worker, options.callerSession);
    } catch (error) {
      return Promise.reject(error);
    }
    return runJob(
      journal,
      recordJob(journal, worker, message, options.callerSession, options.parentJobId),
      worker,
      message,
      options,
      this.#ledger,
    );
  }

  /** Start an ask of `worker` in the background; the job is returned at once. */
  start(worker: Worker, message: string, options: Omit<AskOptions, "signal"> = {}): Job {
    const journal = this.#journal();
    this.#ledger.budgets?.admit(worker, options.callerSession);
    const job = journal.create({
      worker: worker.id,
      profile: worker.info.profile,
      message,
      session: worker.info.sessionId,
      ...(options.callerSession === undefined ? {} : { callerSession: options.callerSession }),
      ...(options.parentJobId === undefined ? {} : { parentJobId: options.parentJobId }),
    });
    const controller = new AbortController();
    const local: LocalJob = { workerId: worker.id, controller, done: Promise.resolve(), settled: false };
    local.done = runJob(
      journal,
      job,
      worker,
      message,
      { ...options, signal: controller.signal },
      this.#ledger,
    ).then(
      (result) => {
        local.result = result;
        local.settled = true;
      },
      () => {
        local.settled = true;
      },
    );
    this.#local.set(job.id, local);
    this.#prune();
    return { ...job };
  }

  /** The job, or `JOB_NOT_FOUND` naming recent jobs. */
  get(id: string): Job {
    return this.#withResult(this.#journal().require(id));
  }

  /** Wait for a job to end, at most `timeoutMs`; returns its state either way. */
  async wait(id: string, timeoutMs: number): Promise<Job> {
    let job = this.get(id);
    const local = this.#local.get(id);
    if (local !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        local.done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      return this.get(id);
    }
    // Another process's job: read the journal until it ends (a dead owner's becomes `interrupted`).
    const deadline = Date.now() + timeoutMs;
    while (!isTerminalJobStatus(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#pollMs, deadline - Date.now())));
      job = this.get(id);
    }
    return job;
  }

  /** The running jobs and the last 20 ended ones of every process, optionally of one worker. */
  list(workerId?: string): Job[] {
    return this.#journal()
      .list(workerId === undefined ? {} : { worker: workerId })
      .map((j) => this.#withResult(j));
  }

  /** Abort this process's running jobs of a worker (it died or was stopped); they end `failed`. */
  cancelWorker(workerId: string, reason: string): number {
    let n = 0;
    for (const local of this.#local.values()) {
      if (local.workerId === workerId && !local.settled && !local.controller.signal.aborted) {
        local.controller.abort(reason);
        n++;
      }
    }
    return n;
  }

  #withResult(job: JobRecord): Job {
    const result = this.#local.get(job.id)?.result;
    return result === undefined ? { ...job } : { ...job, result };
  }

  #prune(): void {
    const excess = this.#local.size - this.#limit;
    if (excess <= 0) return;
    let dropped = 0;
    for (const [id, local] of this.#local) {
      if (dropped >= excess) break;
      if (local.settled) {
        this.#local.delete(id);
        dropped++;
      }
    }
  }
}
