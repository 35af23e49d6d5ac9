import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  currentProcessIdentity,
  isProcessAlive,
  isSameProcess,
  processStartTime,
  psStartTime,
} from "./identity.js";
import { errorCode, startIdle, stopIdle } from "./test-support/children.js";

const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopIdle));
});

function ticksOf(token: string): number {
  return Number(token.split(":").at(-1));
}

describe("processStartTime", () => {
  it("gives the current process a stable Linux token with the boot id", () => {
    const token = processStartTime(process.pid);
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    expect(token).toMatch(new RegExp(`^linux:${bootId}:\\d+$`));
    expect(processStartTime(process.pid)).toBe(token);
    expect(currentProcessIdentity()).toEqual({ pid: process.pid, startTime: token });
  });

  it("gives a child its own token, later than ours, and none once it is gone", async () => {
    const child = await startIdle();
    children.push(child);
    const mine = processStartTime(process.pid);
    const its = processStartTime(child.pid);
    expect(its).toBeDefined();
    expect(its).not.toBe(mine);
    expect(ticksOf(its ?? "")).toBeGreaterThanOrEqual(ticksOf(mine ?? ""));
    await stopIdle(child);
    expect(processStartTime(child.pid)).toBeUndefined();
  });

  it("parses /proc/<pid>/stat when the command name contains spaces and parentheses", async () => {
    const child = spawn(
      process.execPath,
      ["-e", 'process.title = "a) b (c"; console.log("titled"); setInterval(() => {}, 1 << 30)'],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    children.push(child);
    await once(child.stdout as NodeJS.ReadableStream, "data");
    const pid = child.pid ?? 0;
    expect(readFileSync(`/proc/${pid}/stat`, "utf8")).toContain("a) b (c");
    const token = processStartTime(pid);
    expect(token).toMatch(/^linux:[^:]+:\d+$/);
    expect(ticksOf(token ?? "")).toBeGreaterThanOrEqual(ticksOf(processStartTime(process.pid) ?? ""));
  });

  it("falls back to `ps -o lstart=` where there is no /proc", async () => {
    expect(psStartTime(process.pid)).toMatch(/^ps:\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}$/);
    const child = await startIdle();
    await stopIdle(child);
    expect(psStartTime(child.pid)).toBeUndefined();
  });

  it("rejects pids that are not positive integers", async () => {
    for (const pid of [0, -1, 1.5, Number.NaN]) {
      expect(await errorCode(() => processStartTime(pid))).toBe("PROCESS_INVALID_ARGUMENT");
      expect(await errorCode(() => isProcessAlive(pid))).toBe("PROCESS_INVALID_ARGUMENT");
    }
  });
});

describe("isProcessAlive and isSameProcess", () => {
  it("tracks a child through its life", async () => {
    const child = await startIdle();
    children.push(child);
    const token = processStartTime(child.pid) ?? "";
    expect(isProcessAlive(child.pid)).toBe(true);
    expect(isSameProcess(child.pid, token)).toBe(true);
    await stopIdle(child);
    expect(isProcessAlive(child.pid)).toBe(false);
    expect(isSameProcess(child.pid, token)).toBe(false);
  });

  it("does not take a live process with a different start time for ours (a reused pid)", () => {
    const real = processStartTime(process.pid) ?? "";
    const forged = `${real.slice(0, real.lastIndexOf(":"))}:${ticksOf(real) + 1}`;
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isSameProcess(process.pid, forged)).toBe(false);
    expect(isSameProcess(process.pid, "")).toBe(false);
    expect(isSameProcess(process.pid, real)).toBe(true);
  });

  it("counts a zombie (exited but not yet reaped) as gone", async () => {
    // The shell starts `sleep 0` in the background, then execs itself into `sleep 1000`, which
    // never reaps the child it inherited: once `sleep 0` exits, it stays a zombie.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 1000"], {
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
    });
    children.push(parent);
    const [chunk] = (await once(parent.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
    const zombie = Number(chunk.toString().trim());
    // Wait until the short sleep has exited and turned into a zombie.
    while (!/\) Z /.test(readFileSync(`/proc/${zombie}/stat`, "utf8"))) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(isProcessAlive(zombie)).toBe(false);
    expect(processStartTime(zombie)).toBeUndefined();
  });
});
