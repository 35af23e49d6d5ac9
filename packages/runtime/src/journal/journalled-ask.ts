import { OrchestraError } from "@orchestra/core";
import type { StreamMessage } from "../workers/stream.js";
import type { AskOptions, AskResult, Worker } from "../workers/worker.js";
import type { JobRecord } from "./job-record.js";
import { readJobUsage } from "./job-usage.js";
import type { JobJournal } from "./journal.js";

/** A journal write that fails (a damaged file, a lock held too long) never fails the ask. */
function quietly<T>(write: () => T): T | undefined {
  try {
    return write();
  } catch {
    return undefined;
  }
}

/**
 * Record a new `queued` job for an ask of `worker`, or `undefined` when the journal cannot
 * record it (the ask runs anyway).
 */
export function recordJob(
  journal: JobJournal,
  worker: Worker,
  message: string,
  callerSession?: string,
): JobRecord | undefined {
  const info = worker.info;
  return quietly(() =>
    journal.create({
      worker: info.id,
      profile: info.profile,
      message,
      session: info.sessionId,
      ...(callerSession === undefined ? {} : { callerSession }),
    }),
  );
}

/** The stable code of an ask's error (`WORKER_ASK_FAILED` for an error outside the family). */
function codeOf(error: unknown): string {
  return OrchestraError.isInstance(error) ? error.code : "WORKER_ASK_FAILED";
}

/**
 * Run the ask of a recorded job: its stream keeps the job's state (`running` at the first message,
 * the current tool from tool starts and ends) and the job ends `done`, `failed` or `cancelled`
 * (`JOB_CANCELLED`) with the worker session's tokens and cost. The stream's messages carry the
 * job's id. The caller's `onStream` still receives every message.
 */
export async function runJob(
  journal: JobJournal,
  job: JobRecord | undefined,
  worker: Worker,
  message: string,
  options: AskOptions = {},
): Promise<AskResult> {
  if (job === undefined) return worker.ask(message, options);
  const id = job.id;
  let running = false;
  /** Tool calls running now, in start order: the job's tool is the last one started. */
  const tools = new Map<string, string>();
  const track = (m: StreamMessage): void => {
    if (!running) {
      running = true;
      quietly(() => journal.markRunning(id));
    }
    if (m.kind !== "tool-start" && m.kind !== "tool-end") return;
    if (m.kind === "tool-start") tools.set(m.payload.callId, m.payload.tool);
    else tools.delete(m.payload.callId);
    quietly(() => journal.setTool(id, [...tools.values()].at(-1) ?? null));
  };
  const onStream = options.onStream;
  const usage = (timeoutMs: number) =>
    readJobUsage(worker.client, worker.info.sessionId, job.startedAt, timeoutMs);
  try {
    const result = await worker.ask(message, {
      ...options,
      jobId: id,
      onStream: (m) => {
        track(m);
        onStream?.(m);
      },
    });
    const used = await usage(3_000);
    quietly(() => journal.finish(id, { status: "done", text: result.text, usage: used }));
    return result;
  } catch (error) {
    const code = codeOf(error);
    // A failed worker may not answer at all: wait less for its usage.
    const used = await usage(1_000);
    quietly(() =>
      journal.finish(id, {
        status: code === "JOB_CANCELLED" ? "cancelled" : "failed",
        errorCode: code,
        error: (error as Error).message ?? String(error),
        usage: used,
      }),
    );
    throw error;
  }
}

/** Ask `worker` as a job of the journal (see {@link runJob}). */
export function journalledAsk(
  journal: JobJournal,
  worker: Worker,
  message: string,
  options: AskOptions = {},
): Promise<AskResult> {
  return runJob(
    journal,
    recordJob(journal, worker, message, options.callerSession),
    worker,
    message,
    options,
  );
}
