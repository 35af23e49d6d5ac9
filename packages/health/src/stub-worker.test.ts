// Fault-injection tests against a real stub worker process (test-fixtures/stub-worker.mjs),
// each in its own process group, all killed after every test.

import { describeExit, isGroupAlive } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { groupExists, killAllStubs, type Stub, startStub } from "../test-fixtures/stub.js";
import { createHealthMonitor, type DeadReason, type HealthMonitor } from "./health-monitor.js";
import { httpProbe } from "./http-probe.js";

let monitor: HealthMonitor | undefined;

afterEach(() => {
  monitor?.stop();
  monitor = undefined;
  killAllStubs();
});

/** A monitor whose interval never fires during a test: only exits, checkNow and retries act. */
function fastRetries(maxRetries = 2) {
  return createHealthMonitor({
    intervalMs: 3_600_000,
    timeoutMs: 300,
    maxRetries,
    recoverySuccesses: 2,
    backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  });
}

function watch(m: HealthMonitor, id: string, stub: Stub, options: Parameters<typeof httpProbe>[1] = {}) {
  m.add(id, { probe: httpProbe(stub.url, options), liveness: () => isGroupAlive(stub.pid) });
  stub.child.once("exit", (code, signal) => m.reportExit(id, describeExit(code, signal)));
}

function nextDeath(m: HealthMonitor): Promise<{ id: string; reason: DeadReason }> {
  return new Promise((resolve) => m.once("dead", (id, reason) => resolve({ id, reason })));
}

describe("health monitor against a stub worker process", () => {
  it("sees a SIGKILLed worker dead through its exit event, without waiting for an interval", async () => {
    monitor = fastRetries();
    const stub = await startStub();
    watch(monitor, "w1", stub);
    expect(await monitor.checkNow("w1")).toBe("healthy");
    const death = nextDeath(monitor);
    process.kill(-stub.pid, "SIGKILL");
    const { id, reason } = await death;
    expect(id).toBe("w1");
    expect(reason).toEqual({ source: "exit", message: "the process was killed by SIGKILL" });
    expect(monitor.isAvailable("w1")).toBe(false);
  });

  it("declares a SIGSTOPped worker dead after its probes time out and the retries run out", async () => {
    monitor = fastRetries(2);
    const suspects: string[] = [];
    monitor.on("suspect", (_id, why) => suspects.push(why));
    const stub = await startStub();
    watch(monitor, "w1", stub);
    expect(await monitor.checkNow("w1")).toBe("healthy");
    process.kill(stub.pid, "SIGSTOP");
    try {
      const death = nextDeath(monitor);
      expect(await monitor.checkNow("w1")).toBe("suspect");
      // The process group still exists, so liveness passes; the HTTP probe is what fails.
      expect(isGroupAlive(stub.pid)).toBe(true);
      const { reason } = await death;
      expect(reason.source).toBe("probe");
      expect(reason.message).toBe("3 consecutive probes failed; last: the probe timed out after 300 ms");
      expect(suspects).toEqual(["the probe timed out after 300 ms"]);
    } finally {
      process.kill(stub.pid, "SIGCONT");
      process.kill(-stub.pid, "SIGKILL");
    }
  });

  it("reports a server answering 401 as misconfigured, not dead, and accepts the right password", async () => {
    monitor = fastRetries(0);
    const events: string[] = [];
    monitor.on("misconfigured", (_id, why) => events.push(why));
    monitor.on("dead", () => events.push("dead"));
    const stub = await startStub(["--auth=opencode:right"]);
    watch(monitor, "wrong", stub, { auth: { username: "opencode", password: "wrong" } });
    watch(monitor, "right", stub, { auth: { username: "opencode", password: "right" } });
    for (let i = 0; i < 3; i++) expect(await monitor.checkNow("wrong")).toBe("misconfigured");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/HTTP 401: the server is up but refuses our credentials/);
    expect(monitor.isAvailable("wrong")).toBe(false);
    expect(await monitor.checkNow("right")).toBe("healthy");
  });

  it("declares a hung server (accepts, never answers) dead after the retries", async () => {
    monitor = fastRetries(1);
    const stub = await startStub(["--hang"]);
    watch(monitor, "w1", stub);
    const death = nextDeath(monitor);
    await monitor.checkNow("w1");
    expect((await death).reason.message).toMatch(/^2 consecutive probes failed; last: the probe timed out/);
  });

  it("sees a worker that crashes by itself dead, with its exit code", async () => {
    monitor = fastRetries();
    const stub = await startStub(["--crash-after=50"]);
    const death = nextDeath(monitor);
    watch(monitor, "w1", stub);
    expect((await death).reason).toEqual({ source: "exit", message: "the process exited with code 1" });
  });

  it("checks liveness by process group: a surviving grandchild keeps it alive; an empty group is dead", async () => {
    monitor = fastRetries();
    const stub = await startStub(["--grandchild"]);
    monitor.add("w1", { probe: httpProbe(stub.url), liveness: () => isGroupAlive(stub.pid) });
    process.kill(stub.pid, "SIGKILL"); // only the leader
    await stub.exited;
    expect(isGroupAlive(stub.pid)).toBe(true);
    process.kill(-stub.pid, "SIGKILL"); // the whole group
    while (groupExists(stub.pid)) await new Promise((r) => setTimeout(r, 10));
    const death = nextDeath(monitor);
    await monitor.checkNow("w1");
    expect((await death).reason.source).toBe("liveness");
  });

  it("keeps a worker that ignores SIGTERM alive until its group gets SIGKILL", async () => {
    monitor = fastRetries();
    const stub = await startStub(["--ignore-sigterm"]);
    watch(monitor, "w1", stub);
    process.kill(-stub.pid, "SIGTERM");
    expect(await monitor.checkNow("w1")).toBe("healthy");
    const death = nextDeath(monitor);
    process.kill(-stub.pid, "SIGKILL");
    expect((await death).reason.message).toBe("the process was killed by SIGKILL");
  });

  it("waits for a slow-starting worker's listening line before it can be probed", async () => {
    monitor = fastRetries();
    const stub = await startStub(["--start-delay=200"]);
    watch(monitor, "w1", stub);
    expect(await monitor.checkNow("w1")).toBe("healthy");
  });
});
