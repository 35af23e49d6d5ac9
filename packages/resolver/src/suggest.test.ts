import { describe, expect, it } from "vitest";
import { createContext } from "./context.js";
import { suggest } from "./suggest.js";
import { catalog, model } from "./test-helpers.js";
import { fail, r } from "./test-world.js";

describe("suggestions: real, usable references close to what was asked", () => {
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

  it("ranks the same model id first, then close names, and never returns the target or the excluded ref", () => {
    const ctx = createContext(
      catalog(
        {
          a: { "gpt-4o": model("gpt-4o"), "gpt-4o-mini": model("gpt-4o-mini") },
          b: { "gpt-4o": model("gpt-4o"), "gpt-4": model("gpt-4") },
          off: { "gpt-4o": model("gpt-4o") },
        },
        { connected: ["a", "b"] },
      ),
      {},
    );
    const out = suggest(ctx, "x/gpt-4o", { chat: true }, "a/gpt-4o");
    // Same id under a connected provider first (a/gpt-4o is excluded), then a close name.
    expect(out).toEqual(["b/gpt-4o", "b/gpt-4"]);
    expect(out).not.toContain("x/gpt-4o");
    expect(out).not.toContain("off/gpt-4o"); // not connected: not usable
  });

  it("fills with the most capable usable models of the preferred provider when nothing is close", () => {
    const ctx = createContext(
      catalog(
        {
          a: {
            big: model("big", { reasoning: true, context: 1_000_000 }),
            small: model("small", { context: 32_000 }),
          },
          b: { other: model("other", { reasoning: true, context: 1_000_000 }) },
        },
        { connected: ["a", "b"] },
      ),
      {},
    );
    expect(suggest(ctx, "zzzzzzzz", { chat: true }, "", { preferProvider: "a", fillWithBest: true })).toEqual(
      ["a/big", "a/small", "b/other"],
    );
    expect(suggest(ctx, "zzzzzzzz", { chat: true }, "")).toEqual([]);
  });
});
