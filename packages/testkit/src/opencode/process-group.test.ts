import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  isProcessAlive,
  liveProcessGroups,
  processGroupMembers,
  spawnProcessGroup,
} from "./process-group.js";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

async function waitForMembers(pgid: number, count: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const members = processGroupMembers(pgid);
    if (members.length >= count) return members;
    await sleep(10);
  }
  return processGroupMembers(pgid);
}

describe("spawnProcessGroup", () => {
  it("runs the child as the leader of its own process group", async () => {
    const group = spawnProcessGroup("sh", ["-c", "sleep 30 & sleep 30 & wait"], { cwd: "/", env });
    const members = await waitForMembers(group.pid, 3);
    expect(members).toContain(group.pid);
    expect(members.length).toBeGreaterThanOrEqual(3);
    expect(liveProcessGroups()).toContain(group.pid);
    const info = await group.terminate();
    expect(info.signal).toBe("SIGTERM");
    expect(processGroupMembers(group.pid)).toEqual([]);
    expect(members.some((pid) => isProcessAlive(pid))).toBe(false);
    expect(liveProcessGroups()).not.toContain(group.pid);
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    const group = spawnProcessGroup("sh", ["-c", "trap '' TERM; echo ready; while true; do sleep 1; done"], {
      cwd: "/",
      env,
    });
    await new Promise((resolve) => group.child.stdout?.once("data", resolve));
    const info = await group.terminate({ graceMs: 200 });
    expect(info.signal).toBe("SIGKILL");
    expect(processGroupMembers(group.pid)).toEqual([]);
  });

  it("also kills descendants that moved to another process group", async () => {
    const group = spawnProcessGroup("sh", ["-c", "setsid sleep 30 & echo $!; wait"], { cwd: "/", env });
    const escaped = await new Promise<number>((resolve) =>
      group.child.stdout?.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    await sleep(50);
    expect(processGroupMembers(group.pid)).not.toContain(escaped);
    await group.terminate({ graceMs: 500 });
    expect(isProcessAlive(escaped)).toBe(false);
  });

  it("is idempotent and reports the exit of a process that already ended", async () => {
    const group = spawnProcessGroup("sh", ["-c", "exit 3"], { cwd: "/", env });
    expect(await group.exited).toEqual({ code: 3, signal: null });
    expect(group.isRunning()).toBe(false);
    const [a, b] = await Promise.all([group.terminate(), group.terminate()]);
    expect(a).toEqual({ code: 3, signal: null });
    expect(b).toBe(a);
  });
});
