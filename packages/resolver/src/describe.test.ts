import { describe, expect, it } from "vitest";
import { buildCatalogIndex } from "./catalog-index.js";
import { describeResolution, describeResolverError, summarizeResolution } from "./describe.js";
import { createResolver } from "./resolver.js";
import { catalog, model } from "./test-helpers.js";
import { fail, r } from "./test-world.js";

describe("describeResolution", () => {
  it("shows the model, provenance, capabilities, cost, every reason and the rejected candidates", () => {
    const text = describeResolution(r().resolve("auto:vision"));
    const lines = text.split("\n");
    expect(lines[0]).toBe("anthropic/claude-sonnet-4-5  (auto-tag, auto:vision)");
    expect(lines[1]).toBe("capabilities: vision, tools, reasoning; context 200k; max output 8k");
    expect(lines[2]).toBe("cost: $3 in / $15 out per 1M tokens ($0.003 / $0.015 per 1k)");
    expect(lines[3]).toBe("why:");
    expect(lines[4]).toMatch(/^ {2}- auto:vision: /);
    expect(text).toMatch(/\nrejected \(\d+ of \d+ shown\):\n {2}- \S+: /);
  });

  it("names the reference an alias or a fallback started from, and the references tried first", () => {
    const alias = describeResolution(r({ modelAliases: { eyes: "auto:vision" } }).resolve("eyes"));
    expect(alias.split("\n")[0]).toBe('anthropic/claude-sonnet-4-5  (alias, auto:vision, from "eyes")');
    const chain = describeResolution(r().resolve(["anthropic/claude-2", "openai/gpt-4o"]));
    expect(chain.split("\n")[0]).toBe("openai/gpt-4o  (fallback)");
    expect(chain).toContain("\ntried first:\n  - anthropic/claude-2: [RESOLVER_DEPRECATED] ");
  });

  it("says unknown for an unknown price and context, and marks the fields capabilityOverrides set", () => {
    const c = catalog({ p: { m: model("m", { cost: null, context: 0 }) } });
    const index = buildCatalogIndex(c, { capabilityOverrides: { "p/m": { vision: true } } });
    const text = describeResolution(createResolver(index).resolve("p/m"));
    expect(text).toContain("capabilities: vision, tools (override: input.image); context unknown;");
    expect(text).toContain("cost: unknown (never passes a cost cap)");
    expect(text).toContain("warnings:\n  - price unknown");
    expect(summarizeResolution(createResolver(index).resolve("p/m"))).toContain("(warning: price unknown");
  });
});

describe("summarizeResolution", () => {
  it("gives the model, how it was reached and the decisive reason in one line", () => {
    const res = r().resolve("auto:vision");
    const line = summarizeResolution(res);
    expect(line).not.toContain("\n");
    expect(line).toBe(`anthropic/claude-sonnet-4-5 (auto-tag, auto:vision): ${res.reasons.at(-1)}`);
    const alias = summarizeResolution(r({ modelAliases: { eyes: "auto:vision" } }).resolve("eyes"));
    expect(alias).toMatch(/^anthropic\/claude-sonnet-4-5 \(alias, auto:vision, from "eyes"\): /);
  });

  it("says which references of a fallback chain failed first, and why", () => {
    const res = r().resolve(["anthropic/claude-2", "openai/gpt-4o"]);
    const [attempt] = res.attempts;
    expect(summarizeResolution(res)).toBe(
      `openai/gpt-4o (fallback): ${res.reasons.at(-1)} (tried first: "anthropic/claude-2" failed: ${attempt?.message})`,
    );
    expect(attempt?.message).toMatch(/deprecated/);
  });
});

describe("describeResolverError", () => {
  it("shows [CODE] message, the suggestions and the hints", () => {
    const text = describeResolverError(fail(() => r().resolve("anthropic/claude-sonet-4-5")));
    const lines = text.split("\n");
    expect(lines[0]).toBe('[RESOLVER_UNKNOWN_MODEL] Provider "anthropic" has no model "claude-sonet-4-5".');
    expect(lines[1]).toMatch(/^Did you mean: anthropic\/claude-sonnet-4-5(, |$)/);
    expect(lines[2]).toMatch(/^hint: Check the model id/);
    expect(text).not.toContain("tried:");
  });

  it("lists every reference of a failed chain, and no suggestion line when there is none", () => {
    const text = describeResolverError(
      fail(() => r({ modelAliases: { loop: "loop2", loop2: "loop" } }).resolve(["loop", "nope/x"])),
    );
    expect(text).toMatch(/^\[RESOLVER_ALIAS_CYCLE\] No reference of the chain resolves/);
    expect(text).toContain("\ntried:\n  - loop: [RESOLVER_ALIAS_CYCLE] ");
    expect(text).toContain("\n  - nope/x: [RESOLVER_UNKNOWN_PROVIDER] ");
    const cycle = describeResolverError(
      fail(() => r({ modelAliases: { loop: "loop2", loop2: "loop" } }).resolve("loop")),
    );
    expect(cycle).not.toContain("Did you mean");
  });
});
