// The lifecycle's observability: health verdicts and failed warm spawns as events, each worker's
// health in `workers()`, and the warm pools' queue bound (fake opencode).
import { OrchestraError } from "@orchestra/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Home, makeHarness, makeHome, orphans, removeHome, waitFor } from "./test-support/harness.js";

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

describe("WorkerLifecycle: events and views", { timeout: 60_000 }, () => {
  it("forwards suspect and recovered, and shows each worker's health in workers()", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      config: { healthCheck: { timeoutMs: 300, maxRetries: 3, recoverySuccesses: 1 } },
    });
    await lifecycle.start();
    const events: string[] = [];
    lifecycle.on("health:suspect", (id, reason) => events.push(`suspect ${id} ${reason}`));
    lifecycle.on("health:recovered", (id) => events.push(`recovered ${id}`));
    const worker = await orchestra.spawn("coder");
    const pid = worker.info.pid ?? 0;
    expect(lifecycle.workers()).toEqual([
      {
        id: "coder",
        profile: "coder",
        status: "ready",
        pid,
        health: "healthy",
        warm: "none",
        recorded: true,
      },
    ]);
    process.kill(pid, "SIGSTOP");
    try {
      expect(await lifecycle.checkNow("coder")).toBe("suspect");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(events).toEqual([expect.stringMatching(/^suspect coder .*timed out/)]);
    expect(lifecycle.workers()[0]?.health).toBe("suspect");
    expect(await lifecycle.checkNow("coder")).toBe("healthy");
    expect(events.at(-1)).toBe("recovered coder");
    expect(orchestra.pool.findByProfile("coder")).toBe(worker);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });

  it("reports each failed warm spawn with its error and the failures so far", async () => {
    const h = home();
    const { lifecycle } = await makeHarness({
      home: h,
      env: { FAKE_OPENCODE_FAIL_START: "1" },
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
    });
    const failures: Array<[string, string, number]> = [];
    lifecycle.on("warm:spawn-failed", (profile, error, n) =>
      failures.push([profile, OrchestraError.isInstance(error) ? error.code : String(error), n]),
    );
    await lifecycle.start();
    await waitFor(() => failures.length >= 2, 15_000, "two failed warm spawns");
    expect(failures.slice(0, 2)).toEqual([
      ["coder", "PROCESS_EXITED", 1],
      ["coder", "PROCESS_EXITED", 2],
    ]);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });

  it("bounds the acquires waiting in a warm pool (warmPoolMaxQueue) with POOL_QUEUE_FULL", async () => {
    const h = home();
    const bounded = await makeHarness({
      home: h,
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
      warmPoolMaxQueue: 0,
    });
    await bounded.lifecycle.start();
    await waitFor(() => bounded.lifecycle.warmStats().coder?.idle === 1, 15_000, "a warm worker");
    const lease = await bounded.lifecycle.acquire("coder");
    expect(lease.worker.status).toBe("ready");
    await expect(bounded.lifecycle.acquire("coder")).rejects.toMatchObject({ code: "POOL_QUEUE_FULL" });
    expect(bounded.lifecycle.workers()).toContainEqual(
      expect.objectContaining({ id: lease.worker.id, warm: "leased" }),
    );
    lease.release();
    await bounded.lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });
});
