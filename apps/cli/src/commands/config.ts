import type { Command } from "commander";

/** `orchestra config validate|show`. */
export function registerConfigCommand(program: Command): void {
  program.command("config").description("Validate and show the orchestrator config.");
}
