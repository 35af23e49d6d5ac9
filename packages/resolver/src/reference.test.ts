import { describe, expect, it } from "vitest";
import { parseAutoTag } from "./auto-tags.js";
import { classifyReference } from "./reference.js";
import { ResolverError } from "./resolver-error.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (ResolverError.isResolverError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe("parseAutoTag", () => {
  it("reads auto tags and the v0.2 node:* synonyms", () => {
    expect(parseAutoTag("auto")).toBe("auto");
    expect(parseAutoTag("node")).toBe("auto");
    expect(parseAutoTag("auto:vision")).toBe("auto:vision");
    expect(parseAutoTag("node:vision")).toBe("auto:vision");
    expect(parseAutoTag("node:cheap")).toBe("auto:cheap");
    expect(parseAutoTag("auto:visoin")).toBe("unknown");
    expect(parseAutoTag("automatic")).toBeNull();
    expect(parseAutoTag("anthropic/auto:x")).toBeNull();
  });
});

describe("classifyReference", () => {
  it("classifies tags, explicit refs and bare ids", () => {
    expect(classifyReference("node:fast")).toEqual({ kind: "tag", tag: "auto:fast", written: "node:fast" });
    expect(classifyReference(" anthropic/claude-sonnet-4-5 ")).toMatchObject({
      kind: "explicit",
      providerId: "anthropic",
      modelId: "claude-sonnet-4-5",
    });
    expect(classifyReference("gpt-4o")).toEqual({ kind: "bare", modelId: "gpt-4o", written: "gpt-4o" });
  });

  it("splits at the first '/' so model ids keep '/', ':' and '@'", () => {
    expect(classifyReference("synthetic/hf:MiniMaxAI/MiniMax-M3")).toMatchObject({
      providerId: "synthetic",
      modelId: "hf:MiniMaxAI/MiniMax-M3",
    });
    expect(classifyReference("google-vertex/claude-sonnet-5@default")).toMatchObject({
      providerId: "google-vertex",
      modelId: "claude-sonnet-5@default",
    });
    expect(classifyReference("openrouter/openai/gpt-4o:free")).toMatchObject({
      providerId: "openrouter",
      modelId: "openai/gpt-4o:free",
    });
  });

  it("follows alias → alias to the final target", () => {
    const aliases = { fast: "quick", quick: "node:fast", sonnet: "anthropic/claude-sonnet-4-5" };
    expect(classifyReference("fast", aliases)).toEqual({
      kind: "alias",
      chain: ["fast", "quick", "node:fast"],
      target: { kind: "tag", tag: "auto:fast", written: "node:fast" },
    });
    expect(classifyReference("sonnet", aliases)).toMatchObject({
      kind: "alias",
      target: { kind: "explicit" },
    });
  });

  it("lets tags win over an alias of the same name", () => {
    expect(classifyReference("auto", { auto: "x/y" })).toMatchObject({ kind: "tag", tag: "auto" });
  });

  it("ignores inherited properties of the alias table", () => {
    expect(classifyReference("toString", {})).toMatchObject({ kind: "bare" });
  });

  it("reports alias cycles, including self-cycles, with the chain", () => {
    expect(codeOf(() => classifyReference("a", { a: "b", b: "c", c: "a" }))).toBe("RESOLVER_ALIAS_CYCLE");
    expect(codeOf(() => classifyReference("me", { me: "me" }))).toBe("RESOLVER_ALIAS_CYCLE");
    try {
      classifyReference("a", { a: "b", b: "a" });
    } catch (e) {
      expect((e as Error).message).toBe("Alias cycle: a → b → a.");
    }
  });

  it("rejects unknown tags with real tag suggestions, never the input", () => {
    try {
      classifyReference("auto:visoin");
      expect.unreachable();
    } catch (e) {
      if (!ResolverError.isResolverError(e)) throw e;
      expect(e.code).toBe("RESOLVER_UNKNOWN_TAG");
      expect(e.suggestions).toContain("auto:vision");
      expect(e.suggestions).not.toContain("auto:visoin");
    }
  });

  it("rejects empty and malformed references", () => {
    expect(codeOf(() => classifyReference("  "))).toBe("RESOLVER_INVALID_REFERENCE");
    expect(codeOf(() => classifyReference("/model"))).toBe("RESOLVER_INVALID_REFERENCE");
    expect(codeOf(() => classifyReference("provider/"))).toBe("RESOLVER_INVALID_REFERENCE");
    expect(codeOf(() => classifyReference("x", { x: "  " }))).toBe("RESOLVER_INVALID_REFERENCE");
  });
});
