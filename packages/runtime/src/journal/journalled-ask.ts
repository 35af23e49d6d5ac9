import { OrchestraError } from "@orchestra/core";
import type { JobLedger } from "../ledger/job-ledger.js";
import { priceUsage } from "../ledger/pricing.js";
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
  parentJobId?: string,
): JobRecord | undefined {
  const info = worker.info;
  return quietly(() =>
    journal.create({
      worker: info.id,
      profile: info.profile,
      message,
      session: info.sessionId,
      ...(callerSession === undefined ? {} : { callerSession }),
      ...(parentJobId === undefined ? {} : { parentJobId }),
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
  ledger: JobLedger = {},
): Promise<AskResult> {
  if (job === undefined) return worker.ask(message, options);
  const id = job.id;
  // The job's budget (if its profile has one) watches its spending and may cancel it.
  const budget = ledger.budgets?.watch(job, worker);
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
  const usage = async (timeoutMs: number) =>
    priceUsage(
      await readJobUsage(worker.client, worker.info.sessionId, job.startedAt, timeoutMs),
      ledger.prices?.(),
    );
  try {
    const result = await worker.ask(message, {
      ...options,
      jobId: id,
      onStream: (m) => {
        track(m);
        onStream?.(m);
      },
      ...(budget === undefined ? {} : { onEvent: budget.onEvent }),
    });
    const used = await usage(3_000);
    const over = budget?.finish(used);
    if (over !== undefined) throw over;
    quietly(() => journal.finish(id, { status: "done", text: result.text, usage: used }));
    const notes = budget?.notes() ?? [];
    const answer = { ...result, jobId: id };
    return notes.length === 0 ? answer : { ...answer, notes: [...(result.notes ?? []), ...notes] };
  } catch (thrown) {
    // A failed worker may not answer at all: wait less for its usage.
    const used = await usage(1_000);
    // A job its budget cancelled ends with BUDGET_EXCEEDED (saying what it spent), not JOB_CANCELLED.
    const error = budget === undefined ? thrown : budget.error(thrown, used);
    const code = codeOf(error);
    quietly(() =>
      journal.finish(id, {
        status: code === "JOB_CANCELLED" || code === "BUDGET_EXCEEDED" ? "cancelled" : "failed",
        errorCode: code,
        error: (error as Error).message ?? String(error),
        usage: used,
      }),
    );
    throw error;
  }
}

/**
 * Ask `worker` as a job of the journal (see {@link runJob}), under `ledger`'s budgets: an ask whose
 * budget is already reached is refused (`BUDGET_EXCEEDED`) before it is recorded.
 */
export async function journalledAsk(
  journal: JobJournal,
  worker: Worker,
  message: string,
  options: AskOptions = {},
  ledger: JobLedger = {},
): Promise<AskResult> {
  ledger.budgets?.admit(worker, options.callerSession);
  return runJob(
    journal,
    recordJob(journal, worker, message, options.callerSession, options.parentJobId),
    worker,
    message,
    options,
    ledger,
  );
}
