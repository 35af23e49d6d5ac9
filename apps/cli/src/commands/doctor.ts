import type { Command } from "commander";
import { serverUrl } from "../arg-parsers.js";
import type { DoctorOptions } from "./doctor-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/**
 * `orchestra doctor [--json] [--server URL] [--registry FILE]`: check everything a user can get wrong and say how
 * to fix each. Exit 0 when no check fails (warnings allowed), 1 otherwise, 2 for bad flags.
 */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "Check the OpenCode binary, config files, profiles, sandbox, device registry, memory store, OpenCode's plugin dependencies and providers (and with --server, a running OpenCode); say how to fix each problem. Exit 0 when nothing fails (warnings allowed), 1 otherwise.",
    )
    .option("--json", 'print exactly { "ok": boolean, "checks": [{ "id", "status", "message", "hint"? }] }')
    .option(
      "--server <url>",
      "also check this running OpenCode server: its password, the plugin loaded in it, its connected providers and the profiles' models against its catalog (http://host:port; host:port means http)",
      serverUrl,
    )
    .option(...REGISTRY_OPTION)
    .action(async (options: DoctorOptions) => {
      const { runDoctorCommand } = await import("./doctor-action.js");
      await runDoctorCommand(options);
    });
}
