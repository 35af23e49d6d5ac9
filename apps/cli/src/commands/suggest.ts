import { suggestProfiles } from "@orchestra/profiles";
import type { Command } from "commander";
import { countBetween } from "../arg-parsers.js";
import {
  CONFIG_OPTION,
  loadProjectProfiles,
  PROJECT_OPTION,
  type ProjectOptions,
} from "../project-profiles.js";

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
      // The same profiles as `orchestra workers spawn`. Invalid profiles fail closed: never suggested.
      const { registry } = await loadProjectProfiles(opts);
      const matches = suggestProfiles(registry, task, { limit: opts.limit });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(matches, null, 2)}\n`);
        return;
      }
      for (const m of matches)
        process.stdout.write(`${m.profile.padEnd(14)} ${m.confidence.toFixed(2)}  ${m.reasons.join(", ")}\n`);
      if ((matches[0]?.confidence ?? 0) < 0.3)
        process.stdout.write(
          "(low confidence: describe the task more concretely, or pick a profile yourself)\n",
        );
    });
}
