import { randomUUID } from "node:crypto";
import { RuntimeError } from "../runtime-error.js";
import type { AskResult } from "./worker.js";

/** State of an asynchronous ask. */
type JobStatus = "running" | "succeeded" | "failed" | "cancelled";

/** An asynchronous ask of one worker. */
export interface Job {
  id: string;
  workerId: string;
  message: string;
  status: JobStatus;
  startedAt: number;
  finishedAt?: number;
  result?: AskResult;
  error?: string;
}

/**
 * Asynchronous asks (`ask_worker_async`): each job runs in the background and can be awaited,
 * read or listed; pending jobs of a dead worker are cancelled with a clear error.
 */
export class JobStore {
  readonly #jobs = new Map<string, { job: Job; done: Promise<Job>; controller: AbortController }>();
  readonly #limit: number;

  /** @param limit finished jobs kept for `get`/`list` (oldest dropped first). */
  constructor(limit = 200) {
    this.#limit = limit;
  }

  /** Start `run` as a job of `workerId`. */
  start(workerId: string, message: string, run: (signal: AbortSignal) => Promise<AskResult>): Job {
    const job: Job = {
      id: `job-${randomUUID().slice(0, 8)}`,
      workerId,
      message,
      status: "running",
      startedAt: Date.now(),
    };
    const controller = new AbortController();
    const done = run(controller.signal).then(
      (result) => Object.assign(job, { status: "succeeded", result, finishedAt: Date.now() } as const),
      (error: unknown) =>
        Object.assign(job, {
          status: controller.signal.aborted ? "cancelled" : "failed",
          error: error instanceof Error ? error.message : String(error),
          finishedAt: Date.now(),
        } as const),
    );
    this.#jobs.set(job.id, { job, done, controller });
    this.#prune();
    return { ...job };
  }

  /** The job, or `JOB_NOT_FOUND` naming the jobs that exist. */
  get(id: string): Job {
    const entry = this.#jobs.get(id);
    if (!entry) {
      const known = [...this.#jobs.keys()].slice(-10);
      throw new RuntimeError(
        "JOB_NOT_FOUND",
        `no job "${id}"${known.length ? `; recent jobs: ${known.join(", ")}` : "; no jobs yet"}`,
        {
          hints: ["list jobs with list_worker_jobs"],
        },
      );
    }
    return { ...entry.job };
  }

  /** Wait for a job to finish, at most `timeoutMs`; returns its state either way. */
  async wait(id: string, timeoutMs: number): Promise<Job> {
    this.get(id);
    const entry = this.#jobs.get(id);
    if (!entry) return this.get(id);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([entry.done, timeout]);
    clearTimeout(timer);
    return { ...entry.job };
  }

  /** Jobs, newest first, optionally of one worker. */
  list(workerId?: string): Job[] {
    return [...this.#jobs.values()]
      .map((e) => ({ ...e.job }))
      .filter((j) => workerId === undefined || j.workerId === workerId)
      .reverse();
  }

  /** Cancel the running jobs of a worker (it died or was stopped). */
  cancelWorker(workerId: string, reason: string): number {
    let n = 0;
    for (const { job, controller } of this.#jobs.values()) {
      if (job.workerId === workerId && job.status === "running") {
        controller.abort(reason);
        n++;
      }
    }
    return n;
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((e) => e.job.status !== "running");
    for (const e of finished.slice(0, Math.max(0, this.#jobs.size - this.#limit)))
      this.#jobs.delete(e.job.id);
  }
}
