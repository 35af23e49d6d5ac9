// Fault injection against real processes: the fake `opencode serve` (test-fixtures/fake-opencode.mjs)
// and child-process orchestrators. After each test: no orphan process, no lost or corrupt entry.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { currentProcessIdentity, isGroupAlive, isProcessAlive, processStartTime } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { openRegistry } from "../registry/registry.js";
import type { RegistryEntry } from "../registry/schema.js";
import type { WorkerInfo } from "../workers/worker.js";
import { recoverWorkers } from "./recovery.js";
import { startChildOrchestrator } from "./test-support/child.js";
import {
  type Home,
  makeHarness,
  makeHome,
  orphans,
  recordedPids,
  removeHome,
  waitFor,
} from "./test-support/harness.js";

let homes: Home[] = [];
function home(): Home {
  const h = makeHome();
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const h of homes) removeHome(h);
  homes = [];
});

const errorCode = (error: unknown) => (OrchestraError.isInstance(error) ? error.code : String(error));
const registryOf = (h: Home) => openRegistry({ file: h.registryFile, logger: { warn: () => {} } });

/** Every pid in the registry is a live process, and every live recorded worker pid is in it. */
async function expectRegistryMatchesProcesses(h: Home, livePids: number[]): Promise<void> {
  const entries = await registryOf(h).list();
  expect(entries.map((e) => e.pid).sort()).toEqual([...livePids].sort());
  for (const e of entries) expect(isProcessAlive(e.pid)).toBe(true);
}

