import { describe, expect, it } from "vitest";
import { createResolver } from "./resolver.js";
import { catalog, model } from "./test-helpers.js";

const c = catalog(
  {
    anthropic: {
      "claude-opus-5": model("claude-opus-5", { cost: [5, 25], date: "2026-07-24" }),
      "claude-opus-5-fast": model("claude-opus-5-fast", { cost: [10, 50], date: "2026-07-24" }),
      "claude-haiku-4-5": model("claude-haiku-4-5", { cost: [1, 5], date: "2025-10-15" }),
    },
    openrouter: {
      "anthropic/claude-opus-5": model("anthropic/claude-opus-5", { cost: [5, 25], date: "2026-07-24" }),
      "qwen/qwen3-coder:free": model("qwen/qwen3-coder:free", { cost: [0, 0], date: "2026-08-01" }),
      "stealth/space-bunny-alpha": model("stealth/space-bunny-alpha", { cost: [0, 0], date: "2026-09-01" }),
      "acme/zero-1": model("acme/zero-1", { cost: [0, 0], date: "2026-09-01" }),
      "acme/cheap-1": model("acme/cheap-1", { cost: [0.2, 0.4], date: "2026-01-01" }),
    },
  },
  { connected: ["anthropic", "openrouter"] },
);

describe("what auto tags may pick", () => {
  it("auto:fast never picks a flagship's -fast variant priced like a flagship", () => {
    const res = createResolver(c).resolve("auto:fast");
    expect(res.model).not.toContain("opus");
    expect(res.rejected.find((x) => x.model === "anthropic/claude-opus-5-fast")?.reason).toContain(
      "not a small model",
    );
  });
  it("auto:fast with no small model connected takes the cheapest qualifying model, with a warning", () => {
    const big = catalog({
      p: { "opus-1": model("opus-1", { cost: [15, 75] }), "sonnet-1": model("sonnet-1", { cost: [3, 15] }) },
    });
    const res = createResolver(big).resolve("auto:fast");
    expect(res.model).toBe("p/sonnet-1");
    expect(res.warnings[0]).toContain("no small model is connected");
  });
  it("a gateway copy loses to the connected first party, unless the gateway is preferred", () => {
    const res = createResolver(c).resolve("auto");
    expect(res.model).toBe("anthropic/claude-opus-5");
    expect(res.rejected.find((x) => x.model === "openrouter/anthropic/claude-opus-5")?.reason).toContain(
      'the first party "anthropic" is connected',
    );
    const viaGateway = createResolver(c, {
      modelSelection: { preferredProviders: ["openrouter"] },
    }).resolve("auto");
    expect(viaGateway.model).toBe("openrouter/anthropic/claude-opus-5");
    expect(viaGateway.warnings.join(" ")).toContain("resold");
  });
  it("auto:cheap takes a known price, never a $0 of unknown meaning, a :free or a stealth model", () => {
    const res = createResolver(c).resolve("auto:cheap");
    expect(res.model).toBe("openrouter/acme/cheap-1");
    const reasons = Object.fromEntries(res.rejected.map((x) => [x.model, x.reason]));
    expect(reasons["openrouter/acme/zero-1"]).toContain("priced at 0");
    expect(reasons["openrouter/qwen/qwen3-coder:free"]).toContain("allowFree");
    expect(reasons["openrouter/stealth/space-bunny-alpha"]).toContain("allowPreview");
  });
  it("allowFree and allowPreview opt in", () => {
    const free = createResolver(c, { modelSelection: { allowFree: true } }).resolve("auto:cheap");
    expect(free.model).toBe("openrouter/qwen/qwen3-coder:free");
    expect(free.warnings.join(" ")).toContain("free variant");
    const stealth = "openrouter/stealth/space-bunny-alpha";
    const reasonFor = (config: Parameters<typeof createResolver>[1]) =>
      createResolver(c, config)
        .resolve("auto")
        .rejected.find((x) => x.model === stealth)?.reason;
    expect(reasonFor({})).toContain("allowPreview");
    expect(reasonFor({ modelSelection: { allowPreview: true } })).toMatch(/^ranked/);
  });
});
