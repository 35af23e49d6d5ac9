import { describe, expect, it } from "vitest";
import { fail, r } from "./test-world.js";

describe("cost cap: maxCostPer1kTokens caps the INPUT price, catalog per-1M / 1000", () => {
  it("passes a model exactly at the cap and fails one just above it", () => {
    // claude-sonnet-4-5 input is $3 per 1M = $0.003 per 1k.
    expect(
      r({ modelSelection: { maxCostPer1kTokens: 0.003 } }).resolve("anthropic/claude-sonnet-4-5").model,
    ).toBe("anthropic/claude-sonnet-4-5");
    const e = fail(() =>
      r({ modelSelection: { maxCostPer1kTokens: 0.0029 } }).resolve("anthropic/claude-sonnet-4-5"),
    );
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.message).toContain("$0.003/1k");
    expect(e.message).toContain("$3/1M");
  });

  it("ignores the output price for the cap (sonnet output $15/1M = $0.015/1k is above a $0.01 cap)", () => {
    expect(
      r({ modelSelection: { maxCostPer1kTokens: 0.01 } }).resolve("anthropic/claude-sonnet-4-5").cost
        ?.outputPer1k,
    ).toBe(0.015);
  });

  it("does not confuse per-1M with per-1k: a cap of 0.01/1k admits $10/1M and no more", () => {
    // claude-haiku-4-5 costs $1 per 1M input = $0.001 per 1k: inside a 0.001 cap, outside 0.0009.
    expect(r({ modelSelection: { maxCostPer1kTokens: 0.001 } }).resolve("auto:vision").model).toBe(
      "anthropic/claude-haiku-4-5",
    );
    expect(r({ modelSelection: { maxCostPer1kTokens: 0.0009 } }).resolve("auto:vision").model).toBe(
      "openai/gpt-4o-mini",
    );
    const res = r({ modelSelection: { maxCostPer1kTokens: 0.01 } }).resolve("auto");
    expect(res.cost?.input).toBeLessThanOrEqual(10);
    expect(res.rejected.find((x) => x.model === "openai/o3-deep")).toBeDefined();
  });

  it("never lets an unknown price pass a cap", () => {
    const e = fail(() => r({ modelSelection: { maxCostPer1kTokens: 100 } }).resolve("local/llava:13b"));
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.message).toContain("price unknown");
    const auto = r({ modelSelection: { maxCostPer1kTokens: 100 } }).resolve("auto:code");
    expect(auto.model).not.toBe("local/qwen/qwen3-coder@q4");
    expect(auto.rejected.find((x) => x.model === "local/qwen/qwen3-coder@q4")?.reason).toContain(
      "price unknown",
    );
  });

  it("fails an auto tag with RESOLVER_OVER_BUDGET when only the cap stands in the way, with the cap to raise to", () => {
    const e = fail(() => r({ modelSelection: { maxCostPer1kTokens: 0.0001 } }).resolve("auto:vision"));
    expect(e.code).toBe("RESOLVER_OVER_BUDGET");
    expect(e.hints.join(" ")).toContain("openai/gpt-4o-mini");
    expect(e.hints.join(" ")).toContain("$0.00015/1k");
  });
});
