import { OrchestraError } from "@orchestra/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WarmPoolError } from "./errors.js";
import { createWarmPool } from "./warm-pool.js";
import type { WarmPool, WarmPoolOptions } from "./warm-pool-types.js";

interface Res {
  id: number;
  alive: boolean;
}

/** A fake resource factory driven by fake timers. */
function fakeFactory(options: { createMs?: number; ignoreSignal?: boolean } = {}) {
  const createMs = options.createMs ?? 10;
  let next = 1;
  let failing: Error | undefined;
  let concurrent = 0;
  const f = {
    created: [] as Res[],
    destroyed: [] as Res[],
    signals: [] as AbortSignal[],
    createCalls: [] as number[],
    maxConcurrent: 0,
    fail(error: Error | undefined) {
      failing = error;
    },
    create: (signal: AbortSignal): Promise<Res> => {
      f.signals.push(signal);
      f.createCalls.push(Date.now());
      concurrent += 1;
      f.maxConcurrent = Math.max(f.maxConcurrent, concurrent);
      const error = failing;
      return new Promise<Res>((resolve, reject) => {
        const t = setTimeout(() => {
          concurrent -= 1;
          if (error) return reject(error);
          const r = { id: next++, alive: true };
          f.created.push(r);
          resolve(r);
        }, createMs);
        if (!options.ignoreSignal) {
          signal.addEventListener("abort", () => {
            clearTimeout(t);
            concurrent -= 1;
            reject(signal.reason);
          });
        }
      });
    },
    destroy: (r: Res) => {
      r.alive = false;
      f.destroyed.push(r);
    },
  };
  return f;
}

const flush = () => vi.advanceTimersByTimeAsync(0);
/** Let background work (replenishment: one 0 ms hop plus a 10 ms fake creation) finish. */
const settle = () => vi.advanceTimersByTimeAsync(50);

