import type { Command } from "commander";
import { CONFIG_OPTION, PROJECT_OPTION } from "../project-options.js";
import type { CheckOptions } from "./permissions-action.js";

/** `orchestra permissions check --input FILE.jsonl`. */
export function registerPermissionsCommand(program: Command): void {
  const permissions = program
    .command("permissions")
    .description("Dry-run profile permissions against tool calls.");
  permissions
    .command("check")
    .requiredOption(
      "--input <file>",
      "JSONL file of { id?, profiles?, profile, call, context } lines, or - for stdin",
    )
    .option("--strict", "exit 1 when any call is denied")
    .option(...CONFIG_OPTION)
    .option(...PROJECT_OPTION)
    .description(
      "Decide each tool call with the permissions validator; prints one JSON line { id, decision, reason, rule } per input line. A line without `profiles` uses the built-in profiles and the config's (global + project orchestrator.json, or --config, and the project's .opencode/agent files), as `orchestra workers spawn` does.",
    )
    .action(async (opts: CheckOptions) => {
      const { runCheck } = await import("./permissions-action.js");
      await runCheck(opts);
    });
}
