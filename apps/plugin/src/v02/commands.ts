import type { Config } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";

/** One slash command as OpenCode's config takes it. */
export interface SlashCommand {
  template: string;
  description: string;
}

/** The fixed commands (name after the prefix → the orchestra tool it runs, and what it shows). */
const FIXED: ReadonlyArray<readonly [name: string, tool: string, what: string]> = [
  ["status", "orchestrator_status", "the orchestra's status: workers, jobs, host server, warnings"],
  ["workers", "list_workers", "the live workers"],
  ["profiles", "list_profiles", "the worker profiles you can spawn"],
  ["models", "list_models", "the models each profile would use"],
  ["workflows", "list_workflows", "the workflows run_workflow can run"],
  ["output", "orchestrator_output", "recent orchestra activity (spawns, answers, denials)"],
];

function template(tool: string, args?: Record<string, string>): string {
  const withArgs = args ? ` with arguments ${JSON.stringify(args)}` : "";
  return `Call the ${tool} tool now${withArgs} and show me its output as it is. $ARGUMENTS`;
}

/**
 * The slash commands of the `commands` section, by name: `<prefix>status`, `workers`, `profiles`,
 * `models`, `workflows`, `output`, and `<prefix>spawn.<profile>` for each profile. Each template tells
 * the model to call the matching orchestra tool. Empty when `commands.enabled` is false.
 */
export function slashCommands(
  orchestra: Pick<OrchestratorConfig, "commands">,
  profileIds: readonly string[],
): Record<string, SlashCommand> {
  const { enabled, prefix } = orchestra.commands;
  if (!enabled) return {};
  const commands: Record<string, SlashCommand> = {};
  for (const [name, tool, what] of FIXED)
    commands[`${prefix}${name}`] = { template: template(tool), description: `Show ${what}.` };
  for (const profile of profileIds)
    commands[`${prefix}spawn.${profile}`] = {
      template: template("spawn_worker", { profile }),
      description: `Start a ${profile} worker (or reuse a ready one).`,
    };
  return commands;
}

/** Add {@link slashCommands} to OpenCode's config (the plugin's `config` hook); returns their names. */
export function registerCommands(config: Config, commands: Record<string, SlashCommand>): string[] {
  const names = Object.keys(commands);
  if (names.length === 0) return names;
  config.command = { ...config.command, ...commands };
  return names;
}
