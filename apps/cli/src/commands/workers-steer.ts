import type { Command } from "commander";
import { REGISTRY_OPTION } from "./workers-options.js";
import type { SteerOptions } from "./workers-steer-action.js";

/**
 * `orchestra workers steer <id> <message>`: give a busy worker an extra instruction, queued for its
 * model's next step; the ask waiting for the job ends with the answer written after it.
 */
export function registerWorkersSteerCommand(workersCommand: Command): void {
  workersCommand
    .command("steer <id> <message>")
    .description(
      "Give a busy worker (its id, or its running job's id) an extra instruction: it is queued in the worker's session and its model reads it at its next step, after the reply or tool call in progress; the waiting ask ends with the answer written after it. An idle worker fails with JOB_NOT_RUNNING (ask it instead).",
    )
    .option("--json", "print one JSON object: { worker, job, mode }")
    .option(...REGISTRY_OPTION)
    .action(async (id: string, message: string, options: SteerOptions) => {
      const { runSteer } = await import("./workers-steer-action.js");
      await runSteer(id, message, options);
    });
}