function code(error: unknown): string | undefined {
  return OrchestraError.isInstance(error) ? error.code : undefined;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("createWarmPool", () => {
  let pool: WarmPool<Res> | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    if (pool !== undefined) {
      const closing = pool.close({ deadlineMs: 1 });
      await vi.runAllTimersAsync();
      await closing;
    }
    pool = undefined;
    vi.useRealTimers();
  });

  function make(f: ReturnType<typeof fakeFactory>, extra: Partial<WarmPoolOptions<Res>> = {}) {
    pool = createWarmPool<Res>({
      create: f.create,
      destroy: f.destroy,
      backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
      random: () => 0,
      ...extra,
    });
    return pool;
  }

  it("keeps `size` resources warm and hands one out from memory, without waiting on a timer", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 2, max: 4 });
    await settle();
    expect(p.stats()).toMatchObject({ idle: 2, creating: 0 });
    const lease = p.tryAcquire();
    expect(lease?.resource.alive).toBe(true);
    const viaAcquire = await p.acquire(); // resolves without any timer advancing
    expect(viaAcquire.resource).not.toBe(lease?.resource);
    expect(p.stats()).toMatchObject({ idle: 0, leased: 2 });
    await settle(); // background replenishment
    expect(p.stats()).toMatchObject({ idle: 2, leased: 2, creating: 0 });
  });

  it("release() is idempotent and hands the resource back", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1 });
    await settle();
    const lease = await p.acquire();
    lease.release();
    lease.release();
    lease.release({ dirty: true });
    expect(lease.released).toBe(true);
    expect(p.stats()).toMatchObject({ idle: 1, leased: 0 });
    expect(f.destroyed).toEqual([]);
    expect((await p.acquire()).resource).toBe(lease.resource);
  });

  it("destroys a resource released dirty and replaces it in the background", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1 });
    const reasons: string[] = [];
    p.on("destroyed", (_r, why) => reasons.push(why));
    await settle();
    const lease = await p.acquire();
    lease.release({ dirty: true });
    await flush();
    expect(f.destroyed).toEqual([lease.resource]);
    expect(reasons).toEqual(["dirty release"]);
    await settle();
    const again = await p.acquire();
    expect(again.resource).not.toBe(lease.resource);
    expect(again.resource.alive).toBe(true);
  });

  it("recycles a resource after maxUses leases", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1, maxUses: 2 });
    const reasons: string[] = [];
    p.on("destroyed", (_r, why) => reasons.push(why));
    await settle();
    const first = await p.acquire();
    expect(first.uses).toBe(1);
    first.release();
    const second = await p.acquire();
    expect(second.resource).toBe(first.resource);
    expect(second.uses).toBe(2);
    second.release();
    await flush();
    expect(reasons).toEqual(["max uses"]);
    await settle();
    const third = await p.acquire();
    expect(third.resource).not.toBe(first.resource);
    expect(third.uses).toBe(1);
  });

  it("recycles by maxAgeMs: idle ones in the background, leased ones on release", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1, max: 2, maxAgeMs: 1_000 });
    const reasons: string[] = [];
    p.on("destroyed", (r, why) => reasons.push(`${r.id}:${why}`));
    await settle(); // #1 idle
    await vi.advanceTimersByTimeAsync(1_000); // #1 ages out while idle, #2 replaces it
    expect(reasons).toEqual(["1:max age"]);
    const lease = await p.acquire(); // #2
    await vi.advanceTimersByTimeAsync(1_000); // #2 ages out while leased: kept until release
    expect(lease.resource.alive).toBe(true);
    lease.release();
    await flush();
    expect(reasons).toEqual(["1:max age", "2:max age"]);
  });

  it("applies the idle timeout only above the warm target", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1, max: 3, idleTimeoutMs: 1_000 });
    await settle();
    const pending = Promise.all([p.acquire(), p.acquire(), p.acquire()]);
    await settle();
    for (const l of await pending) l.release();
    await settle();
    expect(p.stats().idle).toBe(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(p.stats()).toMatchObject({ idle: 1, creating: 0 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(p.stats().idle).toBe(1);
    expect(f.destroyed).toHaveLength(2);
  });

  it("idle timeout racing an acquire: an acquire that fires first at the same instant keeps the resource", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 0, max: 2, idleTimeoutMs: 1_000 });
    const pending = p.acquire();
    await vi.advanceTimersByTimeAsync(10);
    const l1 = await pending;
    const early: Res[] = [];
    // Registered before the idle timer, so at the same instant it runs first.
    setTimeout(() => void p.acquire().then((l) => early.push(l.resource)), 1_000);
    l1.release(); // arms the idle timer for +1000
    await vi.advanceTimersByTimeAsync(1_000);
    // The acquire took the idle resource; the reaper then found nothing idle to destroy.
    expect(early).toEqual([l1.resource]);
    expect(l1.resource.alive).toBe(true);
    expect(f.destroyed).toEqual([]);
    expect(p.stats()).toMatchObject({ leased: 1, idle: 0, creating: 0 });
  });

  it("idle timeout racing an acquire: when the reaper fires first, the acquire gets a fresh, live resource", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 0, max: 1, idleTimeoutMs: 1_000 });
    const pending = p.acquire();
    await vi.advanceTimersByTimeAsync(10);
    const l1 = await pending;
    l1.release(); // idle timer at +1000, registered before the acquire below
    const got: Res[] = [];
    setTimeout(() => void p.acquire().then((l) => got.push(l.resource)), 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.destroyed).toEqual([l1.resource]);
    await settle();
    expect(got).toHaveLength(1);
    expect(got[0]).not.toBe(l1.resource);
    expect(got[0]?.alive).toBe(true);
  });

  it("serves waiters first-in first-out, and tryAcquire cannot cut the line", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 0, max: 1 });
    const order: string[] = [];
    const a = p.acquire();
    await vi.advanceTimersByTimeAsync(10);
    const holder = await a;
    const waiters = ["w1", "w2", "w3"].map((name) =>
      p.acquire().then((l) => {
        order.push(name);
        return l;
      }),
    );
    expect(p.stats().waiting).toBe(3);
    holder.release();
    expect(p.tryAcquire()).toBeUndefined();
    (await waiters[0])?.release();
    (await waiters[1])?.release();
    (await waiters[2])?.release();
    expect(order).toEqual(["w1", "w2", "w3"]);
    expect(f.created).toHaveLength(1);
  });

  it("times out an acquire with a typed error and leaves the queue clean", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 0, max: 1 });
    const first = p.acquire();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    const waiting = rejection(p.acquire({ timeoutMs: 500 }));
    await vi.advanceTimersByTimeAsync(500);
    const error = await waiting;
    expect(code(error)).toBe("POOL_ACQUIRE_TIMEOUT");
    expect((error as Error).message).toMatch(
      /no resource became available within 500 ms \(leased 1 of max 1/,
    );
    expect(p.stats()).toMatchObject({ waiting: 0, totals: expect.objectContaining({ timeouts: 1 }) });
  });

  it("rejects an aborted acquire, including one aborted before it starts", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 0, max: 1 });
    const first = p.acquire();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    const controller = new AbortController();
    const waiting = rejection(p.acquire({ signal: controller.signal }));
    controller.abort(new Error("caller gave up"));
    expect(code(await waiting)).toBe("POOL_ACQUIRE_ABORTED");
    expect(code(await rejection(p.acquire({ signal: AbortSignal.abort() })))).toBe("POOL_ACQUIRE_ABORTED");
    expect(p.stats().waiting).toBe(0);
  });

  it("backs off exponentially after creation failures", async () => {
    const f = fakeFactory();
    f.fail(new Error("spawn failed"));
    const p = make(f, { size: 1, degradeAfterFailures: 10, createTimeoutMs: 60_000 });
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(10 + 100 + 10 + 200 + 10 + 400 + 10);
    expect(f.createCalls.map((t) => t - t0)).toEqual([0, 110, 320, 730]);
    expect(p.stats()).toMatchObject({ consecutiveFailures: 4, degraded: false });
  });

  it("goes degraded after repeated failures, rejects fast with the cause, and recovers in the background", async () => {
    const f = fakeFactory();
    const cause = new Error("opencode: command not found");
    f.fail(cause);
    const p = make(f, { size: 1, degradeAfterFailures: 3 });
    const events: string[] = [];
    p.on("degraded", () => events.push("degraded"));
    p.on("recovered", () => events.push("recovered"));
    const queued = rejection(p.acquire({ timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(10 + 100 + 10 + 200 + 10);
    expect(events).toEqual(["degraded"]);
    // The queued waiter was rejected at once instead of hanging until its timeout.
    const queuedError = await queued;
    expect(code(queuedError)).toBe("POOL_DEGRADED");
    // A new acquire rejects synchronously-fast, with the last cause attached.
    const fast = await rejection(p.acquire());
    expect(code(fast)).toBe("POOL_DEGRADED");
    expect((fast as WarmPoolError).cause).toBe(cause);
    expect((fast as Error).message).toContain("opencode: command not found");
    // Fix the cause: the next background retry succeeds.
    f.fail(undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toEqual(["degraded", "recovered"]);
    expect(p.stats()).toMatchObject({ degraded: false, consecutiveFailures: 0, idle: 1 });
    expect((await p.acquire()).resource.alive).toBe(true);
  });

  it("counts a creation that exceeds createTimeoutMs as a failure and aborts it", async () => {
    const f = fakeFactory({ createMs: 10_000 });
    const p = make(f, { size: 1, createTimeoutMs: 1_000, degradeAfterFailures: 1 });
    const errors: unknown[] = [];
    p.on("createFailed", (e) => errors.push(e));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.signals[0]?.aborted).toBe(true);
    expect(code(errors[0])).toBe("POOL_CREATE_TIMEOUT");
    expect(p.stats().degraded).toBe(true);
  });

  it("bounds concurrent creations and the total, against creation storms", async () => {
    const f = fakeFactory({ createMs: 100 });
    const p = make(f, { size: 6, max: 8, maxConcurrentCreates: 2 });
    const leases = Array.from({ length: 10 }, () => p.acquire({ timeoutMs: 100_000 }).catch(() => undefined));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(f.maxConcurrent).toBe(2);
    expect(f.created).toHaveLength(8);
    expect(p.stats()).toMatchObject({ leased: 8, waiting: 2, idle: 0 });
    void leases;
  });

  it("shuts down while creating: aborts creations, rejects waiters, destroys late arrivals, leaves no timer", async () => {
    const f = fakeFactory({ createMs: 5_000 });
    const p = make(f, { size: 2, max: 3 });
    const waiter = rejection(p.acquire());
    await flush();
    expect(p.stats().creating).toBe(2);
    const closing = p.close({ deadlineMs: 1_000 });
    expect(code(await waiter)).toBe("POOL_CLOSED");
    expect(f.signals.every((s) => s.aborted)).toBe(true);
    const report = await closing;
    expect(report).toEqual({ outstandingLeases: 0, forced: 0, timedOut: false });
    expect(vi.getTimerCount()).toBe(0);
    expect(code(await rejection(p.acquire()))).toBe("POOL_CLOSED");
    expect(() => p.tryAcquire()).toThrow(expect.objectContaining({ code: "POOL_CLOSED" }));
    pool = undefined;
  });

  it("destroys a resource whose creation ignored the abort and finished after shutdown", async () => {
    const f = fakeFactory({ createMs: 5_000, ignoreSignal: true });
    const p = make(f, { size: 1 });
    await flush();
    const closing = p.close({ deadlineMs: 10_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await closing).toMatchObject({ timedOut: false });
    expect(f.created).toHaveLength(1);
    expect(f.destroyed).toEqual(f.created);
    pool = undefined;
  });

  it("close() waits for leases up to the deadline, then destroys them; late release() is a no-op", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1 });
    await vi.advanceTimersByTimeAsync(10);
    const lease = await p.acquire();
    const closing = p.close({ deadlineMs: 1_000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(lease.resource.alive).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await closing).toEqual({ outstandingLeases: 1, forced: 1, timedOut: true });
    expect(lease.released).toBe(true);
    expect(lease.resource.alive).toBe(false);
    lease.release();
    expect(f.destroyed).toEqual([lease.resource]);
    expect(vi.getTimerCount()).toBe(0);
    pool = undefined;
  });

  it("drain() finishes as soon as the last lease comes back, destroying it", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1 });
    await vi.advanceTimersByTimeAsync(10);
    const lease = await p.acquire();
    const draining = p.drain({ deadlineMs: 60_000 });
    await vi.advanceTimersByTimeAsync(100);
    lease.release();
    await flush();
    expect(await draining).toEqual({ outstandingLeases: 0, forced: 0, timedOut: false });
    expect(lease.resource.alive).toBe(false);
    expect(p.drain()).toBe(draining);
  });

  it("never hangs on a destroy that never finishes", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 1, destroyTimeoutMs: 2_000 });
    const failures: unknown[] = [];
    p.on("destroyFailed", (_r, e) => failures.push(e));
    await vi.advanceTimersByTimeAsync(10);
    const q = createWarmPool<Res>({
      create: f.create,
      destroy: () => new Promise<void>(() => {}),
      size: 1,
      destroyTimeoutMs: 2_000,
    });
    q.on("destroyFailed", (_r, e) => failures.push(e));
    await vi.advanceTimersByTimeAsync(10);
    const closing = q.close({ deadlineMs: 500 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await closing).toMatchObject({ outstandingLeases: 0 });
    expect(failures.map(code)).toEqual(["POOL_DESTROY_TIMEOUT"]);
  });

  it("validates idle resources cheaply on acquire and skips the bad ones", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 2, max: 2, validate: (r) => r.id !== 2 });
    const reasons: string[] = [];
    p.on("destroyed", (r, why) => reasons.push(`${r.id}:${why}`));
    await settle();
    const lease = await p.acquire(); // #2 is most recent, fails validation; #1 is handed out
    expect(lease.resource.id).toBe(1);
    await flush();
    expect(reasons).toEqual(["2:validation failed"]);
  });

  it("evict() destroys an idle resource now and a leased one on release", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 2, max: 4 });
    await settle();
    const lease = await p.acquire();
    const idle = f.created.find((r) => r !== lease.resource);
    if (idle === undefined) throw new Error("expected an idle resource");
    expect(p.evict(idle, "worker:dead")).toBe(true);
    await flush();
    expect(idle.alive).toBe(false);
    expect(p.evict(lease.resource, "worker:dead")).toBe(true);
    expect(lease.resource.alive).toBe(true);
    lease.release();
    await flush();
    expect(lease.resource.alive).toBe(false);
    expect(p.evict({ id: 99, alive: true })).toBe(false);
  });

  it("closes cleanly after a busy life: every timer cleared, every resource destroyed", async () => {
    const f = fakeFactory();
    const p = make(f, { size: 2, max: 5, idleTimeoutMs: 500, maxAgeMs: 5_000, maxUses: 3 });
    for (let round = 0; round < 20; round++) {
      const pending = Promise.all(
        [p.acquire(), p.acquire(), p.acquire()].map((x) => x.catch(() => undefined)),
      );
      await vi.advanceTimersByTimeAsync(37);
      const leases = await pending;
      leases.forEach((l, i) => {
        l?.release({ dirty: i === round % 3 });
      });
      await vi.advanceTimersByTimeAsync(50);
    }
    const closing = p.close();
    await vi.advanceTimersByTimeAsync(0);
    await closing;
    expect(vi.getTimerCount()).toBe(0);
    expect(f.created.every((r) => !r.alive)).toBe(true);
    expect(p.stats()).toMatchObject({ state: "closed", idle: 0, leased: 0, creating: 0, destroying: 0 });
    pool = undefined;
  });

  it("rejects invalid options with a typed error", () => {
    const f = fakeFactory();
    for (const bad of [{ size: -1 }, { size: 3, max: 2 }, { maxUses: 0 }, { idleTimeoutMs: 0 }]) {
      let caught: unknown;
      try {
        createWarmPool<Res>({ create: f.create, destroy: f.destroy, ...bad });
      } catch (e) {
        caught = e;
      }
      expect(code(caught)).toBe("POOL_INVALID_OPTIONS");
    }
  });
});
