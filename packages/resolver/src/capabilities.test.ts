import { describe, expect, it } from "vitest";
import { catalogPatch, inferCapabilitiesFromName, isChatModel, mergeCapabilities } from "./capabilities.js";
import { catalog, model } from "./test-helpers.js";

describe("mergeCapabilities", () => {
  it("applies user override > catalog > provider query > name inference, field by field, and records the source", () => {
    const caps = mergeCapabilities([
      { source: "inferred", patch: { kind: "chat", vision: true, reasoning: true } },
      { source: "provider", patch: { toolCall: true, reasoning: false, contextWindow: 64_000 } },
      { source: "catalog", patch: { toolCall: false, contextWindow: 0, input: { text: true } } },
      { source: "override", patch: { vision: false } },
    ]);
    expect(caps.vision).toBe(false);
    expect(caps.sources["input.image"]).toBe("override");
    expect(caps.toolCall).toBe(false); // catalog beats the provider query
    expect(caps.sources.toolCall).toBe("catalog");
    expect(caps.reasoning).toBe(false); // provider query beats inference
    expect(caps.sources.reasoning).toBe("provider");
    expect(caps.contextWindow).toBe(64_000); // the catalog's 0 means unknown, so the next source fills it
    expect(caps.sources.contextWindow).toBe("provider");
    expect(caps.kind).toBe("chat");
    expect(caps.sources.kind).toBe("inferred");
    expect(caps.sources["input.text"]).toBe("catalog");
    expect(caps.attachment).toBe(false);
    expect(caps.sources.attachment).toBe("default");
    expect(caps.maxOutputTokens).toBeNull();
    expect(caps.sources.maxOutputTokens).toBe("default");
  });

  it("does not depend on the order the layers are passed in", () => {
    const layers = [
      { source: "catalog", patch: { reasoning: true } },
      { source: "override", patch: { reasoning: false } },
    ] as const;
    expect(mergeCapabilities(layers).reasoning).toBe(false);
    expect(mergeCapabilities([...layers].reverse()).reasoning).toBe(false);
  });

  it("keeps vision (image input) apart from attachments", () => {
    const c = catalog({ p: { att: model("att", { attachment: true, vision: false }) } });
    const m = c.providers[0]?.models[0];
    if (!m) throw new Error("no model");
    const caps = mergeCapabilities([{ source: "catalog", patch: catalogPatch(m) }]);
    expect(caps.attachment).toBe(true);
    expect(caps.vision).toBe(false);
  });
});

describe("catalogPatch", () => {
  it("states a kind only where the modalities prove it", () => {
    const c = catalog({
      p: {
        img: model("img", { out: { text: false, image: true }, vision: true }),
        vid: model("vid", { out: { text: false, video: true } }),
        tts: model("tts-ish", { out: { text: false, audio: true } }),
        stt: model("stt-ish", { in: { text: false, audio: true } }),
        chat: model("chat"),
      },
    });
    const kinds = Object.fromEntries((c.providers[0]?.models ?? []).map((m) => [m.id, catalogPatch(m).kind]));
    expect(kinds).toEqual({ img: "image", vid: "video", tts: "tts", stt: "transcription", chat: undefined });
  });
});

describe("inferCapabilitiesFromName", () => {
  it.each([
    ["text-embedding-3-small", "embedding"],
    ["Qwen/Qwen3-Embedding-8B", "embedding"],
    ["cohere/rerank-v3.5", "rerank"],
    ["gemini-2.5-flash-preview-tts", "tts"],
    ["mimo-v2.5-tts-voiceclone", "tts"],
    ["whisper-large-v3", "transcription"],
    ["openai/gpt-4o-mini-transcribe", "transcription"],
    ["stepaudio-2.5-asr", "transcription"],
    ["meta-llama/llama-guard-4-12b", "moderation"],
    ["openai/dall-e-3", "image"],
    ["google/imagen-4", "image"],
    ["openai/sora-2", "video"],
    ["google/veo-3.1-fast", "video"],
    ["claude-sonnet-4-5", undefined],
    ["gpt-oss-safeguard-20b", undefined],
    ["qwen3-coder-480b", undefined],
  ])("%s is %s", (id, kind) => {
    expect(inferCapabilitiesFromName(id).kind).toBe(kind);
  });

  it("guesses vision and reasoning from well-known names", () => {
    expect(inferCapabilitiesFromName("qwen2.5-vl-72b").vision).toBe(true);
    expect(inferCapabilitiesFromName("deepseek-r1").reasoning).toBe(true);
    expect(inferCapabilitiesFromName("o3-mini").reasoning).toBe(true);
    expect(inferCapabilitiesFromName("llama-3.1-8b")).toEqual({});
  });

  it("lets a name mark a text-in/text-out embedding model as not chat", () => {
    const c = catalog({ p: { "text-embedding-3-large": model("text-embedding-3-large", { tools: false }) } });
    const m = c.providers[0]?.models[0];
    if (!m) throw new Error("no model");
    const caps = mergeCapabilities([
      { source: "catalog", patch: catalogPatch(m) },
      { source: "inferred", patch: inferCapabilitiesFromName(m.id, m.name) },
    ]);
    expect(caps.kind).toBe("embedding");
    expect(caps.sources.kind).toBe("inferred");
    expect(isChatModel(caps)).toBe(false);
  });
});
