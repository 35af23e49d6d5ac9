import type { Config } from "@opencode-ai/plugin";
import { orchestratorConfigSchema } from "@orchestra/config";
import { describe, expect, it } from "vitest";
import { registerCommands, slashCommands } from "./commands.js";

const parse = (input: unknown) => orchestratorConfigSchema.parse(input);

describe("slashCommands", () => {
  it("names each command with the default prefix, and each template names its tool", () => {
    const commands = slashCommands(parse({}), ["coder", "docs"]);
    expect(Object.keys(commands)).toEqual([
      "orchestrator.status",
      "orchestrator.workers",
      "orchestrator.profiles",
      "orchestrator.models",
      "orchestrator.workflows",
      "orchestrator.output",
      "orchestrator.spawn.coder",
      "orchestrator.spawn.docs",
    ]);
    const tools = {
      status: "orchestrator_status",
      workers: "list_workers",
      profiles: "list_profiles",
      models: "list_models",
      workflows: "list_workflows",
      output: "orchestrator_output",
    };
    for (const [name, tool] of Object.entries(tools))
      expect(commands[`orchestrator.${name}`]?.template).toContain(`Call the ${tool} tool now`);
    expect(commands["orchestrator.spawn.docs"]?.template).toContain(
      'Call the spawn_worker tool now with arguments {"profile":"docs"}',
    );
  });

  it("uses commands.prefix, and registers none when commands.enabled is false", () => {
    expect(Object.keys(slashCommands(parse({ commands: { prefix: "orc." } }), []))).toContain("orc.status");
    expect(slashCommands(parse({ commands: { enabled: false } }), ["coder"])).toEqual({});
    const config: Config = {};
    expect(registerCommands(config, {})).toEqual([]);
    expect(config.command).toBeUndefined();
  });
});
