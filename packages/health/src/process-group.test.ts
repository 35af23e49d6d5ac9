import { describe, expect, it } from "vitest";
import { describeExit, isProcessGroupAlive } from "./process-group.js";

describe("isProcessGroupAlive", () => {
  it("refuses pgids that would address our own group, init, or everyone", () => {
    for (const bad of [0, 1, -5, 1.5, Number.NaN]) {
      expect(() => isProcessGroupAlive(bad)).toThrow(
        expect.objectContaining({ code: "HEALTH_INVALID_PGID" }),
      );
    }
  });

  it("is false for a group that does not exist", () => {
    // pid_max is at most 2^22 on Linux, so this group cannot exist.
    expect(isProcessGroupAlive(2 ** 22 + 12_345)).toBe(false);
  });
});

describe("describeExit", () => {
  it("names the signal or the exit code", () => {
    expect(describeExit(null, "SIGKILL")).toBe("the process was killed by SIGKILL");
    expect(describeExit(3, null)).toBe("the process exited with code 3");
    expect(describeExit(null, null)).toBe("the process exited");
  });
});
