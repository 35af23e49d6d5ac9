import { OrchestraError } from "@orchestra/core";
import { Command, CommanderError } from "commander";
import { registerConfigCommand } from "./commands/config.js";
import { registerPermissionsCommand } from "./commands/permissions.js";
import { registerProfilesCommand } from "./commands/profiles.js";
import { registerResolveCommand } from "./commands/resolve.js";
import { registerSuggestCommand } from "./commands/suggest.js";
import { registerWorkersCommand } from "./commands/workers.js";
import { ensureWorkersCommand, registerWorkersCleanupCommand } from "./commands/workers-cleanup.js";
import { EXIT } from "./exit.js";

const program = new Command("orchestra")
  .description("Open Orchestra: run and inspect a multi-agent orchestra on OpenCode.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

registerConfigCommand(program);
registerPermissionsCommand(program);
registerProfilesCommand(program);
registerResolveCommand(program);
registerSuggestCommand(program);
registerWorkersCommand(program);
// Keep last: it joins the `workers` group if another command created it.
registerWorkersCleanupCommand(ensureWorkersCommand(program));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; usage errors exit 2 (commander already printed the message).
    process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
  } else if (OrchestraError.isInstance(error)) {
    process.stderr.write(`orchestra: ${error.describe()}\n`);
    process.exitCode = EXIT.failure;
  } else {
    throw error;
  }
}
