import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

/** `cancel_worker_job` and `steer_worker`: stop or redirect a worker's current job without stopping the worker. */
export function jobControlTools(orchestra: Orchestra, activity: Activity): Record<string, ToolDefinition> {
  return {
    cancel_worker_job: tool({
      description:
        "Cancel a worker's job without stopping the worker: aborts its current turn (the model call and any running tool) within about 2 s. The ask waiting for that job, in this session or any other process (an `orchestra workers ask`), ends with the code JOB_CANCELLED; the worker is ready again and keeps its session and history; other workers are untouched. Give a job id (ask_worker_async, list_worker_jobs) or a worker id for its current job. Use when a job runs too long or went the wrong way; use stop_worker to end the worker itself.",
      args: {
        id: z
          .string()
          .min(1)
          .describe(
            "A job id (job-…) or a worker id (its current job), from list_worker_jobs or list_workers.",
          ),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const result = await orchestra.cancel(args.id);
          const job = result.jobId === undefined ? "its current job" : `job ${result.jobId}`;
          activity.log("job", `${result.workerId}: ${job} cancelled`);
          return respond(
            args.format,
            result,
            () =>
              `Cancelled ${job} of worker ${result.workerId} (its turn was aborted in ${Math.round(result.durationMs)} ms). The waiting ask ends with JOB_CANCELLED; the worker is ready and keeps its session: ask it again when you need it.`,
          );
        }),
    }),

    steer_worker: tool({
      description:
        "Give a busy worker an extra instruction while it works, without cancelling its job. The instruction is queued in the worker's session: whatever it is doing now (a reply, a tool call) finishes, then its model reads the instruction at its next step and goes on with it. The ask waiting for the job ends as usual, with the worker's final answer, written after the instruction. Fails with JOB_NOT_RUNNING when the worker is idle (ask it instead). Use to correct or narrow a long job; use cancel_worker_job to drop it.",
      args: {
        id: z.string().min(1).describe("The busy worker's id, or its running job's id."),
        message: z.string().min(1).describe("The extra instruction, e.g. 'also cover the error cases'."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const result = await orchestra.steer(args.id, args.message);
          const job = result.jobId === undefined ? "" : ` (job ${result.jobId})`;
          activity.log("job", `${result.workerId}${job}: instruction queued`);
          return respond(
            args.format,
            result,
            () =>
              `Queued for worker ${result.workerId}${job}: its model reads the instruction at its next step. The waiting ask ends with the worker's final answer, written after it.`,
          );
        }),
    }),
  };
}
