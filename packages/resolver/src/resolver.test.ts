import { describe, expect, it } from "vitest";
import { buildCatalogIndex } from "./catalog-index.js";
import { catalogFromOpencode } from "./opencode-catalog.js";
import type { Resolution, ResolverConfig } from "./resolver.js";
import { createResolver } from "./resolver.js";
import { ResolverError } from "./resolver-error.js";
import { catalog, model, rawCatalog, rng, shuffleDeep } from "./test-helpers.js";

function fail(fn: () => unknown): ResolverError {
  try {
    fn();
  } catch (e) {
    if (ResolverError.isResolverError(e)) return e;
    throw e;
  }
  throw new Error("expected a ResolverError");
}

/** A small world: two connected providers, one not connected, and traps for auto tags. */
const world = rawCatalog(
  {
    anthropic: {
      "claude-sonnet-4-5": model("claude-sonnet-4-5", {
        vision: true,
        reasoning: true,
        cost: [3, 15],
        context: 200_000,
      }),
      "claude-haiku-4-5": model("claude-haiku-4-5", { vision: true, cost: [1, 5], context: 200_000 }),
      "claude-2": model("claude-2", { cost: [8, 24], status: "deprecated", date: "2023-07-01" }),
    },
    openai: {
      "gpt-4o": model("gpt-4o", { vision: true, cost: [2.5, 10], context: 128_000 }),
      "gpt-4o-mini": model("gpt-4o-mini", { vision: true, cost: [0.15, 0.6], context: 128_000 }),
      "dall-e-3": model("dall-e-3", {
        in: { text: true },
        out: { text: false, image: true },
        tools: false,
        cost: [0, 0],
      }),
      "gpt-image-1": model("gpt-image-1", {
        vision: true,
        out: { text: true, image: true },
        cost: [0.01, 0.01],
      }),
      "text-embedding-3-small": model("text-embedding-3-small", { tools: false, cost: [0.02, 0] }),
      "o3-deep": model("o3-deep", {
        reasoning: true,
        cost: [10, 40],
        context: 200_000,
        status: "deprecated",
      }),
    },
    local: {
      "llava:13b": model("llava:13b", { attachment: true, cost: null, context: 0 }),
      "qwen/qwen3-coder@q4": model("qwen/qwen3-coder@q4", { cost: null, context: 262_144 }),
    },
    vertex: {
      "claude-sonnet-4-5@default": model("claude-sonnet-4-5@default", { vision: true, cost: [3, 15] }),
    },
  },
  {
    connected: ["anthropic", "openai", "local"],
    default: { anthropic: "claude-sonnet-4-5", openai: "gpt-4o" },
  },
);
const worldCatalog = catalogFromOpencode(world);
const worldIndex = buildCatalogIndex(worldCatalog);
const r = (config: ResolverConfig = {}) => createResolver(worldIndex, config);

