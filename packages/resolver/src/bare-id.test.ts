import { describe, expect, it } from "vitest";
import { firstPartyProviders } from "./first-party.js";
import { createResolver } from "./resolver.js";
import { catalog, model, snapshotCatalog } from "./test-helpers.js";
import { fail } from "./test-world.js";

describe("bare model ids against the committed snapshot", () => {
  it("resolve when exactly one connected provider offers them (11 providers list claude-sonnet-4-5)", () => {
    const res = createResolver(snapshotCatalog(["anthropic"])).resolve("claude-sonnet-4-5");
    expect(res.model).toBe("anthropic/claude-sonnet-4-5");
    expect(res.provenance).toBe("explicit");
    expect(res.input).toBe("claude-sonnet-4-5");
    expect(res.reasons[0]).toContain('only "anthropic" is connected');
  });

  it("prefer the first party when connected gateways offer the same id", () => {
    const resolver = createResolver(snapshotCatalog(["anthropic", "requesty", "venice", "openai", "azure"]));
    const sonnet = resolver.resolve("claude-sonnet-4-5");
    expect(sonnet.model).toBe("anthropic/claude-sonnet-4-5");
    expect(sonnet.reasons[0]).toContain('"anthropic" is the first party');
    expect(sonnet.reasons[0]).toContain("azure, requesty, venice");
    expect(resolver.resolve("gpt-4o").model).toBe("openai/gpt-4o");
  });

  it("are RESOLVER_AMBIGUOUS among gateways only, with the candidates listed", () => {
    const e = fail(() =>
      createResolver(snapshotCatalog(["requesty", "venice"])).resolve("claude-sonnet-4-5"),
    );
    expect(e.code).toBe("RESOLVER_AMBIGUOUS");
    expect(e.suggestions).toEqual(["requesty/claude-sonnet-4-5", "venice/claude-sonnet-4-5"]);
    expect(e.message).toContain("requesty/claude-sonnet-4-5, venice/claude-sonnet-4-5");
  });
});

describe("bare model ids in small catalogs", () => {
  const two = (connected: string[]) =>
    catalog(
      {
        mistral: { "mistral-large-latest": model("mistral-large-latest") },
        gw: { "mistral-large-latest": model("mistral-large-latest"), "m-1": model("m-1") },
        hub: { "m-1": model("m-1"), "mistral-large-latest": model("mistral-large-latest") },
      },
      { connected },
    );

  it("follow preferredProviders first, then the first party", () => {
    const preferred = createResolver(two(["mistral", "gw", "hub"]), {
      modelSelection: { preferredProviders: ["hub"] },
    }).resolve("m-1");
    expect(preferred.model).toBe("hub/m-1");
    expect(preferred.reasons[0]).toContain('preferred provider "hub"');
    expect(createResolver(two(["mistral", "gw", "hub"])).resolve("mistral-large-latest").model).toBe(
      "mistral/mistral-large-latest",
    );
  });

  it("are ambiguous when several gateways and no first party offer them", () => {
    const e = fail(() => createResolver(two(["gw", "hub"])).resolve("m-1"));
    expect(e.code).toBe("RESOLVER_AMBIGUOUS");
    expect(e.suggestions).toEqual(["gw/m-1", "hub/m-1"]);
    expect(e.hints[0]).toContain('"gw/m-1"');
  });

  it("name the provider to connect when none that offers them is connected", () => {
    const one = fail(() => createResolver(two(["gw"])).resolve("nowhere-else"));
    expect(one.code).toBe("RESOLVER_UNKNOWN_MODEL");
    const several = fail(() => createResolver(two(["mistral"])).resolve("m-1"));
    expect(several.code).toBe("RESOLVER_AMBIGUOUS");
    expect(several.hints[0]).toContain("connect one of those providers");
  });
});

describe("firstPartyProviders", () => {
  it.each([
    ["claude-opus-5", ["anthropic"]],
    ["gpt-5.6-mini", ["openai"]],
    ["o3", ["openai"]],
    ["gemini-3.8-flash", ["google", "google-vertex"]],
    ["mistral-large-latest", ["mistral"]],
    ["grok-4.7", ["xai"]],
    ["deepseek-v4-pro", ["deepseek"]],
    ["MiniMax-M3", ["minimax"]],
    ["glm-5.3", ["zai", "zhipuai"]],
    ["kimi-k3", ["moonshotai"]],
    ["llava:13b", []],
  ])("%s is made by %j", (id, providers) => {
    expect(firstPartyProviders(id)).toEqual(providers);
  });
});
