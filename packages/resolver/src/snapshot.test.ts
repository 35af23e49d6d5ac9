// Rules checked over the real opencode 1.18.33 GET /provider snapshot (8,218 models).
import { describe, expect, it } from "vitest";
import type { AutoTag } from "./auto-tags.js";
import { AUTO_TAG_SPECS, AUTO_TAGS } from "./auto-tags.js";
import { buildCatalogIndex } from "./catalog-index.js";
import { catalogFromOpencode } from "./opencode-catalog.js";
import { unmetRequirements } from "./requirements.js";
import type { ResolverConfig } from "./resolution.js";
import { createResolver } from "./resolver.js";
import { ResolverError } from "./resolver-error.js";
import { rng, shuffleDeep, snapshotCatalog } from "./test-helpers.js";

const CONNECTED = ["anthropic", "google", "openai", "openrouter", "opencode", "poe", "vercel", "groq"];
const catalog = snapshotCatalog(CONNECTED);
const index = buildCatalogIndex(catalog);

const configs: ResolverConfig[] = [
  {},
  { modelSelection: { mode: "balanced" } },
  { modelSelection: { mode: "economical" } },
  { modelSelection: { mode: "performance", maxCostPer1kTokens: 0.001 } },
  { modelSelection: { mode: "balanced", preferredProviders: ["anthropic", "openai"] } },
];

describe("auto tags over the real snapshot", () => {
  it.each(configs.map((c, i) => [i, c] as const))(
    "config %i: every tag picks a usable, connected chat model",
    (_, config) => {
      const resolver = createResolver(index, config);
      for (const tag of AUTO_TAGS) {
        const res = resolver.resolve(tag);
        const entry = index.get(res.model);
        expect(entry).toBeDefined();
        if (!entry) continue;
        expect(entry.connected).toBe(true);
        expect(entry.deprecated).toBe(false);
        expect(entry.chat).toBe(true);
        expect(res.capabilities.output.text).toBe(true);
        expect(unmetRequirements(entry, AUTO_TAG_SPECS[tag as AutoTag].require)).toEqual([]);
        const cap = config.modelSelection?.maxCostPer1kTokens;
        if (cap !== undefined)
          expect((entry.model.cost?.input ?? Number.POSITIVE_INFINITY) / 1000).toBeLessThanOrEqual(cap);
        const prefs = config.modelSelection?.preferredProviders;
        if (prefs !== undefined) expect(prefs).toContain(res.providerId);
      }
    },
  );

  it("auto:vision never lands on an image, video or audio generator although poe and vercel offer many", () => {
    const generators = index.connectedModels.filter((m) =>
      ["image", "video", "audio", "tts"].includes(m.capabilities.kind),
    );
    expect(generators.length).toBeGreaterThan(20);
    for (const mode of ["performance", "balanced", "economical"] as const) {
      const res = createResolver(index, { modelSelection: { mode } }).resolve("auto:vision");
      expect(res.capabilities.kind).toBe("chat");
      expect(res.capabilities.input.image).toBe(true);
    }
  });

  it("auto:cheap with a cap only returns models whose input price is under cap × 1000 per 1M", () => {
    const res = createResolver(index, { modelSelection: { maxCostPer1kTokens: 0.0005 } }).resolve(
      "auto:cheap",
    );
    expect(res.cost).not.toBeNull();
    expect(res.cost?.input).toBeLessThanOrEqual(0.5);
  });

  it("gives the same answers when the snapshot's keys and arrays are shuffled", async () => {
    const { readFileSync } = await import("node:fs");
    const { gunzipSync } = await import("node:zlib");
    const { SNAPSHOT_PATH } = await import("./test-helpers.js");
    const raw: unknown = JSON.parse(gunzipSync(readFileSync(SNAPSHOT_PATH)).toString("utf8"));
    const answers = (r: unknown) => {
      const resolver = createResolver(catalogFromOpencode(r, { connected: CONNECTED }), configs[4]);
      return AUTO_TAGS.map((t) => {
        const x = resolver.resolve(t);
        return [x.model, x.reasons, x.rejected];
      });
    };
    const base = JSON.stringify(answers(raw));
    expect(JSON.stringify(answers(shuffleDeep(raw, rng(42))))).toBe(base);
  });
});

describe("explicit references over the real snapshot", () => {
  const resolver = createResolver(snapshotCatalog(["google-vertex", "synthetic", "openrouter", "anthropic"]));

  it("resolves ids with '/', ':' and '@'", () => {
    expect(resolver.resolve("google-vertex/claude-sonnet-5@default").modelId).toBe("claude-sonnet-5@default");
    expect(resolver.resolve("synthetic/hf:MiniMaxAI/MiniMax-M3").modelId).toBe("hf:MiniMaxAI/MiniMax-M3");
    expect(resolver.resolve("openrouter/openai/gpt-4o").modelId).toBe("openai/gpt-4o");
  });

  it("suggests only real, usable refs and never echoes the input", () => {
    const typos = [
      "anthropic/claude-sonet-4-5",
      "antropic/claude-sonnet-4-5",
      "openrouter/openai/gpt-4-o",
      "claude-sonet-4-5",
      "deepinfra/MiniMaxAI/MiniMax-M3",
      "openai/gpt-4o",
    ];
    for (const t of typos) {
      const out = resolver.tryResolve(t);
      expect(out.ok).toBe(false);
      if (out.ok) continue;
      expect(out.error.suggestions).not.toContain(t);
      for (const s of out.error.suggestions) expect(resolver.tryResolve(s).ok).toBe(true);
    }
    const e = resolver.tryResolve("anthropic/claude-sonet-4-5");
    expect(!e.ok && e.error.suggestions[0]).toBe("anthropic/claude-sonnet-4-5");
    const notConnected = resolver.tryResolve("openai/gpt-4o");
    expect(!notConnected.ok && notConnected.error.code).toBe("RESOLVER_PROVIDER_NOT_CONNECTED");
    expect(!notConnected.ok && notConnected.error.suggestions).toContain("openrouter/openai/gpt-4o");
  });

  // REVISED (issue 15): this resolved auto to a free opencode model by default. Free models are opt-in
  // now; the answer says how to opt in, and with allowFree it resolves as before.
  it("the offline server's own connected list (opencode only) is free models only: opt-in with allowFree", () => {
    const refused = createResolver(snapshotCatalog()).tryResolve("auto");
    expect(!refused.ok && refused.error.hints.join(" ")).toContain("modelSelection.allowFree");
    const res = createResolver(snapshotCatalog(), { modelSelection: { allowFree: true } }).resolve("auto");
    expect(res.providerId).toBe("opencode");
    expect(res.warnings.join(" ")).toContain("free");
  });

  it("reports failure codes, not exceptions of other kinds", () => {
    for (const ref of ["", "auto:nope", "nope/x", "kimi-k3", "openrouter/x"]) {
      const out = resolver.tryResolve(ref);
      expect(out.ok).toBe(false);
      if (!out.ok) expect(ResolverError.isResolverError(out.error)).toBe(true);
    }
  });
});
