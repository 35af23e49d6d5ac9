import type { Command } from "commander";
import { existing } from "../arg-parsers.js";
import type { CommonOptions } from "./config-action.js";

/** `orchestra config validate|show`. */
export function registerConfigCommand(program: Command): void {
  const config = program
    .command("config")
    .description("Validate and show the orchestrator config (global ~/.config/opencode + project files).");

  config
    .command("validate")
    .description("Check the config files; exit 0 when valid, 1 with one line per error otherwise.")
    .option("--file <file>", "check only this file instead of the global and project files", existing("file"))
    .option("--project <dir>", "project directory (default: the current directory)", existing("directory"))
    .action(async (options: CommonOptions) => {
      const { runValidate } = await import("./config-action.js");
      await runValidate(options);
    });

  config
    .command("show")
    .description("Print the effective merged config and the file each value came from.")
    .option("--file <file>", "show only this file (over the defaults)", existing("file"))
    .option("--project <dir>", "project directory (default: the current directory)", existing("directory"))
    .option("--json", "print one JSON object: { config, sources, files }")
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const { runShow } = await import("./config-action.js");
      await runShow(options);
    });
}
