import type { Command } from "commander";
import { CONFIG_OPTION, PROJECT_OPTION, type ProjectOptions } from "../project-options.js";

/** `orchestra profiles list|show`. */
export function registerProfilesCommand(program: Command): void {
  const profiles = program
    .command("profiles")
    .description("List worker profiles and show a resolved profile.");
  // The same config and profiles as `orchestra workers spawn`: global + project orchestrator.json
  // (or only --config) and the project's markdown profiles.
  const withSources = (cmd: Command) => cmd.option(...CONFIG_OPTION).option(...PROJECT_OPTION);

  withSources(
    profiles
      .command("show")
      .argument("<id>", "profile id")
      .option("--json", "print { profile, provenance, source } as JSON")
      .description(
        "Show the effective profile after extends/compose, with the ancestor each field came from.",
      ),
  ).action(async (id: string, opts: ProjectOptions & { json?: boolean }) => {
    const { runShow } = await import("./profiles-action.js");
    await runShow(id, opts);
  });

  withSources(
    profiles
      .command("list")
      .option("--all", "include built-ins that the config does not enable")
      .option(
        "--json",
        "print a JSON array of { id, ok, profile? | error? }; when a profile is invalid, { ok: false, code, message, hints, profiles: <that array> } (exit 1)",
      )
      .description("List the enabled profiles. Exits 1 when a profile or entry is invalid."),
  ).action(async (opts: ProjectOptions & { json?: boolean; all?: boolean }) => {
    const { runList } = await import("./profiles-action.js");
    await runList(opts);
  });
}
