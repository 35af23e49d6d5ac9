import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import { createRestartBudget } from "./restart-budget.js";

describe("createRestartBudget", () => {
  it("allows maxRestarts per key within the sliding window", () => {
    let now = 0;
    const budget = createRestartBudget({ maxRestarts: 2, windowMs: 1_000, now: () => now });
    expect(budget.tryConsume("coder")).toBe(true);
    now = 400;
    expect(budget.tryConsume("coder")).toBe(true);
    expect(budget.tryConsume("coder")).toBe(false);
    expect(budget.tryConsume("explorer")).toBe(true);
    expect(budget.remaining("coder")).toBe(0);
    expect(budget.retryAfterMs("coder")).toBe(600);
    now = 1_000; // the first restart left the window
    expect(budget.remaining("coder")).toBe(1);
    expect(budget.tryConsume("coder")).toBe(true);
    expect(budget.tryConsume("coder")).toBe(false);
  });

  it("never allows a restart with maxRestarts 0, and reset() forgets", () => {
    const budget = createRestartBudget({ maxRestarts: 0, windowMs: 1_000 });
    expect(budget.tryConsume("x")).toBe(false);
    expect(budget.retryAfterMs("x")).toBe(Number.POSITIVE_INFINITY);
    const b2 = createRestartBudget({ maxRestarts: 1, windowMs: 60_000 });
    expect(b2.tryConsume("x")).toBe(true);
    expect(b2.tryConsume("x")).toBe(false);
    b2.reset("x");
    expect(b2.tryConsume("x")).toBe(true);
  });

  it("rejects invalid options with a typed error", () => {
    let caught: unknown;
    try {
      createRestartBudget({ maxRestarts: -1, windowMs: 1 });
    } catch (e) {
      caught = e;
    }
    expect(OrchestraError.isInstance(caught) && caught.code).toBe("HEALTH_INVALID_OPTIONS");
  });
});