describe("explicit references", () => {
  it("resolves provider/model with provenance explicit and reasons", () => {
    const res = r().resolve("anthropic/claude-sonnet-4-5");
    expect(res.model).toBe("anthropic/claude-sonnet-4-5");
    expect(res.provenance).toBe("explicit");
    expect(res.cost).toMatchObject({ input: 3, output: 15, unit: "USD per 1M tokens", inputPer1k: 0.003 });
    expect(res.capabilities.vision).toBe(true);
    expect(res.reasons.join("\n")).toContain("connected");
  });

  it("resolves model ids containing '/', ':' and '@'", () => {
    expect(r().resolve("local/qwen/qwen3-coder@q4").modelId).toBe("qwen/qwen3-coder@q4");
    expect(r().resolve("local/llava:13b").model).toBe("local/llava:13b");
  });

  it("resolves a bare id that only one provider offers, and calls several RESOLVER_AMBIGUOUS", () => {
    expect(r().resolve("gpt-4o-mini").model).toBe("openai/gpt-4o-mini");
    // vertex has "claude-sonnet-4-5@default", a different id: anthropic is the only match.
    const res = r().resolve("claude-sonnet-4-5");
    expect(res.model).toBe("anthropic/claude-sonnet-4-5");
    expect(res.reasons[0]).toContain('only "anthropic" offers');
    expect(fail(() => r().resolve("claude-sonet-4-5")).code).toBe("RESOLVER_UNKNOWN_MODEL");
  });

  it("calls a bare id offered by several providers RESOLVER_AMBIGUOUS and suggests usable full refs", () => {
    const amb = catalog(
      { a: { "m-1": model("m-1") }, b: { "m-1": model("m-1") }, c: { "m-1": model("m-1") } },
      { connected: ["a", "b"] },
    );
    const e = fail(() => createResolver(amb).resolve("m-1"));
    expect(e.code).toBe("RESOLVER_AMBIGUOUS");
    expect(e.suggestions).toEqual(["a/m-1", "b/m-1"]);
  });

  it("distinguishes an unknown provider from an unconnected one", () => {
    const unknown = fail(() => r().resolve("antropic/claude-sonnet-4-5"));
    expect(unknown.code).toBe("RESOLVER_UNKNOWN_PROVIDER");
    expect(unknown.suggestions).toContain("anthropic/claude-sonnet-4-5");
    expect(unknown.hints.join(" ")).toContain('"anthropic"');

    const unconnected = fail(() => r().resolve("vertex/claude-sonnet-4-5@default"));
    expect(unconnected.code).toBe("RESOLVER_PROVIDER_NOT_CONNECTED");
    expect(unconnected.hints.join(" ")).toContain("VERTEX_API_KEY");
    expect(unconnected.suggestions).toContain("anthropic/claude-sonnet-4-5");
  });

  it("reports an unknown model with real, usable close matches and never the input", () => {
    const e = fail(() => r().resolve("anthropic/claude-sonet-4-5"));
    expect(e.code).toBe("RESOLVER_UNKNOWN_MODEL");
    expect(e.suggestions[0]).toBe("anthropic/claude-sonnet-4-5");
    expect(e.suggestions).not.toContain("anthropic/claude-sonet-4-5");
    expect(e.suggestions).not.toContain("anthropic/claude-2"); // deprecated: not usable
    for (const s of e.suggestions) expect(() => r().resolve(s)).not.toThrow();
    expect(e.attempts).toEqual([
      { ref: "anthropic/claude-sonet-4-5", code: "RESOLVER_UNKNOWN_MODEL", message: e.message },
    ]);
  });

  it("refuses a deprecated model unless allowDeprecated is set", () => {
    const e = fail(() => r().resolve("anthropic/claude-2"));
    expect(e.code).toBe("RESOLVER_DEPRECATED");
    expect(e.suggestions.length).toBeGreaterThan(0);
    expect(e.suggestions[0]?.startsWith("anthropic/")).toBe(true);
    for (const s of e.suggestions) expect(r().resolve(s).status).not.toBe("deprecated");
    expect(r({ allowDeprecated: true }).resolve("anthropic/claude-2").reasons.join()).toContain(
      "allowDeprecated",
    );
  });

  it("refuses generators and embeddings as worker models (RESOLVER_CAPABILITY_UNMET)", () => {
    expect(fail(() => r().resolve("openai/dall-e-3")).message).toContain("not a chat model (image)");
    expect(fail(() => r().resolve("openai/text-embedding-3-small")).message).toContain(
      "not a chat model (embedding)",
    );
  });

  it("checks extra requirements: attachments are not vision", () => {
    const e = fail(() => r().resolve("local/llava:13b", { require: { vision: true } }));
    expect(e.code).toBe("RESOLVER_CAPABILITY_UNMET");
    expect(e.message).toContain("attachments are not vision");
    expect(e.suggestions.length).toBeGreaterThan(0);
    for (const s of e.suggestions)
      expect(r().resolve(s, { require: { vision: true } }).capabilities.vision).toBe(true);
  });
});

