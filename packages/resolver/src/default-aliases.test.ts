import { describe, expect, it } from "vitest";
import { buildCatalogIndex, type CatalogIndex } from "./catalog-index.js";
import { DEFAULT_ALIASES } from "./default-aliases.js";
import { classifyReference } from "./reference.js";
import type { ResolverConfig } from "./resolution.js";
import { createResolver } from "./resolver.js";
import { catalog, model, snapshotCatalog } from "./test-helpers.js";
import { fail } from "./test-world.js";

const indexes = new Map<string, CatalogIndex>();
/** The committed snapshot with these providers connected (indexed once per set). */
function snap(connected: readonly string[] | "all"): CatalogIndex {
  const key = connected === "all" ? "all" : connected.join(",");
  let index = indexes.get(key);
  if (index === undefined) {
    const all = snapshotCatalog();
    index = buildCatalogIndex(
      snapshotCatalog(connected === "all" ? all.providers.map((p) => p.id) : connected),
    );
    indexes.set(key, index);
  }
  return index;
}
const pick = (connected: readonly string[] | "all", ref: string, config: ResolverConfig = {}) =>
  createResolver(snap(connected), config).resolve(ref);

describe("default aliases over the committed snapshot (expected picks written down first)", () => {
  it.each([
    [["anthropic"], "sonnet", "anthropic/claude-sonnet-5"],
    // claude-opus-5-5-fast shares the date but is the flagship's 2×-priced variant, not the family's model.
    [["anthropic"], "opus", "anthropic/claude-opus-5-5"],
    [["anthropic"], "haiku", "anthropic/claude-haiku-4-5"],
    [["openai"], "gpt", "openai/gpt-5.6"],
    [["openai"], "gpt-mini", "openai/gpt-5.4-mini"],
    [["google"], "gemini-flash", "google/gemini-3.8-flash"],
    [["google"], "gemini-pro", "google/gemini-3.1-pro-preview"],
    [["google"], "gemini", "google/gemini-3.1-pro-preview"],
    // Only gateways connected: the newest each of them offers (openrouter has no plain gpt-5.6).
    [["openrouter"], "sonnet", "openrouter/anthropic/claude-sonnet-5"],
    [["openrouter"], "gpt", "openrouter/openai/gpt-5.5"],
    [["github-copilot"], "gemini-flash", "github-copilot/gemini-3.8-flash"],
    // The first party beats every gateway when connected.
    [["anthropic", "openrouter", "amazon-bedrock", "kilo"], "sonnet", "anthropic/claude-sonnet-5"],
    [["openai", "openrouter", "azure"], "gpt-mini", "openai/gpt-5.4-mini"],
    ["all", "opus", "anthropic/claude-opus-5-5"],
    ["all", "gpt", "openai/gpt-5.6"],
    ["all", "gemini-flash", "google/gemini-3.8-flash"],
  ] as const)("%j: %s → %s", (connected, alias, expected) => {
    const res = pick(connected, alias);
    expect(res.model).toBe(expected);
    expect(res.provenance).toBe("alias");
    expect(res.input).toBe(alias);
    expect(res.reasons[0]).toContain(`default alias "${alias}"`);
  });

  it("says why in the first reason: the family, the newest version, and the first party", () => {
    const res = pick(["anthropic", "openrouter"], "sonnet");
    expect(res.reasons[0]).toBe(
      'default alias "sonnet" → "anthropic/claude-sonnet-5": the newest Claude Sonnet (version 5, released 2026-06-29) of "anthropic", the first party; newer than "anthropic/claude-sonnet-4-6"',
    );
  });

  it("uses a gateway over the first party when the user prefers it", () => {
    const res = pick(["anthropic", "openrouter"], "sonnet", {
      modelSelection: { preferredProviders: ["openrouter"] },
    });
    expect(res.model).toBe("openrouter/anthropic/claude-sonnet-5");
    expect(res.reasons[0]).toContain('preferred provider "openrouter"');
  });

  it("are overridden by user aliases, and user aliases may point at them", () => {
    const aliases = { sonnet: "anthropic/claude-sonnet-4-5", best: "opus" };
    expect(pick(["anthropic"], "sonnet", { modelAliases: aliases }).model).toBe(
      "anthropic/claude-sonnet-4-5",
    );
    const best = pick(["anthropic"], "best", { modelAliases: aliases });
    expect(best.model).toBe("anthropic/claude-opus-5-5");
    expect(best.reasons[0]).toBe('alias "best" → "opus"');
    expect(best.reasons[1]).toContain('default alias "opus"');
  });

  it("name the provider to connect when no connected provider has the family", () => {
    const e = fail(() => pick(["openai"], "sonnet"));
    expect(e.code).toBe("RESOLVER_PROVIDER_NOT_CONNECTED");
    expect(e.message).toContain("Claude Sonnet");
    expect(e.hints.join(" ")).toContain("ANTHROPIC_API_KEY");
    expect(e.input).toBe("sonnet");
  });

  it("are suggested for a close misspelling when they resolve here", () => {
    const e = fail(() => pick(["anthropic"], "sonet"));
    expect(e.code).toBe("RESOLVER_UNKNOWN_MODEL");
    expect(e.suggestions[0]).toBe("sonnet");
    expect(fail(() => pick(["openai"], "sonet")).suggestions).not.toContain("sonnet");
  });

  it("every default alias resolves to its first party with everything connected", () => {
    const resolver = createResolver(snap("all"));
    for (const name of DEFAULT_ALIASES) {
      const res = resolver.resolve(name);
      expect(["anthropic", "openai", "google"]).toContain(res.providerId);
      expect(res.status).not.toBe("deprecated");
    }
  });
});

