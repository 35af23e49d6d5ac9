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

  it("rejects a reference with whitespace or a control character inside, or over 512 characters", () => {
    // A terminal escape (title, clear screen) and a newline that would fake an output line.
    for (const ref of [
      "scripted/\u001b]0;PWNED\u0007\u001b[2J",
      "scripted/fake-fast\nEVIL: line",
      "a b/c",
      "p/m\u009b",
    ])
      expect(() => classifyReference(ref)).toThrow(
        expect.objectContaining({
          code: "RESOLVER_INVALID_REFERENCE",
          message: `${JSON.stringify(ref)} is not a model reference (it contains whitespace or a control character).`,
        }),
      );
    const long = `p/${"m".repeat(600)}`;
    expect(() => classifyReference(long)).toThrow(
      expect.objectContaining({
        message: `${JSON.stringify(long.slice(0, 80))}… is not a model reference (602 characters; one has at most 512).`,
      }),
    );
    // Surrounding spaces are trimmed, as before; 512 characters is still a reference.
    expect(classifyReference(" p/m ")).toMatchObject({ kind: "explicit", modelId: "m" });
    expect(classifyReference(`p/${"m".repeat(510)}`)).toMatchObject({ kind: "explicit" });
  });
});
