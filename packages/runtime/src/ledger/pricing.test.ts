import { describe, expect, it } from "vitest";
import type { JobUsage } from "../journal/journal.js";
import { costFromPrices, priceUsage } from "./pricing.js";

const tokens = { input: 200_000, output: 100_000, reasoning: 25_000, cacheRead: 50_000, cacheWrite: 0 };

describe("costFromPrices", () => {
  it("prices like OpenCode 1.18.33: input, output and reasoning at the output price, cache reads and writes", () => {
    // OpenCode recorded cost 1.45 for exactly these tokens at 2/8/1 (cache read) per 1M.
    expect(costFromPrices(tokens, { input: 2, output: 8, cacheRead: 1 })).toBeCloseTo(1.45, 12);
  });

  it("is unknown when cache tokens were used and the catalog states no cache price", () => {
    expect(costFromPrices(tokens, { input: 2, output: 8 })).toBeNull();
    expect(costFromPrices({ ...tokens, cacheRead: 0 }, { input: 2, output: 8 })).toBeCloseTo(1.4, 12);
  });
});

describe("priceUsage", () => {
  const usage = (cost: number | null, t = tokens): JobUsage => ({
    tokens: t,
    cost,
    costSource: cost === null ? null : "opencode",
    model: "p/m",
  });
  const lookup = (model: string) => (model === "p/m" ? { input: 2, output: 8, cacheRead: 1 } : null);

  it("keeps OpenCode's cost when it reports one", () => {
    expect(priceUsage(usage(3), lookup)).toMatchObject({ cost: 3, costSource: "opencode" });
  });

  it("computes the cost from the catalog's prices when OpenCode reports none", () => {
    const priced = priceUsage(usage(0), lookup);
    expect(priced.costSource).toBe("catalog");
    expect(priced.cost).toBeCloseTo(1.45, 12);
  });

  it("gives an unknown cost (null, never 0) for a model whose prices are unknown", () => {
    expect(priceUsage({ ...usage(0), model: "p/unpriced" }, lookup)).toMatchObject({
      cost: null,
      costSource: null,
    });
    expect(priceUsage(usage(0), undefined)).toMatchObject({ cost: null, costSource: null });
    expect(priceUsage({ tokens: null, cost: null, costSource: null }, lookup)).toMatchObject({ cost: null });
  });

  it("keeps a cost of 0 for a job that used no tokens", () => {
    const none = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
    expect(priceUsage(usage(0, none), undefined)).toMatchObject({ cost: 0, costSource: "opencode" });
  });
});