describe("cost cap: maxCostPer1kTokens caps the INPUT price, catalog per-1M / 1000", () => {
  it("passes a model exactly at the cap and fails one just above it", () => {
    // claude-sonnet-4-5 input is $3 per 1M = $0.003 per 1k.
    expect(
      r({ modelSelection: { maxCostPer1kTokens: 0.003 } }).resolve("anthropic/claude-sonnet-4-5").model,
    ).toBe("anthropic/claude-sonnet-4-5");
    const e = fail(() =>
      r({ modelSelection: { maxCostPer1kTokens: 0.0029 } }).resolve("anthropic/claude-sonnet-4-5"),
    );
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.message).toContain("$0.003/1k");
    expect(e.message).toContain("$3/1M");
  });

  it("ignores the output price for the cap (sonnet output $15/1M = $0.015/1k is above a $0.01 cap)", () => {
    expect(
      r({ modelSelection: { maxCostPer1kTokens: 0.01 } }).resolve("anthropic/claude-sonnet-4-5").cost
        ?.outputPer1k,
    ).toBe(0.015);
  });

  it("does not confuse per-1M with per-1k: a cap of 0.01/1k admits $10/1M and no more", () => {
    // claude-haiku-4-5 costs $1 per 1M input = $0.001 per 1k: inside a 0.001 cap, outside 0.0009.
    expect(r({ modelSelection: { maxCostPer1kTokens: 0.001 } }).resolve("auto:vision").model).toBe(
      "anthropic/claude-haiku-4-5",
    );
    expect(r({ modelSelection: { maxCostPer1kTokens: 0.0009 } }).resolve("auto:vision").model).toBe(
      "openai/gpt-4o-mini",
    );
    const res = r({ modelSelection: { maxCostPer1kTokens: 0.01 } }).resolve("auto");
    expect(res.cost?.input).toBeLessThanOrEqual(10);
    expect(res.rejected.find((x) => x.model === "openai/o3-deep")).toBeDefined();
  });

  it("never lets an unknown price pass a cap", () => {
    const e = fail(() => r({ modelSelection: { maxCostPer1kTokens: 100 } }).resolve("local/llava:13b"));
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.message).toContain("price unknown");
    const auto = r({ modelSelection: { maxCostPer1kTokens: 100 } }).resolve("auto:code");
    expect(auto.model).not.toBe("local/qwen/qwen3-coder@q4");
    expect(auto.rejected.find((x) => x.model === "local/qwen/qwen3-coder@q4")?.reason).toContain(
      "price unknown",
    );
  });

  it("fails an auto tag with RESOLVER_OVER_BUDGET when only the cap stands in the way, with the cap to raise to", () => {
    const e = fail(() => r({ modelSelection: { maxCostPer1kTokens: 0.0001 } }).resolve("auto:vision"));
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.hints.join(" ")).toContain("openai/gpt-4o-mini");
    expect(e.hints.join(" ")).toContain("$0.00015/1k");
  });
});

