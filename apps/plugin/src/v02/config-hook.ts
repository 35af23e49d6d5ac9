import type { Config } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";
import { registerAgent } from "./agent.js";
import { registerCommands, slashCommands } from "./commands.js";

/**
 * The plugin's `config` hook: OpenCode hands it its config before using it. Adds the orchestrator
 * agent (`agent` section) and the slash commands (`commands` section, one `spawn.<profile>` per
 * profile in `profileIds`). `log` gets one line saying what was registered.
 */
export function configHook(
  orchestra: Pick<OrchestratorConfig, "agent" | "commands" | "modelAliases">,
  profileIds: readonly string[],
  log: (line: string) => void,
): (config: Config) => Promise<void> {
  return async (config) => {
    const agent = registerAgent(config, orchestra);
    const commands = registerCommands(config, slashCommands(orchestra, profileIds));
    if (agent.unresolvedModel !== undefined)
      log(
        `agent ${agent.name}: model ${agent.unresolvedModel} is a tag, not provider/model; the agent uses OpenCode's default model (set agent.model to provider/model or an alias of one)`,
      );
    log(
      `config: agent ${agent.name ?? "(disabled)"}, ${commands.length ? `${commands.length} slash commands (${commands[0]} …)` : "no slash commands"}`,
    );
  };
}
