import { steerJob } from "@orchestra/runtime";
import { UsageError } from "../usage-error.js";
import { device } from "./workers-options.js";

/** The options of `orchestra workers steer`. */
export interface SteerOptions {
  json?: boolean;
  registry?: string;
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

/** `orchestra workers steer <id> <message>`: queue an instruction for a busy worker's next step. */
export async function runSteer(id: string, message: string, options: SteerOptions): Promise<void> {
  if (message.trim() === "")
    throw new UsageError("the instruction is empty", {
      hints: ['say what the worker should do differently: orchestra workers steer <id> "<message>"'],
    });
  const result = await steerJob(id, message, device(options));
  await write(
    options.json
      ? `${JSON.stringify({ worker: result.workerId, job: result.jobId ?? null, mode: result.mode })}\n`
      : `queued for ${result.workerId}${result.jobId === undefined ? "" : ` (job ${result.jobId})`}: its model reads the instruction at its next step; the waiting ask ends with the answer written after it\n`,
  );
}
