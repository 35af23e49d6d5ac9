import type { Command } from "commander";
import type { JobsOptions } from "./jobs-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/** `orchestra jobs [--json] [--watch] [--all]`: the job journal (every ask of every process). */
export function registerJobsCommand(program: Command): void {
  program
    .command("jobs")
    .description(
      "List the jobs of the job journal: every ask of a worker (ask_worker, ask_worker_async, delegate_task, workflows, `orchestra workers ask`) from every orchestrator and orchestra command of this user. By default the running jobs and the last 20 ended ones. A job whose owner process died while it ran shows `interrupted`.",
    )
    .option(
      "--json",
      "print a JSON array of { id, worker, profile, status, startedAt, endedAt, tool, tokens, cost }: times as ISO 8601 strings, endedAt/tool/tokens/cost null when none or unknown, tokens { input, output, reasoning, cacheRead, cacheWrite }, cost in USD as OpenCode reports it",
    )
    .option("--all", "every job of the journal, not only the running ones and the last 20 ended ones")
    .option("--watch", "redraw the table every second until Ctrl-C (with --json: one array per line)")
    .option(...REGISTRY_OPTION)
    .addHelpText(
      "after",
      "\nStatuses: queued, running, done, failed, cancelled, interrupted (the owner process exited while the job ran).\nThe journal is jobs.db beside the device registry ($XDG_DATA_HOME/opencode/orchestra/).",
    )
    .action(async (options: JobsOptions) => {
      const { runJobs } = await import("./jobs-action.js");
      await runJobs(options);
    });
}
