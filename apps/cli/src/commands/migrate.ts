import type { Command } from "commander";
import { existing } from "../arg-parsers.js";
import type { MigrateOptions } from "./migrate-action.js";
import { BACKUP_SUFFIX } from "./migrate-backup.js";

/** `orchestra migrate [--file F] [--write] [--json]`. */
export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description(
      "Turn a v0.2.x orchestrator.json into v0.3: print a unified diff and every change with its reason; --write applies it.",
    )
    .option(
      "--file <file>",
      "the file to migrate (default: the project's .opencode/orchestrator.json, else ./orchestrator.json)",
      existing("file"),
    )
    .option(
      "--write",
      `write the result atomically, keeping the original as <file>${BACKUP_SUFFIX} (refuses when that backup exists)`,
    )
    .option(
      "--json",
      'print { "ok", "changes": [{ "path", "action", "to"?, "note" }], "output" } instead of the diff (a refused result: { "ok": false, "code", "message", "hints" })',
    )
    .addHelpText(
      "after",
      [
        "",
        "What it does:",
        "  - keys v0.3 renamed move (startupTimeout → spawn.startupTimeoutMs, healthCheckInterval → healthCheck.intervalMs);",
        "  - retired keys (basePort, telemetry, profile port/providerID/injectRepoContext, …) are removed or converted, each with a note;",
        "  - boolean `tools` maps of profiles become `permissions` with the same effect or the closest safe one (the note says which);",
        "  - node:* model tags become auto:*; duplicate `workers` strings are removed;",
        '  - anything it cannot place stays in a "//migrate" list in the output.',
        "",
        "A result that `orchestra config validate` would fail on a cross-reference (an `extends` or a `workers` id naming",
        "no profile, an alias cycle) is refused before anything is written: each error with its JSON path, exit 1.",
        "",
        "Exit codes: 0 done (or nothing to do), 1 some key could not be placed, the result fails a cross-reference",
        "(nothing written) or the file is unreadable, 2 bad flags.",
        "",
        "Examples:",
        "  orchestra migrate                      # show the diff and the changes",
        "  orchestra migrate --write              # apply; keeps .opencode/orchestrator.json.v02.bak",
        "  orchestra migrate --file ~/.config/opencode/orchestrator.json --json",
      ].join("\n"),
    )
    .action(async (options: MigrateOptions) => {
      const { runMigrate } = await import("./migrate-action.js");
      await runMigrate(options);
    });
}
