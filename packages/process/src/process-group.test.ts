import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { liveProcessGroups } from "./exit-hooks.js";
import { processGroupMembers } from "./group.js";
import { isProcessAlive } from "./identity.js";
import { spawnProcessGroup } from "./process-group.js";
import { shellEnv as env } from "./test-support/children.js";

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
    const group = spawnProcessGroup("sh", ["-c", "sleep 30 & sleep 30 & wait"], {
      cwd: "/",
      env,
      killOnExit: true,
    });
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

  it("tracks a group for the exit hook only with killOnExit", async () => {
    const group = spawnProcessGroup("sleep", ["30"], { cwd: "/", env });
    expect(liveProcessGroups()).not.toContain(group.pid);
    await group.terminate({ graceMs: 500 });
    expect(processGroupMembers(group.pid)).toEqual([]);
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

  it("runs the dispose step before any signal", async () => {
    const group = spawnProcessGroup("sleep", ["30"], { cwd: "/", env });
    let aliveDuringDispose = false;
    const info = await group.terminate({
      graceMs: 500,
      dispose: async () => {
        aliveDuringDispose = group.isRunning();
      },
    });
    expect(aliveDuringDispose).toBe(true);
    expect(info.signal).toBe("SIGTERM");
  });

  it("is idempotent and reports the exit of a process that already ended", async () => {
    const group = spawnProcessGroup("sh", ["-c", "exit 3"], { cwd: "/", env });
    expect(await group.exited).toEqual({ code: 3, signal: null });
    expect(group.isRunning()).toBe(false);
    const [a, b] = await Promise.all([group.terminate(), group.terminate()]);
    expect(a).toEqual({ code: 3, signal: null });
    expect(b).toBe(a);
  });

  it("gives a dead handle when the command cannot be started", async () => {
    const group = spawnProcessGroup("/nonexistent/opencode", [], { cwd: "/", env });
    expect(group.pid).toBe(-1);
    expect(await group.terminate()).toEqual({ code: null, signal: null });
    expect(group.signal("SIGTERM")).toBe(false);
  });
});
