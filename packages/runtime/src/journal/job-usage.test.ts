import { describe, expect, it } from "vitest";
import { usageOfMessages } from "./job-usage.js";

const step = (over: Record<string, unknown> = {}) => ({
  role: "assistant",
  time: { created: 10 },
  cost: 0.25,
  providerID: "p",
  modelID: "m",
  finish: "stop",
  tokens: { input: 100, output: 50, reasoning: 0, cache: { read: 0, write: 0 } },
  ...over,
});

describe("usageOfMessages", () => {
  it("sums the job's finished steps (OpenCode's figures)", () => {
    expect(
      usageOfMessages([step(), step({ finish: "tool-calls" }), step({ time: { created: 1 } })], 10),
    ).toEqual({
      tokens: { input: 200, output: 100, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      cost: 0.5,
      costSource: "opencode",
      model: "p/m",
    });
  });

  it("an errored or aborted step without a step finish makes the cost unknown (null), never a known 0; its known steps' tokens stay", () => {
    const errored = step({
      finish: undefined,
      cost: 0,
      tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
      error: { name: "UnknownError", data: { message: "doom_loop denied" } },
    });
    const usage = usageOfMessages([step(), errored], 10);
    expect(usage.cost).toBeNull();
    expect(usage.costSource).toBeNull();
    expect(usage.unknownSteps).toBe(1);
    expect(usage.knownCost).toBe(0.25);
    expect(usage.tokens).toEqual({ input: 100, output: 50, reasoning: 0, cacheRead: 0, cacheWrite: 0 });
    const aborted = step({ finish: undefined, cost: 0, error: { name: "MessageAbortedError" } });
    expect(usageOfMessages([aborted], 10).cost).toBeNull();
  });

  it("negative usage from a provider is unknown, not subtracted", () => {
    const usage = usageOfMessages([step({ tokens: { input: -5, output: 50 } })], 10);
    expect(usage.cost).toBeNull();
    expect(usage.tokens).toEqual({ input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 });
  });

  it("no step of the job: unknown usage", () => {
    expect(usageOfMessages([step({ time: { created: 1 } })], 10)).toEqual({
      tokens: null,
      cost: null,
      costSource: null,
    });
  });
});
