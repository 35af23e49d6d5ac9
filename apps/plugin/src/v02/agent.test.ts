import type { Config } from "@opencode-ai/plugin";
import { orchestratorConfigSchema } from "@orchestra/config";
import { describe, expect, it } from "vitest";
import { explicitModel, ORCHESTRATOR_PROMPT, registerAgent } from "./agent.js";

const parse = (input: unknown) => orchestratorConfigSchema.parse(input);

describe("registerAgent", () => {
  it("registers `orchestrator` as a primary agent with the built-in prompt by default", () => {
    const config: Config = {};
    expect(registerAgent(config, parse({}))).toEqual({ name: "orchestrator" });
    expect(config.agent?.orchestrator).toMatchObject({ mode: "primary", prompt: ORCHESTRATOR_PROMPT });
    expect(config.agent?.orchestrator?.model).toBeUndefined();
    expect(config.agent?.orchestrator?.color).toBeUndefined();
  });

  it("takes name, prompt, mode, colour and an explicit model from the config", () => {
    const config: Config = { agent: { build: { mode: "primary" } } };
    registerAgent(
      config,
      parse({
        agent: { name: "conductor", prompt: "Lead.", mode: "subagent", color: "#112233", model: "a/b" },
      }),
    );
    expect(config.agent?.conductor).toMatchObject({
      prompt: "Lead.",
      mode: "subagent",
      color: "#112233",
      model: "a/b",
    });
    expect(config.agent?.build).toEqual({ mode: "primary" });
  });

  it("resolves an alias chain to provider/model, and reports a tag it cannot resolve", () => {
    const aliases = { fast: "quick", quick: "scripted/fake-fast", smart: "auto:reasoning" };
    const config: Config = {};
    expect(registerAgent(config, parse({ modelAliases: aliases, agent: { model: "fast" } }))).toEqual({
      name: "orchestrator",
    });
    expect(config.agent?.orchestrator?.model).toBe("scripted/fake-fast");
    const tagged: Config = {};
    expect(registerAgent(tagged, parse({ modelAliases: aliases, agent: { model: "smart" } }))).toEqual({
      name: "orchestrator",
      unresolvedModel: "smart",
    });
    expect(tagged.agent?.orchestrator?.model).toBeUndefined();
  });

  it("registers nothing when agent.enabled is false", () => {
    const config: Config = {};
    expect(registerAgent(config, parse({ agent: { enabled: false } }))).toEqual({ name: undefined });
    expect(config.agent).toBeUndefined();
  });
});

describe("explicitModel", () => {
  it("passes provider/model through and refuses tags", () => {
    expect(explicitModel("openai/gpt-4o", {})).toBe("openai/gpt-4o");
    expect(explicitModel("auto", {})).toBeUndefined();
    expect(explicitModel("node:fast", {})).toBeUndefined();
    expect(explicitModel("a", { a: "b", b: "a" })).toBeUndefined();
  });
});
