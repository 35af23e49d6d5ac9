import { cancelJob } from "@orchestra/runtime";
import { device } from "./workers-options.js";

/** The options of `orchestra workers cancel`. */
export interface CancelOptions {
  json?: boolean;
  registry?: string;
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

/** `orchestra workers cancel <id>`: abort the worker's turn (by worker id or job id) and say what was cancelled. */
export async function runCancel(id: string, options: CancelOptions): Promise<void> {
  const result = await cancelJob(id, { ...device(options), by: "`orchestra workers cancel`" });
  const ms = Math.round(result.durationMs);
  await write(
    options.json
      ? `${JSON.stringify({ worker: result.workerId, job: result.jobId ?? null, durationMs: ms })}\n`
      : result.jobId !== undefined
        ? `cancelled job ${result.jobId} of ${result.workerId}: its turn was aborted in ${ms} ms; the waiting ask ends with JOB_CANCELLED and the worker stays ready\n`
        : `aborted the running turn of ${result.workerId} in ${ms} ms (${result.interruptedJobId === undefined ? "no job of the journal was running it" : `its job ${result.interruptedJobId} was interrupted: the asking process is gone`}); the worker is ready for the next ask\n`,
  );
}
