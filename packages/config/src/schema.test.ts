import { describe, expect, it } from "vitest";
import { referenceEntries } from "../scripts/artifacts.js";
import { orchestratorJsonSchema } from "./json-schema.js";
import { orchestratorConfigSchema } from "./schema.js";

const entries = referenceEntries(orchestratorJsonSchema());

describe("the orchestrator schema documents every key", () => {
  it("covers the seed's Appendix B and the v0.2 keys", () => {
    const paths = new Set(entries.map((e) => e.path));
    for (const key of [
      "healthCheck.enabled",
      "healthCheck.intervalMs",
      "healthCheck.timeoutMs",
      "healthCheck.maxRetries",
      "warmPool.enabled",
      "warmPool.profiles.<profile-id>.size",
      "warmPool.profiles.<profile-id>.idleTimeoutMs",
      "modelSelection.mode",
      "modelSelection.maxCostPer1kTokens",
      "modelSelection.preferredProviders",
      "modelAliases",
      "capabilityOverrides",
      "capabilityOverrides.<provider/model>.vision",
      "capabilityOverrides.<provider/model>.contextWindow",
      "autoSpawn",
      "workers",
      "profiles[].extends",
      "profiles[].compose",
      "profiles[].permissions.categories.filesystem",
      "profiles[].permissions.tools.<name>.constraints.allowedCommands",
      "profiles[].permissions.paths.denied",
      "memory.neo4j.uri",
      "workflows.roocodeBoomerang.steps",
      "ui.defaultListFormat",
    ])
      expect(paths, key).toContain(key);
  });

  it.each(entries.map((e) => [e.path, e] as const))(
    "%s has a description, a default and an example",
    (_, entry) => {
      expect(entry.node.description, "description").toBeTruthy();
      const hasDefault =
        entry.required || entry.node.default !== undefined || entry.node["x-default"] !== undefined;
      expect(hasDefault, "default").toBe(true);
      expect(entry.node.examples?.length ?? 0, "examples").toBeGreaterThan(0);
    },
  );

  it.each(
    entries
      .filter((e) => e.node.type === "number" || e.node.type === "integer")
      .map((e) => [e.path, e] as const),
  )("%s is bounded", (_, entry) => {
    expect(entry.node.minimum ?? entry.node.exclusiveMinimum).toBeTypeOf("number");
    expect(entry.node.maximum ?? entry.node.exclusiveMaximum).toBeTypeOf("number");
  });

  it("enforces healthCheck.intervalMs >= 10000 at runtime, not only in the JSON Schema", () => {
    expect(orchestratorConfigSchema.safeParse({ healthCheck: { intervalMs: 9_999 } }).success).toBe(false);
    expect(orchestratorConfigSchema.safeParse({ healthCheck: { intervalMs: 10_000 } }).success).toBe(true);
  });

  it("accepts capabilityOverrides keyed by provider/model and rejects other keys and unknown fields", () => {
    const ok = orchestratorConfigSchema.safeParse({
      capabilityOverrides: {
        "ollama/llava:13b": { vision: true, input: { pdf: true }, contextWindow: 32_768 },
      },
    });
    expect(ok.success).toBe(true);
    expect(ok.data?.capabilityOverrides["ollama/llava:13b"]?.vision).toBe(true);
    expect(orchestratorConfigSchema.parse({}).capabilityOverrides).toEqual({});
    for (const bad of [
      { llava: { vision: true } },
      { "ollama/llava": { vison: true } },
      { "ollama/llava": { contextWindow: 0 } },
    ])
      expect(
        orchestratorConfigSchema.safeParse({ capabilityOverrides: bad }).success,
        JSON.stringify(bad),
      ).toBe(false);
  });

  it("fills defaults that agree with the JSON Schema's defaults", () => {
    const parsed = orchestratorConfigSchema.parse({}) as Record<string, unknown>;
    for (const entry of entries.filter((e) => !e.path.includes("[]") && !e.path.includes("<"))) {
      if (entry.node.default === undefined) continue;
      if (entry.node.type === "object") {
        // Objects prefault to `{}`: each of their keys takes its own default (checked as a leaf).
        expect(entry.node.default, entry.path).toEqual({});
        continue;
      }
      const keys = entry.path.split(".");
      const parent = keys.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], parsed);
      if (parent === undefined) continue; // an optional block, absent by default
      expect((parent as Record<string, unknown>)[keys.at(-1) ?? ""], entry.path).toEqual(entry.node.default);
    }
  });
});
