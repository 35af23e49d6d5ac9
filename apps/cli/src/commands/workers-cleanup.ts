import type { Command } from "commander";
import { millisecondsBetween } from "../arg-parsers.js";
import type { CleanupOptions } from "./workers-cleanup-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/**
 * The `workers` command group: the existing one when another command already created it
 * (`orchestra workers spawn|list|ask|stop`), otherwise a new one. Register the group's other
 * subcommands on the object this returns, whichever module runs first.
 */
export function ensureWorkersCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === "workers");
  if (existing) return existing;
  return program.command("workers").description("Spawn, list, ask, stop and clean up workers.");
}

/**
 * `orchestra workers cleanup`: run the recovery protocol on demand. Entries whose process is
 * gone are removed; live workers whose owner orchestrator is dead (or stopped renewing them)
 * are stopped by process group; live CLI-owned workers and workers of live orchestrators are
 * left alone; a session worker's host server is never signalled; the recovery manifest is
 * deleted. Prints what it found and did (`--json`: the report object).
 */
export function registerWorkersCleanupCommand(workersCommand: Command): void {
  workersCommand
    .command("cleanup")
    .description(
      "Remove dead workers from the device registry and stop orphaned ones (never live CLI-owned workers).",
    )
    .option("--json", "print the report as one JSON object")
    .option(
      "--worktrees",
      "also remove the worktrees (and branches orchestra/<id>) of gone workers that hold unmerged changes; without it they are kept and only unchanged ones are removed",
    )
    .option(...REGISTRY_OPTION)
    .option(
      "--manifest <file>",
      "the recovery manifest (default: $XDG_CONFIG_HOME/opencode/orchestrator-recovery.json)",
    )
    .option(
      "--grace <ms>",
      "SIGTERM → SIGKILL grace per worker, in ms",
      millisecondsBetween(0, 60_000),
      5_000,
    )
    .action(async (options: CleanupOptions) => {
      const { runCleanup } = await import("./workers-cleanup-action.js");
      await runCleanup(options);
    });
}
