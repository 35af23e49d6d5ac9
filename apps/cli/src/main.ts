import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { registerConfigCommand } from "./commands/config.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerJobsCommand } from "./commands/jobs.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerPermissionsCommand } from "./commands/permissions.js";
import { registerProfilesCommand } from "./commands/profiles.js";
import { registerResolveCommand } from "./commands/resolve.js";
import { registerSuggestCommand } from "./commands/suggest.js";
import { registerUsageCommand } from "./commands/usage.js";
import { registerWorkersCommand } from "./commands/workers.js";
import { registerWorkersCancelCommand } from "./commands/workers-cancel.js";
import { ensureWorkersCommand, registerWorkersCleanupCommand } from "./commands/workers-cleanup.js";
import { registerWorkersMergeCommand } from "./commands/workers-merge.js";
import { registerWorkersSteerCommand } from "./commands/workers-steer.js";
import { EXIT } from "./exit.js";
import { reportFailure } from "./report-failure.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const program = new Command("orchestra")
  .description("Open Orchestra: run and inspect a multi-agent orchestra on OpenCode.")
  .version(version, "-V, --version", "print the version of the orchestra command")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

registerConfigCommand(program);
registerDoctorCommand(program);
registerJobsCommand(program);
registerMigrateCommand(program);
registerPermissionsCommand(program);
registerProfilesCommand(program);
registerResolveCommand(program);
registerSuggestCommand(program);
registerUsageCommand(program);
registerWorkersCommand(program);
// Keep last: it joins the `workers` group if another command created it.
registerWorkersCleanupCommand(ensureWorkersCommand(program));
registerWorkersMergeCommand(ensureWorkersCommand(program));
registerWorkersCancelCommand(ensureWorkersCommand(program));
registerWorkersSteerCommand(ensureWorkersCommand(program));

/** The command whose action runs, for failure messages and its `--json` flag. */
let running: Command | undefined;
program.hook("preAction", (_program, action) => {
  running = action;
});

function commandName(command: Command | undefined): string {
  const names: string[] = [];
  for (let c = command; c !== undefined && c !== null; c = c.parent ?? undefined) names.unshift(c.name());
  return names.length ? names.join(" ") : "orchestra";
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError && error.exitCode === 0) {
    // --help and --version.
    process.exitCode = EXIT.ok;
  } else {
    process.exitCode = reportFailure(error, {
      // Before an action runs (a usage error), only the command line can say whether --json was asked for.
      json: running === undefined ? process.argv.includes("--json") : running.opts().json === true,
      command: commandName(running),
      debug: process.env.ORCHESTRA_DEBUG === "1",
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  }
}
