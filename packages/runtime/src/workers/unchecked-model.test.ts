import { describe, expect, it } from "vitest";
import { uncheckedExplicitModel } from "./unchecked-model.js";

const given = (
  override: string | undefined,
  extra: Partial<Parameters<typeof uncheckedExplicitModel>[0]> = {},
) => uncheckedExplicitModel({ override, aliases: {}, budget: undefined, ...extra });

describe("uncheckedExplicitModel", () => {
  it("takes an explicit provider/model as written (the model id may contain / and :)", () => {
    expect(given("anthropic/claude-sonnet-4")).toEqual({
      providerID: "anthropic",
      modelID: "claude-sonnet-4",
    });
    expect(given(" openrouter/meta/llama:free ")).toEqual({
      providerID: "openrouter",
      modelID: "meta/llama:free",
    });
  });

  it("leaves every reference that must be chosen or looked up to the catalog", () => {
    expect(given(undefined)).toBeUndefined();
    for (const ref of ["auto", "auto:code", "node:fast", "sonnet", "gpt-4o"])
      expect(given(ref), ref).toBeUndefined();
    // An alias, even of an explicit reference.
    expect(given("fast", { aliases: { fast: "anthropic/claude-haiku-4" } })).toBeUndefined();
    expect(given("anthropic/x", { aliases: { "anthropic/x": "anthropic/y" } })).toBeUndefined();
  });

  it("throws, before any worker starts, what needs no catalog to know", () => {
    const code = (ref: string, aliases = {}) => {
      try {
        given(ref, { aliases });
        return "no error";
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    for (const ref of [
      "/x",
      "",
      "scripted/\u001b]0;PWNED\u0007",
      "scripted/fake-fast\nEVIL",
      `p/${"m".repeat(600)}`,
    ])
      expect(code(ref), JSON.stringify(ref).slice(0, 40)).toBe("RESOLVER_INVALID_REFERENCE");
    expect(code("auto:nope")).toBe("RESOLVER_UNKNOWN_TAG");
    expect(code("a", { a: "b", b: "a" })).toBe("RESOLVER_ALIAS_CYCLE");
  });

  it("reads the catalog for a profile with a dollar budget (its prices), not for a token budget", () => {
    expect(given("anthropic/claude-sonnet-4", { budget: { maxCostUsd: 1 } })).toBeUndefined();
    expect(given("anthropic/claude-sonnet-4", { budget: {} })).toEqual({
      providerID: "anthropic",
      modelID: "claude-sonnet-4",
    });
  });
});