describe("auto tags", () => {
  it("auto:vision picks a chat model with image input, never an image generator", () => {
    const res = r().resolve("auto:vision");
    expect(res.provenance).toBe("auto-tag");
    expect(res.tag).toBe("auto:vision");
    expect(res.capabilities.vision).toBe(true);
    expect(res.capabilities.kind).toBe("chat");
    expect(res.model).not.toBe("openai/dall-e-3");
    expect(res.rejected.find((x) => x.model === "openai/dall-e-3")?.reason).toContain(
      "not a chat model (image)",
    );
  });

  it("never picks deprecated models, embeddings or unconnected providers", () => {
    for (const tag of [
      "auto",
      "auto:vision",
      "auto:fast",
      "auto:docs",
      "auto:code",
      "auto:reasoning",
      "auto:cheap",
    ]) {
      const res = r().resolve(tag);
      expect(res.status).not.toBe("deprecated");
      expect(res.capabilities.kind).toBe("chat");
      expect(res.providerId).not.toBe("vertex");
    }
    // o3-deep is the only other reasoning model, and it is deprecated.
    expect(r().resolve("auto:reasoning").model).toBe("anthropic/claude-sonnet-4-5");
  });

  it("auto:fast prefers a small model; auto:cheap the cheapest; auto:docs a known large context", () => {
    expect(["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"]).toContain(r().resolve("auto:fast").model);
    // gpt-image-1 is cheaper and outputs text too, but it is an image generator (named so): never picked.
    const cheap = r().resolve("auto:cheap");
    expect(cheap.model).toBe("openai/gpt-4o-mini");
    expect(cheap.rejected.find((x) => x.model === "openai/gpt-image-1")?.reason).toBe(
      "not a chat model (image)",
    );
    const docs = r().resolve("auto:docs");
    expect(docs.capabilities.contextWindow).toBeGreaterThanOrEqual(128_000);
    expect(r().resolve("auto:code").model).toBe("anthropic/claude-sonnet-4-5");
  });

  it("node:* tags are synonyms", () => {
    expect(r().resolve("node:vision").model).toBe(r().resolve("auto:vision").model);
  });

  it("uses the session default for `auto` when it is usable, and says so when it is not", () => {
    expect(r({ defaultModel: "openai/gpt-4o" }).resolve("auto").model).toBe("openai/gpt-4o");
    const res = r({ defaultModel: "vertex/claude-sonnet-4-5@default" }).resolve("auto");
    expect(res.reasons.join("\n")).toContain("RESOLVER_PROVIDER_NOT_CONNECTED");
    expect(res.providerId).not.toBe("vertex");
  });

  it("fails with RESOLVER_NO_CONNECTED_PROVIDERS when nothing is connected", () => {
    const none = catalogFromOpencode(world, { connected: [] });
    expect(fail(() => createResolver(none).resolve("auto")).code).toBe("RESOLVER_NO_CONNECTED_PROVIDERS");
  });

  it("fails with RESOLVER_CAPABILITY_UNMET and names unconnected providers that could serve", () => {
    const c = catalog({ a: { t: model("t") }, b: { v: model("v", { vision: true }) } }, { connected: ["a"] });
    const e = fail(() => createResolver(c).resolve("auto:vision"));
    expect(e.code).toBe("RESOLVER_CAPABILITY_UNMET");
    expect(e.hints.join(" ")).toContain("b");
  });

  it("fails with RESOLVER_CATALOG_UNAVAILABLE on an empty catalog", () => {
    expect(fail(() => createResolver({ providers: [], connected: [] }).resolve("auto")).code).toBe(
      "RESOLVER_CATALOG_UNAVAILABLE",
    );
  });
});

describe("selection modes", () => {
  const c = catalog({
    p: {
      big: model("big-pro", { reasoning: true, context: 1_000_000, output: 64_000, cost: [15, 75] }),
      mid: model("mid", { reasoning: true, context: 200_000, output: 32_000, cost: [1, 4] }),
      tiny: model("tiny-mini", { context: 32_000, cost: [0.05, 0.1] }),
      unknown: model("unknown", { context: 32_000, cost: null }),
    },
  });
  const mode = (m: "performance" | "balanced" | "economical") =>
    createResolver(c, { modelSelection: { mode: m } });

  it("performance ignores price; economical picks the cheapest; balanced trades off", () => {
    expect(mode("performance").resolve("auto").model).toBe("p/big");
    expect(mode("economical").resolve("auto").model).toBe("p/tiny");
    expect(mode("balanced").resolve("auto").model).toBe("p/mid");
    expect(mode("balanced").resolve("auto").reasons.join("\n")).toContain("0.6 × capability + 0.4 × price");
  });

  it("ranks an unknown price last in economical", () => {
    const res = mode("economical").resolve("auto");
    expect(res.rejected.map((x) => x.model).at(-1)).toBe("p/unknown");
    expect(res.rejected.at(-1)?.reason).toContain("price unknown");
  });
});

