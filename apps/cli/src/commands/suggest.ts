import { suggestProfiles } from "@orchestra/profiles";
import type { Command } from "commander";
import { EXIT } from "../exit.js";
import { type RegistryOptions, registryFor } from "./profiles.js";

/** `orchestra suggest "<task>"`: rank the enabled profiles for a task description. */
export function registerSuggestCommand(program: Command): void {
  program
    .command("suggest")
    .argument("<task>", "task description, in quotes")
    .option("--json", "print a JSON array of { profile, confidence, reasons }, best first")
    .option("--limit <n>", "most suggestions", "3")
    .option("--config <file>", "also load the `profiles` array of this config file (JSON)")
    .option(
      "--dir <dir>",
      "project directory to load .opencode/agent and .opencode/skill profiles from",
      process.cwd(),
    )
    .description("Suggest the worker profile for a task (keyword and tag matching; no network).")
    .action(async (task: string, opts: RegistryOptions & { json?: boolean; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        process.stderr.write(
          `orchestra: --limit must be a positive integer (got ${JSON.stringify(opts.limit)})\n`,
        );
        process.exitCode = EXIT.usage;
        return;
      }
      // Invalid profiles fail closed: they are never suggested.
      const matches = suggestProfiles(await registryFor(opts), task, { limit });
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
