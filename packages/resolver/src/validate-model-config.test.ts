import { describe, expect, it } from "vitest";
import { catalog, model } from "./test-helpers.js";
import { validateModelConfig } from "./validate-model-config.js";

const c = catalog(
  {
    anthropic: {
      "claude-sonnet-4-5": model("claude-sonnet-4-5"),
      "claude-2": model("claude-2", { status: "deprecated" }),
    },
    openai: { "gpt-4o": model("gpt-4o") },
    vertex: { "gpt-4o": model("gpt-4o") },
    other: { solo: model("solo") },
    gw: { "shared-1": model("shared-1") },
    hub: { "shared-1": model("shared-1") },
  },
  { connected: ["anthropic", "openai", "gw", "hub"] },
);

describe("validateModelConfig", () => {
  it("returns no issues for a good config", () => {
    expect(
      validateModelConfig(
        {
          modelAliases: { sonnet: "anthropic/claude-sonnet-4-5", best: "sonnet", eyes: "node:vision" },
          modelSelection: { mode: "balanced", maxCostPer1kTokens: 0.01, preferredProviders: ["anthropic"] },
          profiles: ["coder", { id: "vision", model: "eyes", fallbackModels: ["auto", "best"] }],
        },
        c,
      ),
    ).toEqual([]);
  });

  it("accepts default aliases (sonnet, gpt-mini, …) as targets and as references", () => {
    expect(
      validateModelConfig(
        {
          modelAliases: { best: "opus" },
          profiles: [{ id: "p", model: "gpt-mini", fallbackModels: ["best"] }],
        },
        c,
      ),
    ).toEqual([]);
  });

  it("names the path of alias cycles, shadowing aliases and unknown tags", () => {
    const issues = validateModelConfig(
      {
        modelAliases: { a: "b", b: "a", "gpt-4o": "openai/gpt-4o", auto: "openai/gpt-4o", v: "auto:visoin" },
        profiles: [{ id: "x", model: "auto:fastt", fallbackModels: ["a", 3] }],
      },
      c,
    );
    const by = (path: string) => issues.filter((i) => i.path === path).map((i) => i.code);
    expect(by("modelAliases.a")).toEqual(["RESOLVER_ALIAS_CYCLE"]);
    expect(by("modelAliases.b")).toEqual(["RESOLVER_ALIAS_CYCLE"]);
    expect(by('modelAliases["gpt-4o"]')).toEqual(["RESOLVER_ALIAS_SHADOWS_MODEL"]);
    expect(by("modelAliases.auto")).toEqual(["RESOLVER_ALIAS_SHADOWS_TAG"]);
    expect(by("modelAliases.v")).toEqual(["RESOLVER_UNKNOWN_TAG"]);
    expect(by("profiles[0].model")).toEqual(["RESOLVER_UNKNOWN_TAG"]);
    expect(by("profiles[0].fallbackModels[0]")).toEqual(["RESOLVER_ALIAS_CYCLE"]);
    expect(by("profiles[0].fallbackModels[1]")).toEqual(["RESOLVER_INVALID_REFERENCE"]);
    expect(issues.find((i) => i.path === "profiles[0].model")?.suggestions).toContain("auto:fast");
    expect(issues.find((i) => i.path === "modelAliases.a")?.message).toContain("a → b → a");
    expect(issues.every((i) => i.severity === "error")).toBe(true);
  });

  it("checks each reference of a model list at its index", () => {
    const issues = validateModelConfig(
      {
        profiles: [
          { id: "x", model: ["auto", "auto:fastt"] },
          { id: "y", model: [3] },
        ],
      },
      c,
    );
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["profiles[0].model[1]", "RESOLVER_UNKNOWN_TAG"],
      ["profiles[1].model", "RESOLVER_INVALID_REFERENCE"],
    ]);
  });

  it("checks references against the catalog: unknown provider/model errors, ambiguity, unconnected and deprecated warnings", () => {
    const issues = validateModelConfig(
      {
        modelAliases: { s: "anthropic/claude-sonet-4-5" },
        workers: [
          {
            id: "w",
            model: "antropic/claude-sonnet-4-5",
            fallbackModels: ["shared-1", "other/solo", "anthropic/claude-2", "zzz", "gpt-4o"],
          },
        ],
      },
      c,
    );
    const at = (path: string) => issues.find((i) => i.path === path);
    expect(at("modelAliases.s")).toMatchObject({
      code: "RESOLVER_UNKNOWN_MODEL",
      severity: "error",
      suggestions: ["anthropic/claude-sonnet-4-5"],
    });
    expect(at("workers[0].model")).toMatchObject({
      code: "RESOLVER_UNKNOWN_PROVIDER",
      suggestions: ["anthropic/claude-sonnet-4-5"],
    });
    expect(at("workers[0].fallbackModels[0]")).toMatchObject({
      code: "RESOLVER_AMBIGUOUS",
      suggestions: ["gw/shared-1", "hub/shared-1"],
    });
    // Offered by openai (connected) and vertex (not): only one connected provider, so it resolves.
    expect(at("workers[0].fallbackModels[4]")).toBeUndefined();
    expect(at("workers[0].fallbackModels[1]")).toMatchObject({
      code: "RESOLVER_PROVIDER_NOT_CONNECTED",
      severity: "warning",
    });
    expect(at("workers[0].fallbackModels[2]")).toMatchObject({
      code: "RESOLVER_DEPRECATED",
      severity: "warning",
    });
    expect(at("workers[0].fallbackModels[3]")).toMatchObject({
      code: "RESOLVER_UNKNOWN_MODEL",
      severity: "error",
    });
  });

  it("checks modelSelection, and warns when the cap looks like a per-1M price", () => {
    const issues = validateModelConfig(
      { modelSelection: { mode: "cheap", maxCostPer1kTokens: 3, preferredProviders: ["antropic", "other"] } },
      c,
    );
    const at = (path: string) => issues.find((i) => i.path === path);
    expect(at("modelSelection.mode")?.code).toBe("RESOLVER_INVALID_VALUE");
    expect(at("modelSelection.maxCostPer1kTokens")).toMatchObject({
      code: "RESOLVER_SUSPICIOUS_COST_UNIT",
      severity: "warning",
    });
    expect(at("modelSelection.maxCostPer1kTokens")?.message).toContain("did you mean 0.003?");
    expect(at("modelSelection.preferredProviders[0]")).toMatchObject({
      code: "RESOLVER_UNKNOWN_PROVIDER",
      suggestions: ["anthropic"],
    });
    expect(at("modelSelection.preferredProviders[1]")).toMatchObject({
      code: "RESOLVER_PROVIDER_NOT_CONNECTED",
      severity: "warning",
    });
    expect(validateModelConfig({ modelSelection: { maxCostPer1kTokens: -1 } })[0]?.code).toBe(
      "RESOLVER_INVALID_VALUE",
    );
  });

  it("flags a maxConcurrent cap keyed by a provider the catalog does not know (it would cap nothing)", () => {
    const issues = validateModelConfig({ modelSelection: { maxConcurrent: { antropic: 2, openai: 4 } } }, c);
    expect(issues).toEqual([
      {
        path: "modelSelection.maxConcurrent.antropic",
        code: "RESOLVER_UNKNOWN_PROVIDER",
        severity: "error",
        message: 'No provider "antropic" in the catalog, so this cap limits nothing.',
        suggestions: ["anthropic"],
      },
    ]);
    expect(validateModelConfig({ modelSelection: { maxConcurrent: { antropic: 2 } } })).toEqual([]);
  });

  it("flags capability overrides for models the catalog does not have", () => {
    const issues = validateModelConfig(
      { capabilityOverrides: { "openai/gpt-4o": { vision: true }, "openai/gpt-40": {} } },
      c,
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'capabilityOverrides["openai/gpt-40"]',
        code: "RESOLVER_UNKNOWN_MODEL",
      }),
    ]);
  });

  it("runs the catalog-free checks without a catalog", () => {
    const issues = validateModelConfig({
      modelAliases: { x: "x" },
      profiles: [{ id: "p", model: "node:vison" }],
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["modelAliases.x", "RESOLVER_ALIAS_CYCLE"],
      ["profiles[0].model", "RESOLVER_UNKNOWN_TAG"],
    ]);
  });
});
