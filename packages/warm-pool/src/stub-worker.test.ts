// The pool against real stub worker processes (../health/test-fixtures/stub-worker.mjs), each in
// its own process group. Every group started here is SIGKILLed after each test.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { OrchestraError } from "@orchestra/core";
import { afterEach, describe, expect, it } from "vitest";
import { createWarmPool } from "./warm-pool.js";
import type { WarmPool } from "./warm-pool-types.js";

const STUB = fileURLToPath(new URL("../../health/test-fixtures/stub-worker.mjs", import.meta.url));

interface Worker {
  pid: number;
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

const groups = new Set<number>();

/**
 * True while the group has a member that is not a zombie. `kill(-pgid, 0)` also succeeds for an
 * exited process its parent has not reaped yet, so on Linux the members' states are read from /proc.
 */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc")) return true;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) === pgid && state !== "Z") return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Spawn a stub worker in its own group; resolve on its `listening on` line; kill it on abort. */
function spawnWorker(args: string[], signal: AbortSignal, script = STUB): Promise<Worker> {
  const child = spawn(process.execPath, [script, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const pid = child.pid;
  if (pid === undefined) return Promise.reject(new Error("spawn failed"));
  groups.add(pid);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise<Worker>((resolve, reject) => {
    const onAbort = () => {
      killGroup(pid, "SIGKILL");
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let out = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        signal.removeEventListener("abort", onAbort);
        resolve({ pid, url: m[1], child, exited });
      }
    });
    child.once("exit", (code) => {
      signal.removeEventListener("abort", onAbort);
      reject(new Error(`the worker exited before it was ready (code ${code})`));
    });
  });
}

/** SIGTERM the group, then SIGKILL after a short grace; resolve once the leader has exited. */
async function destroyWorker(w: Worker): Promise<void> {
  killGroup(w.pid, "SIGTERM");
  const grace = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 300).unref());
  if ((await Promise.race([w.exited, grace])) === "timeout") killGroup(w.pid, "SIGKILL");
  await w.exited;
  killGroup(w.pid, "SIGKILL"); // stragglers in the group
}

let pool: WarmPool<Worker> | undefined;

afterEach(async () => {
  await pool?.close({ deadlineMs: 500 });
  pool = undefined;
  for (const pgid of groups) killGroup(pgid, "SIGKILL");
  groups.clear();
});

async function waitUntil(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 10));
}

describe("warm pool of real worker processes", () => {
  it("replaces a worker SIGKILLed while leased, and leaves no process behind", async () => {
    pool = createWarmPool<Worker>({
      size: 1,
      max: 2,
      create: (signal) => spawnWorker([], signal),
      destroy: destroyWorker,
    });
    const lease = await pool.acquire({ timeoutMs: 10_000 });
    const victim = lease.resource;
    killGroup(victim.pid, "SIGKILL");
    await victim.exited;
    lease.release({ dirty: true, reason: "worker:dead" });
    const next = await pool.acquire({ timeoutMs: 10_000 });
    expect(next.resource.pid).not.toBe(victim.pid);
    expect(groupExists(next.resource.pid)).toBe(true);
    const res = await fetch(next.resource.url);
    expect(res.status).toBe(200);
    next.release();
    await pool.close({ deadlineMs: 2_000 });
    pool = undefined;
    // SIGKILL is delivered asynchronously: wait (bounded by the test timeout) for the groups to go.
    await waitUntil(() => [...groups].every((pgid) => !groupExists(pgid)));
    for (const pgid of groups) expect(groupExists(pgid)).toBe(false);
  });

  it("kills a half-started worker when shutdown arrives during a slow spawn", async () => {
    pool = createWarmPool<Worker>({
      size: 1,
      create: (signal) => spawnWorker(["--start-delay=30000"], signal),
      destroy: destroyWorker,
    });
    const waiter = pool.acquire({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    await waitUntil(() => groups.size === 2); // one for the waiter, one for the warm target
    expect(pool.stats().creating).toBe(2);
    const report = await pool.close({ deadlineMs: 2_000 });
    expect(report.timedOut).toBe(false);
    const error = await waiter;
    expect(OrchestraError.isInstance(error) && error.code).toBe("POOL_CLOSED");
    await waitUntil(() => [...groups].every((pgid) => !groupExists(pgid)));
    pool = undefined;
  });

  it("kills a worker that ignores SIGTERM when the pool closes", async () => {
    pool = createWarmPool<Worker>({
      size: 1,
      create: (signal) => spawnWorker(["--ignore-sigterm"], signal),
      destroy: destroyWorker,
    });
    const lease = await pool.acquire({ timeoutMs: 10_000 });
    const { pid } = lease.resource;
    lease.release();
    await pool.close({ deadlineMs: 2_000 });
    pool = undefined;
    await waitUntil(() => !groupExists(pid));
    expect(groupExists(pid)).toBe(false);
  });

  it("turns degraded when spawns keep failing, and rejects fast with the reason", async () => {
    pool = createWarmPool<Worker>({
      size: 1,
      degradeAfterFailures: 2,
      backoff: { initialMs: 10, maxMs: 50 },
      create: (signal) => spawnWorker([], signal, "/nonexistent/worker.mjs"),
      destroy: destroyWorker,
    });
    const degraded = new Promise<unknown>((r) => pool?.once("degraded", r));
    expect(String(await degraded)).toMatch(/exited before it was ready/);
    const error = await pool.acquire().catch((e: unknown) => e);
    expect(OrchestraError.isInstance(error) && error.code).toBe("POOL_DEGRADED");
  });
});
