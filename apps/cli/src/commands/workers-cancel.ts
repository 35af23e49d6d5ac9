import type { Command } from "commander";
import type { CancelOptions } from "./workers-cancel-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/**
 * `orchestra workers cancel <id>`: cancel a worker's current job (or the job with that id) without
 * stopping the worker. Its turn is aborted on its own server; the ask waiting for it, in any
 * process, ends with `JOB_CANCELLED`.
 */
export function registerWorkersCancelCommand(workersCommand: Command): void {
  workersCommand
    .command("cancel <id>")
    .description(
      "Cancel a worker's current job (give the worker id) or a job (give the job id) without stopping the worker: its turn is aborted within about 2 s, the ask waiting for it (in any process) ends with JOB_CANCELLED, and the worker stays ready with its session. A hard stop is `orchestra workers stop`.",
    )
    .option("--json", "print one JSON object: { worker, job, durationMs }")
    .option(...REGISTRY_OPTION)
    .action(async (id: string, options: CancelOptions) => {
      const { runCancel } = await import("./workers-cancel-action.js");
      await runCancel(id, options);
    });
}