describe("fault injection (fake opencode, child orchestrators)", { timeout: 60_000 }, () => {
  it("a worker SIGKILLed while leased: the ask fails, its job is cancelled, entry removed, pool replenished", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      env: { FAKE_OPENCODE_ANSWER_DELAY: "30000" },
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
    });
    await lifecycle.start();
    await waitFor(() => lifecycle.warmStats().coder?.idle === 1, 15_000, "a warm worker");
    const lease = await lifecycle.acquire("coder");
    const worker = lease.worker;
    const dead = new Promise<[WorkerInfo, string]>((resolve) =>
      lifecycle.once("worker:dead", (info, reason) => resolve([info, reason])),
    );
    const job = orchestra.askAsync(worker.id, "a long task");
    const ask = worker.ask("another long task").then(
      () => "answered",
      (error: unknown) => errorCode(error),
    );
    await waitFor(async () => (await registryOf(h).get(worker.id)) !== undefined, 5_000, "the entry");
    const pid = worker.info.pid ?? 0;
    process.kill(-pid, "SIGKILL");

    const [info, reason] = await dead;
    expect(info.id).toBe(worker.id);
    expect(reason).toContain("SIGKILL");
    expect(await ask).toBe("WORKER_ASK_FAILED");
    const finished = await orchestra.jobs.wait(job.id, 5_000);
    // Usually the exit event wins and the job is cancelled with the death reason; when the
    // broken connection is noticed first, the job fails with that error instead. Never "running".
    expect(["cancelled", "failed"]).toContain(finished.status);
    expect(finished.error).toContain(`worker "${worker.id}" did not answer`);
    if (finished.status === "cancelled") expect(finished.error).toContain("SIGKILL");
    lease.release(); // idempotent, harmless after death
    lease.release();
    await waitFor(async () => (await registryOf(h).get(worker.id)) === undefined, 5_000, "entry removal");
    // Replenished in the background with a new worker.
    await waitFor(() => lifecycle.warmStats().coder?.idle === 1, 15_000, "replenishment");
    const live = orchestra.pool.list().filter((w) => w.status === "ready");
    expect(live).toHaveLength(1);
    await waitFor(async () => (await registryOf(h).list()).length === 1, 5_000, "the new entry");
    await expectRegistryMatchesProcesses(
      h,
      live.map((w) => w.pid ?? 0),
    );
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("a worker SIGSTOPped: health checks time out, it is declared dead and its group killed", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      config: { healthCheck: { timeoutMs: 300, maxRetries: 1 } },
    });
    await lifecycle.start();
    const worker = await orchestra.spawn("coder");
    const pid = worker.info.pid ?? 0;
    expect(await lifecycle.checkNow(worker.id)).toBe("healthy");
    process.kill(pid, "SIGSTOP");
    try {
      expect(await lifecycle.checkNow(worker.id)).toBe("suspect");
      // Hysteresis: a suspect worker is not handed out for reuse.
      expect(orchestra.pool.findByProfile("coder")).toBeUndefined();
      const dead = new Promise<string>((resolve) =>
        lifecycle.once("worker:dead", (_i, reason) => resolve(reason)),
      );
      expect(await lifecycle.checkNow(worker.id)).toBe("dead");
      expect(await dead).toMatch(/timed out/);
      await waitFor(() => !isGroupAlive(pid), 5_000, "the stopped group to be killed");
    } finally {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // already gone
      }
    }
    await waitFor(async () => (await registryOf(h).list()).length === 0, 5_000, "entry removal");
    expect(orchestra.pool.list()).toEqual([]);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });

  it("the registry file truncated or corrupt: set aside, entries written back on renewal", async () => {
    const h = home();
    const { orchestra, lifecycle, warnings } = await makeHarness({ home: h });
    await lifecycle.start();
    const workers = await Promise.all([orchestra.spawn("coder"), orchestra.spawn("architect")]);
    const size = readFileSync(h.registryFile).length;
    truncateSync(h.registryFile, Math.floor(size / 2));
    await lifecycle.renewNow();
    const asides = readdirSync(dirname(h.registryFile)).filter((f) => f.includes(".corrupt-"));
    expect(asides.length).toBe(1);
    expect(warnings.join("\n")).toMatch(/corrupt/);
    await expectRegistryMatchesProcesses(
      h,
      workers.map((w) => w.info.pid ?? 0),
    );

    writeFileSync(h.registryFile, "{ not json at all");
    await lifecycle.renewNow();
    await expectRegistryMatchesProcesses(
      h,
      workers.map((w) => w.info.pid ?? 0),
    );
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("two orchestrators start at once on one registry: each orphan is reconnected exactly once", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "spawn2");
    const ready = JSON.parse((await crashed.line("READY ")).slice(6)) as WorkerInfo[];
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;

    const a = await makeHarness({ home: h });
    const b = await makeHarness({ home: h });
    const [ra, rb] = await Promise.all([a.lifecycle.start(), b.lifecycle.start()]);
    const reconnected = [...ra.reconnected, ...rb.reconnected].map((i) => i.id).sort();
    expect(reconnected).toEqual(ready.map((w) => w.id).sort());
    expect([...ra.killed, ...rb.killed]).toEqual([]);
    // Spawns on both sides after the race: distinct ids, all recorded.
    const [wa, wb] = await Promise.all([a.orchestra.spawn("docs"), b.orchestra.spawn("vision")]);
    const inPools = [...a.orchestra.pool.list(), ...b.orchestra.pool.list()];
    expect(new Set(inPools.map((w) => w.id)).size).toBe(inPools.length);
    expect(inPools.map((w) => w.id)).toEqual(
      expect.arrayContaining([wa.id, wb.id, ...ready.map((w) => w.id)]),
    );
    await expectRegistryMatchesProcesses(
      h,
      inPools.map((w) => w.pid ?? 0),
    );
    // The reconnected workers answer (their derived password works).
    for (const w of ready) {
      const owner = a.orchestra.pool.get(w.id) ? a.orchestra : b.orchestra;
      expect((await owner.ask(w.id, "still there?")).text).toBe("fake answer to: still there?");
    }
    await Promise.all([a.lifecycle.shutdown(), b.lifecycle.shutdown()]);
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("a pid reused by an unrelated process is never signalled; its stale entry is removed", async () => {
    const h = home();
    const unrelated = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
      detached: true,
      stdio: "ignore",
    });
    const pid = unrelated.pid ?? 0;
    try {
      await waitFor(() => processStartTime(pid) !== undefined, 5_000, "the unrelated process");
      const me = currentProcessIdentity();
      const stale: RegistryEntry = {
        id: "coder",
        profile: "coder",
        kind: "process",
        pid,
        pgid: pid,
        // The worker that once had this pid started at another time: the pid was reused.
        processStartTime: `${processStartTime(pid)}-before`,
        url: "http://127.0.0.1:9",
        port: 9,
        owner: { kind: "orchestrator", pid: me.pid, startTime: "linux:gone:1" },
        createdAt: 1,
        renewedAt: 1,
        ttlMs: 60_000,
        status: "ready",
        directory: h.directory,
      };
      await registryOf(h).upsert(stale);
      const { lifecycle } = await makeHarness({ home: h });
      const report = await lifecycle.start();
      expect(report.removed.map((r) => r.id)).toEqual(["coder"]);
      expect(report.killed).toEqual([]);
      expect(isProcessAlive(pid)).toBe(true);
      expect(isGroupAlive(pid)).toBe(true);
      expect(await registryOf(h).list()).toEqual([]);
      await lifecycle.shutdown();
      expect(isProcessAlive(pid)).toBe(true);
    } finally {
      process.kill(-pid, "SIGKILL");
    }
  });

  it("an orchestrator SIGKILLed and restarted: zero orphans after recovery", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "spawn2", { FAKE_OPENCODE_TOOL_CHILD: "1" });
    const ready = JSON.parse((await crashed.line("READY ")).slice(6)) as WorkerInfo[];
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    // Workers and their bash-tool-like children survive the orchestrator: that is the hazard.
    const before = recordedPids(h);
    expect(before.length).toBe(4);
    for (const pid of before) expect(isProcessAlive(pid)).toBe(true);

    // `orchestra workers cleanup` style: no adopter, so the orphans are killed.
    const me = currentProcessIdentity();
    const report = await recoverWorkers({
      registry: registryOf(h),
      owner: { kind: "orchestrator", ...me },
      manifestFile: h.manifestFile,
      graceMs: 2_000,
    });
    expect(report.killed.map((k) => k.id).sort()).toEqual(ready.map((w) => w.id).sort());
    expect(report.reconnected).toEqual([]);
    await waitFor(() => orphans(h).length === 0, 5_000, "no orphans");
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("an orchestrator SIGKILLed and restarted: the new one reconnects its workers, then leaves nothing", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "spawn2", { FAKE_OPENCODE_TOOL_CHILD: "1" });
    const ready = JSON.parse((await crashed.line("READY ")).slice(6)) as WorkerInfo[];
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    const { orchestra, lifecycle } = await makeHarness({ home: h });
    const report = await lifecycle.start();
    expect(report.reconnected.map((r) => r.id).sort()).toEqual(ready.map((w) => w.id).sort());
    const entries = await registryOf(h).list();
    expect(entries.every((e) => e.owner.pid === process.pid && e.status === "ready")).toBe(true);
    expect((await orchestra.ask("coder", "hi")).text).toBe("fake answer to: hi");
    const shutdown = await lifecycle.shutdown();
    expect(shutdown.leftovers).toEqual([]);
    // instance.dispose killed the tool children, the group kill the servers.
    await waitFor(() => orphans(h).length === 0, 5_000, "no orphans");
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("spawn keeps failing: the warm pool degrades and rejects fast; cold spawns fail with the cause", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      env: { FAKE_OPENCODE_FAIL_START: "1" },
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
    });
    const degraded = new Promise<unknown>((resolve) =>
      lifecycle.once("warm:degraded", (_p, cause) => resolve(cause)),
    );
    await lifecycle.start();
    expect(errorCode(await degraded)).toBe("PROCESS_EXITED");
    const stats = lifecycle.warmStats().coder;
    expect(stats?.degraded).toBe(true);
    expect(stats?.consecutiveFailures).toBeGreaterThanOrEqual(3);
    await expect(lifecycle.acquire("coder", { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: "POOL_DEGRADED",
    });
    await expect(orchestra.spawn("coder")).rejects.toMatchObject({ code: "PROCESS_EXITED" });
    await lifecycle.shutdown();
    // Each attempt was recorded `starting` while its process existed, and removed when it failed.
    expect(await registryOf(h).list()).toEqual([]);
    expect(orphans(h)).toEqual([]);
  });

  it("a crash loop cannot become a spawn storm: respawns stop at the restart budget", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      env: { FAKE_OPENCODE_CRASH_AFTER: "150" },
      config: { healthCheck: { respawn: { enabled: true, maxRestarts: 2, windowMs: 60_000 } } },
    });
    await lifecycle.start();
    const respawns: string[] = [];
    lifecycle.on("respawn", (profile) => respawns.push(profile));
    const refused = new Promise<string>((resolve) =>
      lifecycle.once("respawn:refused", (_p, reason) => resolve(reason)),
    );
    await orchestra.spawn("coder");
    expect(await refused).toMatch(/restart budget spent: 2 restarts/);
    expect(respawns).toEqual(["coder", "coder"]);
    await waitFor(() => orchestra.pool.list().length === 0, 5_000, "the last crash");
    await lifecycle.shutdown();
    expect(recordedPids(h).length).toBe(3);
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("a shutdown signal during a spawn cancels it and kills the half-started worker", async () => {
    const h = home();
    const child = startChildOrchestrator(h, "signals", { FAKE_OPENCODE_START_DELAY: "20000" });
    await child.line("SPAWNING");
    await waitFor(() => recordedPids(h).length === 1, 10_000, "the worker process");
    const [workerPid = 0] = recordedPids(h);
    child.child.kill("SIGTERM");
    const exit = await child.exited;
    expect(exit.code).toBe(143);
    expect(child.lines.join("\n")).toContain("SIGNAL SIGTERM graceful");
    expect(child.lines.join("\n")).toMatch(/SPAWN FAILED .*cancel/i);
    await waitFor(() => !isProcessAlive(workerPid), 5_000, "the half-started worker to die");
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("a second signal forces the exit while a worker ignores SIGTERM", async () => {
    const h = home();
    const child = startChildOrchestrator(h, "signals", {
      FAKE_OPENCODE_IGNORE_SIGTERM: "1",
      ORCHESTRA_TEST_CONFIG: JSON.stringify({ spawn: { shutdownGraceMs: 30_000 } }),
    });
    // A long grace period: only the second signal can end the shutdown early.
    void child;
    const ready = JSON.parse((await child.line("READY ")).slice(6)) as WorkerInfo[];
    expect(ready).toHaveLength(1);
    child.child.kill("SIGTERM");
    await child.line("SIGNAL SIGTERM graceful");
    child.child.kill("SIGINT");
    const exit = await child.exited;
    expect(exit.code).toBe(130);
    expect(child.lines.join("\n")).toContain("SIGNAL SIGINT forced");
    await waitFor(() => orphans(h).length === 0, 5_000, "no orphans");
    // The forced path leaves the entry for the next recovery, which removes it (process gone).
    const { lifecycle } = await makeHarness({ home: h });
    await lifecycle.start();
    expect(await registryOf(h).list()).toEqual([]);
    await lifecycle.shutdown();
  });

  it("an idle timeout racing an acquire never reaps a leased worker", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1, idleTimeoutMs: 25 } } } },
    });
    await lifecycle.start();
    await waitFor(() => lifecycle.warmStats().coder?.idle === 1, 15_000, "a warm worker");
    for (let round = 0; round < 5; round++) {
      // Two leases → two idle workers on release: one above the target, so its idle timer reaps it.
      const [l1, l2] = await Promise.all([lifecycle.acquire("coder"), lifecycle.acquire("coder")]);
      l1?.release();
      l2?.release();
      await new Promise((r) => setTimeout(r, 25)); // the reaper fires about now…
      const lease = await lifecycle.acquire("coder"); // …while this acquire runs
      expect(lease.worker.status).toBe("ready");
      expect((await lease.worker.ask(`round ${round}`)).text).toBe(`fake answer to: round ${round}`);
      lease.release();
      await waitFor(
        () => lifecycle.warmStats().coder?.idle === 1 && lifecycle.warmStats().coder?.destroying === 0,
        10_000,
        "settling",
      );
      const live = orchestra.pool.list().filter((w) => w.status === "ready");
      await waitFor(
        async () => (await registryOf(h).list()).length === live.length,
        5_000,
        "registry = live workers",
      );
      await expectRegistryMatchesProcesses(
        h,
        live.map((w) => w.pid ?? 0),
      );
    }
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });
});