describe("preferredProviders: an ordered filter with fallback", () => {
  const c = catalog({
    strong: { best: model("best", { vision: true, reasoning: true, context: 1_000_000, cost: [1, 1] }) },
    weak: { ok: model("ok", { vision: true, context: 32_000 }) },
    other: { meh: model("meh", { vision: true, context: 16_000 }) },
    textonly: { t: model("t") },
  });

  it("picks from the first preferred provider with a qualifying model even when a better one exists elsewhere", () => {
    const res = createResolver(c, { modelSelection: { preferredProviders: ["weak", "strong"] } }).resolve(
      "auto:vision",
    );
    expect(res.model).toBe("weak/ok");
    expect(res.reasons.join("\n")).toContain('preferred provider "weak" (1st preference)');
    expect(res.rejected.find((x) => x.model === "strong/best")?.reason).toContain('"weak" is preferred');
  });

  it("moves to the next preferred provider when the first has none that qualifies", () => {
    const res = createResolver(c, { modelSelection: { preferredProviders: ["textonly", "other"] } }).resolve(
      "auto:vision",
    );
    expect(res.model).toBe("other/meh");
    expect(res.reasons.join("\n")).toContain('skipped "textonly" (no qualifying model)');
  });

  it("falls back to every connected provider when no preferred one qualifies, and says so", () => {
    const res = createResolver(c, { modelSelection: { preferredProviders: ["textonly", "nope"] } }).resolve(
      "auto:vision",
    );
    expect(res.model).toBe("strong/best");
    expect(res.reasons.join("\n")).toContain("no preferred provider qualifies");
    expect(res.reasons.join("\n")).toContain('"nope" (unknown provider)');
  });

  it("does not apply to explicit references", () => {
    const res = createResolver(c, { modelSelection: { preferredProviders: ["weak"] } }).resolve("other/meh");
    expect(res.model).toBe("other/meh");
  });
});

describe("deterministic tie-breaks", () => {
  const same = (date: string) => model("x", { date });
  it("newer release date first", () => {
    // Same month: the same capability score; the day decides.
    const c = catalog({ a: { old: same("2025-06-01") }, b: { new: same("2025-06-20") } });
    const res = createResolver(c).resolve("auto");
    expect(res.model).toBe("b/new");
    expect(res.reasons.join("\n")).toContain("tie broken by newer release date");
  });
  it("then the provider's default model", () => {
    const c = catalog({ a: { m1: same("2025-01-01"), m2: same("2025-01-01") } }, { default: { a: "m2" } });
    const res = createResolver(c).resolve("auto");
    expect(res.model).toBe("a/m2");
    expect(res.reasons.join("\n")).toContain("tie broken by provider default model");
  });
  it("then lexical id", () => {
    const c = catalog({ b: { m: same("2025-01-01") }, a: { m: same("2025-01-01") } });
    const res = createResolver(c).resolve("auto");
    expect(res.model).toBe("a/m");
    expect(res.reasons.join("\n")).toContain("tie broken by lexical id");
  });
});

describe("determinism", () => {
  it("gives the same answers, reasons and rejections whatever the JSON key order", () => {
    const configs: ResolverConfig[] = [
      {},
      { modelSelection: { mode: "balanced" } },
      { modelSelection: { mode: "economical", maxCostPer1kTokens: 0.01 } },
      { modelSelection: { preferredProviders: ["openai"] } },
    ];
    const refs = [
      "auto",
      "auto:vision",
      "auto:fast",
      "auto:docs",
      "auto:code",
      "auto:reasoning",
      "auto:cheap",
    ];
    const answer = (raw: unknown, config: ResolverConfig) => {
      const res = createResolver(catalogFromOpencode(raw), config);
      return refs.map((ref) => {
        const out = res.tryResolve(ref);
        return out.ok
          ? {
              model: out.resolution.model,
              reasons: out.resolution.reasons,
              rejected: out.resolution.rejected,
            }
          : out.error.toJSON();
      });
    };
    for (const config of configs) {
      const base = JSON.stringify(answer(world, config));
      for (let seed = 1; seed <= 5; seed++) {
        expect(JSON.stringify(answer(shuffleDeep(world, rng(seed)), config))).toBe(base);
      }
    }
  });
});

