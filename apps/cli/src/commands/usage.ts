import { type Command, Option } from "commander";
import type { UsageOptions } from "./usage-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/** `orchestra usage [--json] [--since DURATION] [--by worker|profile|model|session]`: the usage ledger. */
export function registerUsageCommand(program: Command): void {
  program
    .command("usage")
    .description(
      "What the orchestra spent: the tokens (input, output, reasoning, cache read, cache write) and cost of every ended job of the job journal (every ask of every orchestrator and orchestra command of this user), one row per worker, profile, model or orchestrator session, and a total row. A cost is OpenCode's, else computed from the model catalog's prices; a job whose model's prices are unknown has an unknown cost (never 0), and then the total's cost is unknown too, with the known part beside it.",
    )
    .option(
      "--json",
      'print { "total": { "tokens", "cost", "knownCost" }, "rows": [{ "key", "tokens", "cost", "knownCost", "jobs" }] }: tokens { input, output, reasoning, cacheRead, cacheWrite }; cost in USD, null when any contributing job\'s cost is unknown; knownCost the sum of the known costs',
    )
    .option(
      "--since <duration>",
      "only jobs started in the last DURATION: a whole number and s, m, h, d or w (30m, 2h, 7d)",
    )
    .addOption(
      new Option(
        "--by <grouping>",
        "one row per worker, profile, model or orchestrator session (a worker-to-worker request counts toward the session of the job that caused it)",
      )
        .choices(["worker", "profile", "model", "session"])
        .default("worker"),
    )
    .option(...REGISTRY_OPTION)
    .addHelpText(
      "after",
      "\nExamples:\n  orchestra usage\n  orchestra usage --since 2h --by model\n  orchestra usage --json --by session\n\nQueued and running jobs are not counted until they end. Budgets (`budgets.<profile>` in orchestrator.json) are checked against the same figures.",
    )
    .action(async (options: UsageOptions) => {
      const { runUsage } = await import("./usage-action.js");
      await runUsage(options);
    });
}