describe("default aliases over small catalogs", () => {
  const c = (
    models: Record<string, ReturnType<typeof model>>,
    extra: Record<string, ReturnType<typeof model>> = {},
  ) => createResolver(catalog({ anthropic: models, gw: extra }, { connected: ["anthropic", "gw"] }));

  it("skip deprecated models and compare versions as numbers, not text", () => {
    const resolver = c({
      "claude-sonnet-9": model("claude-sonnet-9", { status: "deprecated", date: "2027-01-01" }),
      "claude-sonnet-4-10": model("claude-sonnet-4-10", { date: "2026-01-01" }),
      "claude-sonnet-4-9": model("claude-sonnet-4-9", { date: "2026-01-01" }),
      "claude-sonnet-4-9-fast": model("claude-sonnet-4-9-fast", { date: "2026-02-01" }),
    });
    expect(resolver.resolve("sonnet").model).toBe("anthropic/claude-sonnet-4-10");
  });

  it("prefer the floating id over its dated snapshot, and accept the old claude-3-5-sonnet spelling", () => {
    const resolver = c({
      "claude-sonnet-4-5-20250929": model("claude-sonnet-4-5-20250929", { date: "2025-09-29" }),
      "claude-sonnet-4-5": model("claude-sonnet-4-5", { date: "2025-09-29" }),
      "claude-3-7-sonnet-20250219": model("claude-3-7-sonnet-20250219", { date: "2025-02-19" }),
    });
    expect(resolver.resolve("sonnet").model).toBe("anthropic/claude-sonnet-4-5");
    const old = createResolver(
      catalog({ anthropic: { "claude-3-7-sonnet-20250219": model("claude-3-7-sonnet-20250219") } }),
    );
    expect(old.resolve("sonnet").model).toBe("anthropic/claude-3-7-sonnet-20250219");
  });

  it("never take a gateway's variant of another product (thinking, free, stealth) for the family", () => {
    const resolver = createResolver(
      catalog(
        {
          gw: {
            "anthropic/claude-sonnet-5:thinking": model("anthropic/claude-sonnet-5:thinking"),
            "anthropic/claude-sonnet-5-free": model("anthropic/claude-sonnet-5-free"),
            "stealth/claude-sonnet-5": model("stealth/claude-sonnet-5"),
            "anthropic/claude-sonnet-4.6": model("anthropic/claude-sonnet-4.6"),
          },
        },
        { connected: ["gw"] },
      ),
    );
    expect(resolver.resolve("sonnet").model).toBe("gw/anthropic/claude-sonnet-4.6");
  });

  it("is UNKNOWN_MODEL when the catalog has no model of the family at all", () => {
    const e = fail(() => c({ "claude-haiku-4-5": model("claude-haiku-4-5") }).resolve("opus"));
    expect(e.code).toBe("RESOLVER_UNKNOWN_MODEL");
    expect(e.message).toContain("Claude Opus");
  });

  it("classify as default aliases unless a user alias of the same name exists", () => {
    expect(classifyReference("gpt-mini")).toEqual({
      kind: "default-alias",
      alias: "gpt-mini",
      written: "gpt-mini",
    });
    expect(classifyReference("gpt-mini", { "gpt-mini": "openai/gpt-4o-mini" })).toMatchObject({
      kind: "alias",
      target: { kind: "explicit", providerId: "openai" },
    });
  });
});
