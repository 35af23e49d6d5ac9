import type { Config } from "@opencode-ai/plugin";
import { orchestratorConfigSchema } from "@orchestra/config";
import { describe, expect, it } from "vitest";
import { configHook } from "./config-hook.js";

const parse = (input: unknown) => orchestratorConfigSchema.parse(input);

describe("configHook", () => {
  it("adds the agent and the commands next to what the config already has, and logs it", async () => {
    const lines: string[] = [];
    const config: Config = { command: { mine: { template: "x" } } };
    await configHook(parse({ agent: { model: "auto:fast" } }), ["coder"], (l) => lines.push(l))(config);
    expect(Object.keys(config.command ?? {})).toContain("mine");
    expect(Object.keys(config.command ?? {})).toContain("orchestrator.spawn.coder");
    expect(config.agent?.orchestrator).toBeDefined();
    expect(lines[0]).toContain("model auto:fast is a tag");
    expect(lines[1]).toBe("config: agent orchestrator, 7 slash commands (orchestrator.status …)");
  });
});
