import { describe, expect, it } from "vitest";
import type { CatalogModel } from "./catalog.js";
import {
  isKnownFree,
  originOf,
  previewKind,
  sameModelKey,
  sizeOf,
  specialPurpose,
  unversioned,
  variantBase,
} from "./model-traits.js";

const entry = (id: string, extra: Partial<CatalogModel> = {}): CatalogModel => ({
  providerId: "p",
  id,
  ref: `p/${id}`,
  name: id,
  capabilities: {},
  cost: null,
  contextWindow: null,
  maxOutputTokens: null,
  status: "active",
  releaseDate: null,
  ...extra,
});

describe("size words", () => {
  it("orders nano/mini/lite/haiku/flash (small) < base (medium) < pro/opus (large); fast is not a size", () => {
    for (const id of [
      "gpt-5-nano",
      "gpt-5.4-mini",
      "gemini-3.5-flash-lite",
      "claude-haiku-4-5",
      "gemini-3.8-flash",
    ])
      expect(sizeOf(id), id).toBe("small");
    for (const id of ["claude-sonnet-5", "gpt-6-astra", "claude-opus-5-5-fast".replace("opus", "sonnet")])
      expect(sizeOf(id), id).toBe("medium");
    for (const id of ["claude-opus-5-5", "gemini-3.1-pro-preview", "claude-opus-5-5-fast"])
      expect(sizeOf(id), id).toBe("large");
  });
  it("reads parameter counts: ≤ 15b small, ≥ 100b large", () => {
    expect(sizeOf("llama-3.1-8b-instruct")).toBe("small");
    expect(sizeOf("gpt-oss-120b")).toBe("large");
    expect(sizeOf("qwen3.8-27b")).toBe("medium");
  });
});

describe("variants, free, preview, special purpose", () => {
  it("finds the base of a -fast/-pro variant only when the provider offers it", () => {
    const has = (id: string) => ["claude-opus-5-5", "gpt-5.5"].includes(id);
    expect(variantBase("claude-opus-5-5-fast", has)).toBe("claude-opus-5-5");
    expect(variantBase("gpt-5.5-pro", has)).toBe("gpt-5.5");
    expect(variantBase("gemini-3.1-pro", has)).toBeUndefined();
  });
  it("knows free only from a :free/-free marker or the name, never from a price of 0", () => {
    expect(isKnownFree(entry("qwen/qwen3.8-27b:free"))).toBe(true);
    expect(isKnownFree(entry("nemotron-3-ultra-free"))).toBe(true);
    expect(isKnownFree(entry("gemma-4-31b-it", { cost: { input: 0, output: 0 } }))).toBe(false);
  });
  it("marks alpha, beta and stealth models as preview; Google's -preview GA ids are not", () => {
    expect(previewKind(entry("stealth/space-bunny-alpha"))).toBe("stealth");
    expect(previewKind(entry("x", { status: "beta" }))).toBe("beta");
    expect(previewKind(entry("agnes-2.5-pro-alpha"))).toBe("alpha");
    expect(previewKind(entry("gemini-3.1-pro-preview"))).toBeUndefined();
  });
  it("keeps special-purpose chat models out of auto tags", () => {
    expect(specialPurpose("deep-research-max-preview-04-2026")).toBe("deep-research");
    expect(specialPurpose("gemini-3.1-pro-preview-customtools")).toBe("customtools");
    expect(specialPurpose("gpt-realtime-2.1")).toBe("realtime");
    expect(specialPurpose("gemini-3.1-flash-lite-image")).toBe("image");
    expect(specialPurpose("claude-sonnet-5")).toBeUndefined();
  });
  it("flags ids without a version number (codenames, floating aliases)", () => {
    expect(unversioned("gpt-daybreak-red-latest")).toBe(true);
    expect(unversioned("big-pickle")).toBe(true);
    expect(unversioned("openai/gpt-6-astra")).toBe(false);
  });
});

describe("first party and model identity", () => {
  it("finds the first party from a vendor prefix or a family word", () => {
    expect(originOf(entry("anthropic/claude-fable-5.1"))).toBe("anthropic");
    expect(originOf(entry("claude-opus-5.5"))).toBe("anthropic");
    expect(originOf(entry("openai-gpt-6-astra-pro"))).toBe("openai");
    expect(originOf(entry("~openai/gpt-astra-latest"))).toBe("openai");
    expect(originOf(entry("us.anthropic.claude-sonnet-4-6"))).toBe("anthropic");
    expect(originOf(entry("xai.grok-4.6"))).toBe("xai");
    expect(originOf(entry("above/mimo-v2.6-pro"))).toBe("xiaomi");
    expect(originOf(entry("hf:zai-org/GLM-5.3-Flash"))).toBe("zai");
    expect(originOf(entry("acme-1"))).toBeUndefined();
  });
  it("treats the same model under another provider's spelling as one model", () => {
    expect(sameModelKey("anthropic/claude-sonnet-4.6")).toBe(sameModelKey("claude-sonnet-4-6"));
    expect(sameModelKey("openai-gpt-6-astra-pro")).toBe(sameModelKey("gpt-6-astra-pro"));
    expect(sameModelKey("claude-haiku-4-5-20251001")).toBe("claude-haiku-4-5");
  });
});
