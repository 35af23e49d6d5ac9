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
      : `cancelled ${result.jobId === undefined ? "the current job" : `job ${result.jobId}`} of ${result.workerId}: its turn was aborted in ${ms} ms; the waiting ask ends with JOB_CANCELLED and the worker stays ready\n`,
  );
}
