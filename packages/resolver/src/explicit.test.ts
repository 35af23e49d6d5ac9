import { describe, expect, it } from "vitest";
import { createResolver } from "./resolver.js";
import { catalog, model } from "./test-helpers.js";
import { fail, r } from "./test-world.js";

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
