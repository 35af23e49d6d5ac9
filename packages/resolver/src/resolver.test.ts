import { describe, expect, it } from "vitest";
import type { Resolution } from "./resolution.js";
import { fail, r } from "./test-world.js";

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
