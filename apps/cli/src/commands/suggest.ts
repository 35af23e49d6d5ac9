import type { Command } from "commander";
import { countBetween } from "../arg-parsers.js";
import { CONFIG_OPTION, PROJECT_OPTION, type ProjectOptions } from "../project-options.js";

/** `orchestra suggest "<task>"`: rank the enabled profiles for a task description. */
export function registerSuggestCommand(program: Command): void {
  program
    .command("suggest")
    .argument("<task>", "task description, in quotes")
    .option("--json", "print a JSON array of { profile, confidence, reasons }, best first")
    .option("--limit <n>", "most suggestions", countBetween(1, 1_000), 3)
    .option(...CONFIG_OPTION)
    .option(...PROJECT_OPTION)
    .description("Suggest the worker profile for a task (keyword and tag matching; no network).")
    .action(async (task: string, opts: ProjectOptions & { json?: boolean; limit: number }) => {
      const { runSuggest } = await import("./suggest-action.js");
      await runSuggest(task, opts);
    });
}
