import { describe, expect, it } from "vitest";
import { toOpencodeProvider } from "./fake-model.js";

describe("toOpencodeProvider", () => {
  it("declares cache prices as OpenCode's cost.cache_read and cost.cache_write when a fake model states them", () => {
    const provider = toOpencodeProvider("http://127.0.0.1:1/v1", [
      { id: "cached", cost: { input: 2, output: 8, cacheRead: 1, cacheWrite: 4 } },
      { id: "plain", cost: { input: 2, output: 8 } },
    ]);
    expect(provider.models.cached?.cost).toEqual({ input: 2, output: 8, cache_read: 1, cache_write: 4 });
    expect(provider.models.plain?.cost).toEqual({ input: 2, output: 8 });
  });
});
