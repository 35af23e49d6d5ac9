import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { RuntimeError } from "../runtime-error.js";

/** A worker's current turn, as a cancel or a steer reaches it: its server's client and its session. */
export interface TurnTarget {
  /** The worker id (for messages). */
  workerId: string;
  /** A client of the worker's own server (a process worker's, with its password), or the host's. */
  client: OpencodeClient;
  /** The worker's session on that server. */
  sessionId: string;
  /**
   * The job whose turn it is, when known: a cancel or steer by job id, or the worker's running
   * job. Only named in messages.
   */
  jobId?: string;
}

/** What `cancelTurn` did. */
export interface CancelResult {
  /** The worker whose turn was aborted. */
  workerId: string;
  /** The job that was cancelled, when known. */
  jobId?: string;
  /**
   * When no job of the journal was running the aborted turn: the worker's last job, `interrupted`
   * because the process asking it is gone (killed), while its turn kept running.
   */
  interruptedJobId?: string;
  /** How long the abort took, in ms (OpenCode answers once the turn has stopped). */
  durationMs: number;
}

/** OpenCode's name for an assistant message (or session error) whose turn was aborted. */
const ABORTED = "MessageAbortedError";

/**
 * Whether an OpenCode message or session error is an abort (`session.abort`): ours (a timeout,
 * a stop) or another client's (a cancel from another process). Never a model failure.
 */
export function isAbortError(error: { name?: string } | undefined): boolean {
  return error?.name === ABORTED;
}

/**
 * The error a waiting ask ends with when its turn was aborted by someone else: `JOB_CANCELLED`.
 * The worker is `ready` again and keeps its session.
 */
export function jobCancelledError(workerId: string, jobId?: string): RuntimeError {
  const job = jobId === undefined ? "its job" : `its job ${jobId}`;
  return new RuntimeError(
    "JOB_CANCELLED",
    `worker "${workerId}" did not answer: ${job} was cancelled (its turn was aborted by \`orchestra workers cancel\`, cancel_worker_job or another client of its server)`,
    {
      hints: [
        `the worker is ready again and keeps its session: ask it again (ask_worker, \`orchestra workers ask ${workerId}\`)`,
      ],
    },
  );
}

/** `JOB_NOT_RUNNING`: the worker is not working on anything, so there is nothing to cancel or steer. */
export function notRunningError(workerId: string, what: "cancel" | "steer"): RuntimeError {
  return new RuntimeError(
    "JOB_NOT_RUNNING",
    `worker "${workerId}" is not working on a job: nothing to ${what}`,
    {
      hints:
        what === "steer"
          ? [`give it the instruction as a new ask (ask_worker, \`orchestra workers ask ${workerId}\`)`]
          : ["list the running jobs with list_worker_jobs or `orchestra workers list`"],
    },
  );
}

/** Whether the worker's session is running a turn now (`GET /session/status`). */
export async function sessionBusy(client: OpencodeClient, sessionId: string): Promise<boolean> {
  const result = await client.session.status(undefined, { signal: AbortSignal.timeout(2_000) });
  if (result.error !== undefined || result.data === undefined)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `the worker's server did not say whether session ${sessionId} is busy: ${JSON.stringify(result.error ?? "no answer").slice(0, 200)}`,
      { hints: ["check the worker with `orchestra workers list` (health) or health_check"] },
    );
  const status = (result.data as Record<string, { type?: string }>)[sessionId];
  return status !== undefined && status.type !== "idle";
}

/**
 * Abort a worker's current turn (`session.abort` on its server): the model call and any running
 * tool stop, the session and its history stay, the worker is idle (`ready`) again. The ask
 * waiting for the turn, in whichever process, ends with `JOB_CANCELLED`.
 * @param busy the caller already knows the worker has a turn running (skips the status check)
 * @throws {RuntimeError} `JOB_NOT_RUNNING` when the session is idle; `WORKER_UNAVAILABLE` when its
 * server does not answer within 2 s.
 */
export async function cancelTurn(
  target: TurnTarget,
  options: { busy?: boolean } = {},
): Promise<CancelResult> {
  const started = performance.now();
  if (options.busy !== true && !(await sessionBusy(target.client, target.sessionId)))
    throw notRunningError(target.workerId, "cancel");
  const result = await target.client.session
    .abort({ sessionID: target.sessionId }, { signal: AbortSignal.timeout(2_000) })
    .catch((error: unknown) => ({ error, data: undefined }));
  if (result.error !== undefined || result.data !== true)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `the worker "${target.workerId}" did not abort its turn: ${String((result.error as Error | undefined)?.message ?? JSON.stringify(result.error ?? result.data)).slice(0, 200)}`,
      {
        hints: [
          "a hard stop always works: stop_worker or `orchestra workers stop` (kills its process group)",
        ],
      },
    );
  return {
    workerId: target.workerId,
    ...(target.jobId === undefined ? {} : { jobId: target.jobId }),
    durationMs: performance.now() - started,
  };
}
