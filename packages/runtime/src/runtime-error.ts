import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link RuntimeError}. */
export type RuntimeErrorCode =
  /** A worker process did not print its `listening on` line in time. */
  | "WORKER_START_TIMEOUT"
  /** A process worker's plugin did not prove that it enforces the worker's profile (it was stopped). */
  | "WORKER_ENFORCEMENT_UNVERIFIED"
  /** A worker process exited before or while it was used. */
  | "WORKER_EXITED"
  /** No worker with that id. */
  | "WORKER_NOT_FOUND"
  /** The worker is dead or stopped. */
  | "WORKER_UNAVAILABLE"
  /** A prompt to a worker failed or timed out. */
  | "WORKER_ASK_FAILED"
  /** A worker spawn was cancelled (shutdown, abort signal). */
  | "WORKER_SPAWN_CANCELLED"
  /** The OpenCode binary could not be found. */
  | "WORKER_OPENCODE_NOT_FOUND"
  /** No job with that id. */
  | "JOB_NOT_FOUND"
  /** The job's turn was aborted (`orchestra workers cancel`, `cancel_worker_job`): the ask ends with this. */
  | "JOB_CANCELLED"
  /** Nothing to cancel or steer: the job already ended, or the worker is not working on one. */
  | "JOB_NOT_RUNNING"
  /** The job journal cannot be opened (unwritable, damaged, or from a newer version). */
  | "JOB_JOURNAL_UNAVAILABLE"
  /** A job's owner process exited while the job ran (recorded in the journal, never thrown). */
  | "JOB_INTERRUPTED"
  /**
   * A profile's budget (`budgets.<profile>`): the job went past it and was cancelled, or an ask would
   * start with it already reached. The exact code issue 17 names (its own `BUDGET_` prefix, runtime's).
   */
  | "BUDGET_EXCEEDED";

/** An error of the worker runtime; `code` is stable, `hints` say what to do next. */
export class RuntimeError extends OrchestraError<RuntimeErrorCode> {
  static override readonly marker = errorMarker("RuntimeError");
  /** True for a RuntimeError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is RuntimeError {
    return OrchestraError.hasMarker(value, RuntimeError.marker);
  }
}