describe("aliases", () => {
  const aliases = {
    sonnet: "anthropic/claude-sonnet-4-5",
    best: "sonnet",
    eyes: "node:vision",
    loop: "loop2",
    loop2: "loop",
  };
  it("resolves alias → alias with provenance alias and the chain in reasons", () => {
    const res = r({ modelAliases: aliases }).resolve("best");
    expect(res.model).toBe("anthropic/claude-sonnet-4-5");
    expect(res.provenance).toBe("alias");
    expect(res.reasons[0]).toBe('alias "best" → "sonnet" → "anthropic/claude-sonnet-4-5"');
  });
  it("resolves an alias to a tag", () => {
    expect(r({ modelAliases: aliases }).resolve("eyes").capabilities.vision).toBe(true);
  });
  it("reports cycles as RESOLVER_ALIAS_CYCLE", () => {
    expect(fail(() => r({ modelAliases: aliases }).resolve("loop")).code).toBe("RESOLVER_ALIAS_CYCLE");
  });
  it("keeps the target's error code and names the alias", () => {
    const e = fail(() => r({ modelAliases: { old: "anthropic/claude-2" } }).resolve("old"));
    expect(e.code).toBe("RESOLVER_DEPRECATED");
    expect(e.message).toContain('Alias "old" → "anthropic/claude-2"');
    expect(e.input).toBe("old");
  });
});

describe("fallback chains", () => {
  it("tries the next reference and says why", () => {
    const res: Resolution = r().resolve([
      "vertex/claude-sonnet-4-5@default",
      "anthropic/claude-2",
      "openai/gpt-4o",
    ]);
    expect(res.model).toBe("openai/gpt-4o");
    expect(res.provenance).toBe("fallback");
    expect(res.attempts.map((a) => a.code)).toEqual([
      "RESOLVER_PROVIDER_NOT_CONNECTED",
      "RESOLVER_DEPRECATED",
    ]);
    expect(res.reasons[0]).toContain(
      '1st choice "vertex/claude-sonnet-4-5@default" failed (RESOLVER_PROVIDER_NOT_CONNECTED)',
    );
    expect(res.reasons[2]).toContain('fell back to the 3rd choice "openai/gpt-4o" (resolved as explicit)');
  });

  it("throws with every attempt when the whole chain fails, keeping the first code", () => {
    const e = fail(() => r().resolve(["anthropic/claude-sonet", "auto:visoin", "nope/x"]));
    expect(e.code).toBe("RESOLVER_UNKNOWN_MODEL");
    expect(e.attempts.map((a) => [a.ref, a.code])).toEqual([
      ["anthropic/claude-sonet", "RESOLVER_UNKNOWN_MODEL"],
      ["auto:visoin", "RESOLVER_UNKNOWN_TAG"],
      ["nope/x", "RESOLVER_UNKNOWN_PROVIDER"],
    ]);
    expect(e.suggestions).not.toContain("anthropic/claude-sonet");
    expect(e.toJSON()).toMatchObject({ code: "RESOLVER_UNKNOWN_MODEL", input: "anthropic/claude-sonet" });
  });

  it("resolveProfile uses model then fallbackModels and honours supportsVision", () => {
    const res = r().resolveProfile({
      model: "openai/text-embedding-3-small",
      fallbackModels: ["auto"],
      supportsVision: true,
    });
    expect(res.provenance).toBe("fallback");
    expect(res.capabilities.vision).toBe(true);
    expect(r().resolveProfile({}).tag).toBe("auto");
  });

  it("tryResolve returns the error instead of throwing", () => {
    const out = r().tryResolve("nope/x");
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe("RESOLVER_UNKNOWN_PROVIDER");
    expect(fail(() => r().resolve([])).code).toBe("RESOLVER_INVALID_REFERENCE");
  });
});

describe("listModels", () => {
  it("filters by capability and cost, connected chat models by default", () => {
    const vision = r().listModels({ require: { vision: true }, maxCostPer1kTokens: 0.001, sort: "price" });
    expect(vision.map((m) => m.model)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"]);
    expect(r().listModels({ connectedOnly: false, provider: "vertex" })).toHaveLength(1);
    expect(
      r()
        .listModels()
        .some((m) => m.deprecated),
    ).toBe(false);
    expect(
      r()
        .listModels({ includeDeprecated: true })
        .some((m) => m.deprecated),
    ).toBe(true);
  });
});
