import type { Resolution, ResolveResult } from "@orchestra/resolver";
import { describe, expect, it } from "vitest";
import {
  describeFallback,
  isFallbackFailure,
  ModelCooldowns,
  modelLabel,
  resolveFallbackModels,
} from "./model-fallback.js";

describe("isFallbackFailure", () => {
  it("moves on for rate limits, 5xx, overloaded models, quotas, refused keys and unreachable providers", () => {
    for (const message of [
      "APIError: slow down (HTTP 429)",
      "APIError: upstream failed (HTTP 503)",
      "Provider is overloaded",
      "Rate Limited",
      "Too Many Requests",
      "APIError: You exceeded your current quota (HTTP 400)",
      "APIError: Incorrect API key provided: sk-test (HTTP 401)",
      "AI_APICallError: Forbidden",
      "Cannot connect to API: connect ECONNREFUSED 127.0.0.1:9",
    ])
      expect(isFallbackFailure(message), message).toBe(true);
  });

  it("moves on for anything OpenCode was retrying, whatever its words", () => {
    expect(isFallbackFailure("slow down", { retryable: true })).toBe(true);
  });

  it("stays for errors the next model would have too", () => {
    for (const message of [
      "ContextOverflowError: prompt is too long",
      "APIError: invalid request: messages must not be empty (HTTP 400)",
      "MessageAbortedError: aborted",
    ])
      expect(isFallbackFailure(message), message).toBe(false);
  });
});

describe("ModelCooldowns", () => {
  it("skips a failed model until the cool-down ends, then tries it again", () => {
    let now = 1_000;
    const cooldowns = new ModelCooldowns(60_000, () => now);
    const models = ["scripted/a", "scripted/b"];
    expect(cooldowns.start(models)).toBe(0);
    cooldowns.failed("scripted/a");
    expect(cooldowns.coolingDown("scripted/a")).toBe(true);
    expect(cooldowns.start(models)).toBe(1);
    now += 59_999;
    expect(cooldowns.start(models)).toBe(1);
    now += 1;
    expect(cooldowns.start(models)).toBe(0);
    expect(cooldowns.coolingDown("scripted/a")).toBe(false);
  });

  it("starts at the last model when every model is cooling down", () => {
    const cooldowns = new ModelCooldowns(60_000, () => 0);
    cooldowns.failed("scripted/a");
    cooldowns.failed("scripted/b");
    expect(cooldowns.start(["scripted/a", "scripted/b"])).toBe(1);
  });

  it("a cool-down of 0 always tries the first model", () => {
    const cooldowns = new ModelCooldowns(0, () => 5);
    cooldowns.failed("scripted/a");
    expect(cooldowns.start(["scripted/a", "scripted/b"])).toBe(0);
  });
});

describe("resolveFallbackModels", () => {
  const resolution = (model: string) => {
    const [providerId = "", modelId = ""] = model.split("/");
    return { model, providerId, modelId } as Resolution;
  };
  const table: Record<string, string> = { a: "p/a", b: "p/b", "auto:vision": "p/eye", same: "p/a" };
  const calls: unknown[] = [];
  const resolver = {
    tryResolve(ref: string | readonly string[], options?: unknown): ResolveResult {
      calls.push([ref, options]);
      const model = table[ref as string];
      return model === undefined
        ? ({ ok: false, error: new Error(`no ${String(ref)}`) } as unknown as ResolveResult)
        : { ok: true, resolution: resolution(model) };
    },
  };

  it("resolves model then fallbackModels one by one, in order, without the worker's model, repeats or failures", () => {
    const out = resolveFallbackModels(
      resolver,
      { model: "a", fallbackModels: ["same", "missing", "b", "b"] },
      { providerID: "p", modelID: "a" },
    );
    expect(out.map(modelLabel)).toEqual(["p/b"]);
  });

  it("keeps the profile's vision requirement", () => {
    calls.length = 0;
    const out = resolveFallbackModels(
      resolver,
      { model: "a", fallbackModels: ["auto:vision"], supportsVision: true },
      { providerID: "p", modelID: "a" },
    );
    expect(out.map(modelLabel)).toEqual(["p/eye"]);
    expect(calls).toContainEqual(["auto:vision", { require: { vision: true } }]);
  });
});

describe("describeFallback", () => {
  it("names the worker, both models and the provider's error", () => {
    expect(
      describeFallback({
        workerId: "coder",
        profile: "coder",
        from: "scripted/a",
        to: "scripted/b",
        reason: "429 slow down",
      }),
    ).toBe("coder fell back from scripted/a to scripted/b: 429 slow down");
  });
});
