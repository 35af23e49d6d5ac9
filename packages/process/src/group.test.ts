import { describe, expect, it } from "vitest";
import { describeExit, isGroupAlive, killGroup } from "./group.js";
import { startIdle, stopIdle } from "./test-support/children.js";

describe("isGroupAlive and killGroup", () => {
  it("refuse pgids that would address our own group, init, or everyone", () => {
    for (const bad of [0, 1, -5, 1.5, Number.NaN]) {
      expect(() => isGroupAlive(bad)).toThrow(expect.objectContaining({ code: "PROCESS_INVALID_ARGUMENT" }));
      expect(() => killGroup(bad, "SIGTERM")).toThrow(
        expect.objectContaining({ code: "PROCESS_INVALID_ARGUMENT" }),
      );
    }
  });

  it("are false for a group that does not exist", () => {
    // pid_max is at most 2^22 on Linux, so this group cannot exist.
    expect(isGroupAlive(2 ** 22 + 12_345)).toBe(false);
    expect(killGroup(2 ** 22 + 12_345, "SIGTERM")).toBe(false);
  });

  it("see a live group, and signal it", async () => {
    const child = await startIdle();
    expect(isGroupAlive(child.pid)).toBe(true);
    const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    expect(killGroup(child.pid, "SIGTERM")).toBe(true);
    expect(await exited).toBe("SIGTERM");
    await stopIdle(child);
    expect(isGroupAlive(child.pid)).toBe(false);
  });
});

describe("describeExit", () => {
  it("names the signal or the exit code", () => {
    expect(describeExit(null, "SIGKILL")).toBe("the process was killed by SIGKILL");
    expect(describeExit(3, null)).toBe("the process exited with code 3");
    expect(describeExit(null, null)).toBe("the process exited");
  });
});
