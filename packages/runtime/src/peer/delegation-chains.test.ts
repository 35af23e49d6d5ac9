import { describe, expect, it } from "vitest";
import { DelegationChains } from "./delegation-chains.js";
import { PeerError } from "./peer-error.js";

function refusal(run: () => unknown): PeerError {
  try {
    run();
  } catch (error) {
    if (PeerError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a PeerError");
}

describe("DelegationChains", () => {
  it("a worker no peer request reached was asked by the orchestrator: its chain is itself (depth 1)", () => {
    const chains = new DelegationChains();
    expect(chains.chainsOf("a")).toEqual([["a"]]);
    expect(chains.plan("a", "b", 2)).toEqual(["a", "b"]);
  });

  it("refuses A → B → A with JOB_LOOP while A waits for B, whatever the depth limit", () => {
    const chains = new DelegationChains();
    const leave = chains.enter(chains.plan("a", "b", 8));
    const error = refusal(() => chains.plan("b", "a", 8));
    expect(error.code).toBe("JOB_LOOP");
    expect(error.message).toContain("a → b → a");
    expect(error.hints.join(" ")).toContain("answer from what you have");
    leave();
    // Once A's request has ended, B is a depth-1 worker again.
    expect(chains.plan("b", "a", 2)).toEqual(["b", "a"]);
  });

  it("a worker asking itself is a loop", () => {
    const error = refusal(() => new DelegationChains().plan("a", "a", 8));
    expect(error.code).toBe("JOB_LOOP");
    expect(error.message).toContain("asked itself");
  });

  it("counts hops: depth 3 is refused with maxDepth 2 and allowed with 3", () => {
    const chains = new DelegationChains();
    chains.enter(chains.plan("a", "b", 3));
    const error = refusal(() => chains.plan("b", "c", 2));
    expect(error.code).toBe("JOB_DEPTH_EXCEEDED");
    expect(error.message).toContain("depth 3 (a → b → c)");
    expect(error.message).toContain("delegation.maxDepth 2");
    expect(chains.plan("b", "c", 3)).toEqual(["a", "b", "c"]);
  });

  it("a worker answering two requests at once: the deepest counts for depth, every chain for loops", () => {
    const chains = new DelegationChains();
    chains.enter(["x", "w"]);
    chains.enter(["a", "b", "w"]);
    expect(refusal(() => chains.plan("w", "x", 8)).code).toBe("JOB_LOOP");
    expect(refusal(() => chains.plan("w", "a", 8)).code).toBe("JOB_LOOP");
    expect(chains.plan("w", "c", 8)).toEqual(["a", "b", "w", "c"]);
    expect(refusal(() => chains.plan("w", "c", 3)).code).toBe("JOB_DEPTH_EXCEEDED");
  });
});
