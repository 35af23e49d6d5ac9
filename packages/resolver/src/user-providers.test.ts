import { describe, expect, it } from "vitest";
import type { Catalog } from "./catalog.js";
import { createResolver } from "./resolver.js";
import { catalog, model } from "./test-helpers.js";
import { restrictToUserProviders } from "./user-providers.js";

// The case: the user's provider has the weaker model on paper; the free built-in one must not win.
const all = catalog({
  opencode: { "nemotron-3-ultra-free": model("nemotron-3-ultra-free", { cost: [0, 0], context: 1_000_000 }) },
  ollama: { "qwen3-coder": model("qwen3-coder", { context: 128_000 }) },
});

describe("restrictToUserProviders", () => {
  // REVISED (issue 15): free models are opt-in, so the built-in free model no longer wins by default;
  // with allowFree it does unless restrictToUserProviders drops the provider the user never chose.
  it("without it, the free built-in model wins auto once free models are allowed: the bug users hit", () => {
    expect(createResolver(all).resolve("auto:code").model).toBe("ollama/qwen3-coder");
    expect(createResolver(all, { allowFree: true }).resolve("auto:code").model).toBe(
      "opencode/nemotron-3-ultra-free",
    );
    const user = restrictToUserProviders(all, { defaultModel: "ollama/qwen3-coder" });
    expect(createResolver(user, { allowFree: true }).resolve("auto:code").model).toBe("ollama/qwen3-coder");
  });

  it("drops the built-in opencode provider the user never chose", () => {
    const user = restrictToUserProviders(all, { defaultModel: "ollama/qwen3-coder" });
    expect(user.connected).toEqual(["ollama"]);
    expect(createResolver(user).resolve("auto").model).toBe("ollama/qwen3-coder");
    expect(createResolver(user).resolve("auto:code").model).toBe("ollama/qwen3-coder");
  });

  it("keeps it when it is the default model's provider or a preferred provider", () => {
    expect(restrictToUserProviders(all, { defaultModel: "opencode/nemotron-3-ultra-free" })).toBe(all);
    expect(restrictToUserProviders(all, { preferredProviders: ["opencode"] })).toBe(all);
  });

  it("a provider the user chose by name gives its free models without allowFree", () => {
    const preferred = { modelSelection: { preferredProviders: ["opencode"] } };
    expect(
      createResolver(restrictToUserProviders(all, { preferredProviders: ["opencode"] }), preferred).resolve(
        "auto:code",
      ).model,
    ).toBe("opencode/nemotron-3-ultra-free");
    const byDefault = { defaultModel: "opencode/nemotron-3-ultra-free" };
    expect(
      createResolver(restrictToUserProviders(all, byDefault), byDefault).resolve("auto:code").model,
    ).toBe("opencode/nemotron-3-ultra-free");
  });

  it("leaves a catalog without it alone, and never adds a provider", () => {
    const noBuiltin: Catalog = { ...all, connected: ["ollama"] };
    expect(restrictToUserProviders(noBuiltin, {})).toBe(noBuiltin);
    expect(restrictToUserProviders(all, {}).connected).toEqual(["ollama"]);
  });
});
