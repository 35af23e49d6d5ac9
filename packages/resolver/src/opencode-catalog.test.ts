import { describe, expect, it } from "vitest";
import { inputPricePer1k } from "./catalog.js";
import { catalogFromOpencode } from "./opencode-catalog.js";
import { ResolverError } from "./resolver-error.js";
import { model, rawCatalog, rng, shuffleDeep, snapshotCatalog } from "./test-helpers.js";

describe("catalogFromOpencode over the real opencode 1.18.33 snapshot", () => {
  const catalog = snapshotCatalog();
  const all = catalog.providers.flatMap((p) => p.models);

  it("reads every provider and model", () => {
    expect(catalog.providers).toHaveLength(225);
    expect(all).toHaveLength(8218);
    expect(catalog.source).toBeUndefined();
  });

  it("takes the server's own connected list when none is passed (an offline server reports only opencode)", () => {
    expect(catalog.connected).toEqual(["opencode"]);
    expect(snapshotCatalog(["openai", "anthropic", "no-such-provider"]).connected).toEqual([
      "anthropic",
      "openai",
    ]);
  });

  it("keeps model ids that contain '/', ':' and '@' whole, split from the provider at the first '/'", () => {
    const refs = new Set(all.map((m) => m.ref));
    expect(refs.has("google-vertex/claude-sonnet-5@default")).toBe(true);
    expect(refs.has("synthetic/hf:MiniMaxAI/MiniMax-M3")).toBe(true);
    const m = all.find((x) => x.ref === "synthetic/hf:MiniMaxAI/MiniMax-M3");
    expect(m?.providerId).toBe("synthetic");
    expect(m?.id).toBe("hf:MiniMaxAI/MiniMax-M3");
  });

  it("keeps prices in USD per 1M and converts to per 1k only on request", () => {
    const sonnet = all.find((x) => x.ref === "anthropic/claude-sonnet-4-5");
    expect(sonnet?.cost?.input).toBe(3);
    expect(sonnet?.cost?.output).toBe(15);
    expect(inputPricePer1k(sonnet?.cost ?? null)).toBeCloseTo(0.003, 12);
  });

  it("turns a context of 0 into unknown (null), never 'fits'", () => {
    const unknown = all.filter((m) => m.contextWindow === null);
    expect(unknown.length).toBe(143);
    expect(all.some((m) => m.contextWindow === 0)).toBe(false);
  });

  it("reads status and release dates", () => {
    expect(all.filter((m) => m.status === "deprecated")).toHaveLength(221);
    expect(all.every((m) => m.releaseDate === null || /^\d{4}-\d{2}/.test(m.releaseDate))).toBe(true);
  });

  it("sorts providers and models by id", () => {
    const ids = catalog.providers.map((p) => p.id);
    expect(ids).toEqual([...ids].sort());
    for (const p of catalog.providers) {
      const mids = p.models.map((m) => m.id);
      expect(mids).toEqual([...mids].sort());
    }
  });
});

describe("catalogFromOpencode on synthetic answers", () => {
  it("keeps a missing price distinct from a price of 0", () => {
    const c = catalogFromOpencode(
      rawCatalog({ p: { free: model("free", { cost: [0, 0] }), unknown: model("unknown", { cost: null }) } }),
    );
    const [free, unknown] = c.providers[0]?.models ?? [];
    expect(free?.cost).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    expect(unknown?.cost).toBeNull();
  });

  it("treats a half-stated or non-numeric price as unknown", () => {
    const half = { ...model("half"), cost: { input: 1 } };
    const text = { ...model("text"), cost: { input: "1", output: 2 } } as unknown as ReturnType<typeof model>;
    const c = catalogFromOpencode(rawCatalog({ p: { half, text } }));
    expect(c.providers[0]?.models.map((m) => m.cost)).toEqual([null, null]);
  });

  it("leaves unstated capabilities out instead of guessing", () => {
    const c = catalogFromOpencode({ all: [{ id: "p", models: { bare: {} } }] });
    const m = c.providers[0]?.models[0];
    expect(m?.capabilities).toEqual({});
    expect(m?.cost).toBeNull();
    expect(m?.contextWindow).toBeNull();
    expect(m?.status).toBeNull();
    expect(m?.name).toBe("bare");
  });

  it("records the provider default model and env vars", () => {
    const c = catalogFromOpencode(
      rawCatalog({ p: { a: model("a") } }, { default: { p: "a" }, env: { p: ["P_KEY"] } }),
    );
    expect(c.providers[0]?.defaultModel).toBe("a");
    expect(c.providers[0]?.env).toEqual(["P_KEY"]);
  });

  it("accepts the config.providers() shape, where every listed provider is connected", () => {
    const c = catalogFromOpencode({ providers: [{ id: "x", models: { m: model("m") } }], default: {} });
    expect(c.connected).toEqual(["x"]);
  });

  it("does not depend on JSON key order", () => {
    const raw = rawCatalog({
      b: { z: model("z"), "a/b:c@d": model("a/b:c@d") },
      a: { y: model("y", { vision: true }) },
    });
    const base = JSON.stringify(catalogFromOpencode(raw));
    for (let seed = 1; seed <= 5; seed++) {
      expect(JSON.stringify(catalogFromOpencode(shuffleDeep(raw, rng(seed))))).toBe(base);
    }
  });

  it("fails with RESOLVER_CATALOG_UNAVAILABLE on an answer that is not a provider list", () => {
    for (const bad of [null, 42, [], { all: "x" }, { nothing: true }]) {
      try {
        catalogFromOpencode(bad);
        expect.unreachable();
      } catch (e) {
        expect(ResolverError.isResolverError(e) && e.code).toBe("RESOLVER_CATALOG_UNAVAILABLE");
      }
    }
  });
});
