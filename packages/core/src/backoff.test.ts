import { describe, expect, it } from "vitest";
import { backoffDelay, resolveBackoff } from "./backoff.js";

const defaults = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };

describe("backoff", () => {
  it("grows exponentially and stops at maxMs", () => {
    const b = resolveBackoff({ jitter: 0 }, defaults);
    if (typeof b === "string") throw new Error(b);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 0.5))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it("removes at most the jitter fraction", () => {
    const b = resolveBackoff(undefined, defaults);
    if (typeof b === "string") throw new Error(b);
    expect(backoffDelay(1, b, () => 0)).toBe(200);
    expect(backoffDelay(1, b, () => 1)).toBe(100);
  });

  it("rejects nonsense", () => {
    expect(resolveBackoff({ factor: 0.5 }, defaults)).toMatch(/factor/);
    expect(resolveBackoff({ maxMs: 10 }, defaults)).toMatch(/maxMs/);
    expect(resolveBackoff({ jitter: 2 }, defaults)).toMatch(/jitter/);
  });
});
