import { RuntimeError } from "../runtime-error.js";
import { notRunningError, sessionBusy, type TurnTarget } from "./cancel.js";
import type { ModelRef } from "./worker.js";

/** What `steerTurn` did. */
export interface SteerResult {
  /** The worker that got the instruction. */
  workerId: string;
  /** The job it was working on, when known. */
  jobId?: string;
  /**
   * Always `queued`: the instruction waits in the worker's session and the model reads it at its
   * next step (after the reply or tool call it is making now); the turn is never interrupted.
   */
  mode: "queued";
}

/** The agent and model of the session's last user message (the running turn's). */
async function runningTurn(target: TurnTarget): Promise<{ agent?: string; model?: ModelRef }> {
  const result = await target.client.session
    .messages({ sessionID: target.sessionId, limit: 20 }, { signal: AbortSignal.timeout(2_000) })
    .catch(() => undefined);
  const messages = (result?.data ?? []) as {
    info: { role: string; agent?: string; model?: { providerID?: string; modelID?: string } };
  }[];
  const user = messages.findLast((m) => m.info.role === "user")?.info;
  const model =
    user?.model?.providerID !== undefined && user.model.modelID !== undefined
      ? { providerID: user.model.providerID, modelID: user.model.modelID }
      : undefined;
  return {
    ...(user?.agent === undefined ? {} : { agent: user.agent }),
    ...(model === undefined ? {} : { model }),
  };
}

/**
 * Give a busy worker an extra instruction. OpenCode 1.18.33 queues a message sent to a busy
 * session (`prompt_async`): it is stored at once, the model call or tool running now finishes,
 * and the session's loop, before ending the turn, sees a user message newer than its last reply
 * and runs one more step with it. So the instruction reaches the model at its next step, nothing
 * is interrupted, and the ask waiting for the turn ends with the answer written after the steer.
 * The message runs with the running turn's agent and model (read from the session), so the
 * worker's profile and model stay as they are.
 * @throws {RuntimeError} `JOB_NOT_RUNNING` when the worker is idle (ask it instead);
 * `WORKER_UNAVAILABLE` when its server does not take the message.
 */
export async function steerTurn(target: TurnTarget, message: string): Promise<SteerResult> {
  if (!(await sessionBusy(target.client, target.sessionId))) throw notRunningError(target.workerId, "steer");
  const { agent, model } = await runningTurn(target);
  const result = await target.client.session
    .promptAsync(
      {
        sessionID: target.sessionId,
        ...(agent === undefined ? {} : { agent }),
        ...(model === undefined ? {} : { model }),
        parts: [{ type: "text", text: message }],
      },
      { signal: AbortSignal.timeout(5_000) },
    )
    .catch((error: unknown) => ({ error }));
  if (result.error !== undefined)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `worker "${target.workerId}" did not take the instruction: ${String((result.error as Error).message ?? JSON.stringify(result.error)).slice(0, 200)}`,
      { hints: ["check the worker with `orchestra workers list` (health) or health_check"] },
    );
  return {
    workerId: target.workerId,
    ...(target.jobId === undefined ? {} : { jobId: target.jobId }),
    mode: "queued",
  };
}
