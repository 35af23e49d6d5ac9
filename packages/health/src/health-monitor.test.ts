import { OrchestraError } from "@orchestra/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHealthMonitor, type HealthMonitor, type HealthMonitorOptions } from "./health-monitor.js";
import type { ProbeResult } from "./probe.js";

const OK: ProbeResult = { status: "ok" };
const FAIL: ProbeResult = { status: "fail", reason: "connection refused" };
const DENIED: ProbeResult = { status: "misconfigured", reason: "HTTP 401" };

/** A probe whose answers are scripted; `calls` counts invocations and keeps the signals. */
function scripted(...answers: ProbeResult[]) {
  const signals: AbortSignal[] = [];
  let next: ProbeResult = OK;
  const probe = vi.fn(async (signal: AbortSignal) => {
    signals.push(signal);
    return answers.shift() ?? next;
  });
  return {
    probe,
    signals,
    set(result: ProbeResult) {
      next = result;
    },
  };
}

/** A probe that never settles by itself (it ignores its signal, like a hung server would). */
function hanging() {
  const signals: AbortSignal[] = [];
  const probe = vi.fn((signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<ProbeResult>(() => {});
  });
  return { probe, signals };
}

const base: HealthMonitorOptions = {
  intervalMs: 10_000,
  timeoutMs: 1_000,
  maxRetries: 2,
  recoverySuccesses: 2,
  backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
  random: () => 0,
};

function recorder(monitor: HealthMonitor) {
  const events: string[] = [];
  monitor.on("dead", (id, r) => events.push(`dead:${id}:${r.source}`));
  monitor.on("suspect", (id) => events.push(`suspect:${id}`));
  monitor.on("recovered", (id) => events.push(`recovered:${id}`));
  monitor.on("misconfigured", (id) => events.push(`misconfigured:${id}`));
  monitor.on("stall", ({ id }) => events.push(`stall:${id}`));
  return events;
}

describe("createHealthMonitor", () => {
  let monitor: HealthMonitor | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    monitor?.stop();
    monitor = undefined;
    vi.useRealTimers();
  });

  it("rejects an interval under 10 s and other out-of-range options with a typed error", () => {
    for (const bad of [
      { intervalMs: 5_000 },
      { timeoutMs: 0 },
      { maxRetries: -1 },
      { recoverySuccesses: 0 },
    ]) {
      let caught: unknown;
      try {
        createHealthMonitor(bad);
      } catch (e) {
        caught = e;
      }
      expect(OrchestraError.isInstance(caught) && caught.code).toBe("HEALTH_INVALID_OPTIONS");
    }
  });

  it("probes a healthy target once per interval and keeps it available", async () => {
    monitor = createHealthMonitor(base);
    const p = scripted();
    monitor.add("w1", { probe: p.probe });
    expect(monitor.isAvailable("w1")).toBe(true);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(p.probe).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(p.probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(p.probe).toHaveBeenCalledTimes(3);
    expect(monitor.getState("w1")).toBe("healthy");
  });

  it("goes suspect on a failure, retries with backoff, and is dead after maxRetries retries", async () => {
    monitor = createHealthMonitor(base);
    const events = recorder(monitor);
    const p = scripted();
    p.set(FAIL);
    monitor.add("w1", { probe: p.probe });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getState("w1")).toBe("suspect");
    expect(monitor.isAvailable("w1")).toBe(false);
    await vi.advanceTimersByTimeAsync(99);
    expect(p.probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // retry 1 after 100 ms
    expect(p.probe).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200); // retry 2 after 200 ms
    expect(p.probe).toHaveBeenCalledTimes(3);
    expect(monitor.getState("w1")).toBe("dead");
    expect(events).toEqual(["suspect:w1", "dead:w1:probe"]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(p.probe).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports the last failure in the death reason", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 0 });
    const reasons: string[] = [];
    monitor.on("dead", (_id, r) => reasons.push(r.message));
    monitor.add("w1", { probe: scripted(FAIL).probe });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reasons).toEqual(["1 consecutive probes failed; last: connection refused"]);
  });

  it("needs recoverySuccesses consecutive successes before a suspect target is available again", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 5 });
    const events = recorder(monitor);
    // fail, ok, fail (resets the streak), ok, ok
    const p = scripted(FAIL, OK, FAIL, OK, OK);
    monitor.add("w1", { probe: p.probe });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.getState("w1")).toBe("suspect");
    await vi.advanceTimersByTimeAsync(100); // ok #1
    expect(monitor.isAvailable("w1")).toBe(false);
    await vi.advanceTimersByTimeAsync(100); // fail
    expect(monitor.list()[0]).toMatchObject({ state: "suspect", successes: 0, failures: 1 });
    await vi.advanceTimersByTimeAsync(100); // ok #1
    expect(monitor.isAvailable("w1")).toBe(false);
    await vi.advanceTimersByTimeAsync(100); // ok #2
    expect(monitor.isAvailable("w1")).toBe(true);
    expect(events).toEqual(["suspect:w1", "recovered:w1"]);
  });

  it("treats 401-like answers as misconfigured, never dead, and reports them once", async () => {
    monitor = createHealthMonitor(base);
    const events = recorder(monitor);
    const p = scripted();
    p.set(DENIED);
    monitor.add("w1", { probe: p.probe });
    await vi.advanceTimersByTimeAsync(10_000 * 10);
    expect(p.probe).toHaveBeenCalledTimes(10);
    expect(monitor.getState("w1")).toBe("misconfigured");
    expect(monitor.isAvailable("w1")).toBe(false);
    expect(events).toEqual(["misconfigured:w1"]);
    p.set(OK);
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(monitor.isAvailable("w1")).toBe(true);
    expect(events).toEqual(["misconfigured:w1", "recovered:w1"]);
  });

  it("marks a target dead at once on a reported exit and aborts its probe in flight", async () => {
    monitor = createHealthMonitor(base);
    const events = recorder(monitor);
    const reasons: string[] = [];
    monitor.on("dead", (_id, r) => reasons.push(r.message));
    const h = hanging();
    monitor.add("w1", { probe: h.probe });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.probe).toHaveBeenCalledTimes(1);
    expect(monitor.reportExit("w1", "the process was killed by SIGKILL")).toBe(true);
    expect(monitor.getState("w1")).toBe("dead");
    expect(h.signals[0]?.aborted).toBe(true);
    expect(events).toEqual(["dead:w1:exit"]);
    expect(reasons).toEqual(["the process was killed by SIGKILL"]);
    expect(monitor.reportExit("w1")).toBe(false);
    expect(monitor.reportExit("nobody")).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("runs the cheap liveness check first and skips the probe when it reports the target gone", async () => {
    monitor = createHealthMonitor(base);
    const events = recorder(monitor);
    const p = scripted();
    let alive = true;
    monitor.add("w1", { probe: p.probe, liveness: () => alive });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(p.probe).toHaveBeenCalledTimes(1);
    alive = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(p.probe).toHaveBeenCalledTimes(1);
    expect(events).toEqual(["dead:w1:liveness"]);
  });

  it("times out a probe that ignores its signal and counts the timeout as a failure", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 1 });
    const events = recorder(monitor);
    const h = hanging();
    monitor.add("w1", { probe: h.probe });
    await vi.advanceTimersByTimeAsync(10_000 + 1_000);
    expect(h.signals[0]?.aborted).toBe(true);
    expect(monitor.getState("w1")).toBe("suspect");
    await vi.advanceTimersByTimeAsync(100 + 1_000);
    expect(monitor.getState("w1")).toBe("dead");
    expect(events).toEqual(["suspect:w1", "dead:w1:probe"]);
  });

  it("never runs two checks of one target at once: checkNow joins the running check", async () => {
    monitor = createHealthMonitor(base);
    let resolve: ((r: ProbeResult) => void) | undefined;
    const probe = vi.fn(
      () =>
        new Promise<ProbeResult>((r) => {
          resolve = r;
        }),
    );
    monitor.add("w1", { probe });
    await vi.advanceTimersByTimeAsync(10_000); // the scheduled round starts a probe
    expect(probe).toHaveBeenCalledTimes(1);
    const a = monitor.checkNow("w1");
    const b = monitor.checkNow("w1");
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).toHaveBeenCalledTimes(1);
    resolve?.(OK);
    expect(await a).toBe("healthy");
    expect(await b).toBe("healthy");
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it("does not read a blocked event loop as every target dying at once", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 0 });
    const events = recorder(monitor);
    const probes = ["a", "b", "c", "d"].map((id) => {
      const h = hanging();
      monitor?.add(id, { probe: h.probe });
      return h;
    });
    await vi.advanceTimersByTimeAsync(10_000); // every probe is now in flight
    // The loop is blocked for 20 s: the clock moves but no timer runs.
    vi.setSystemTime(Date.now() + 20_000);
    await vi.advanceTimersByTimeAsync(1_000); // the late timeout timers fire
    expect(events).toEqual(["stall:a", "stall:b", "stall:c", "stall:d"]);
    for (const id of ["a", "b", "c", "d"]) expect(monitor.getState(id)).toBe("healthy");
    // The re-check then sees the truth.
    for (const h of probes) h.probe.mockImplementation(async () => OK);
    await vi.advanceTimersByTimeAsync(100);
    for (const h of probes) expect(h.probe).toHaveBeenCalledTimes(2);
    for (const id of ["a", "b", "c", "d"]) expect(monitor.isAvailable(id)).toBe(true);
  });

  it("discounts timeouts of a round whose own timer fired late, but still counts real failures", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 0 });
    const events = recorder(monitor);
    const h = hanging();
    const p = scripted();
    p.set(FAIL);
    monitor.add("slow", { probe: h.probe });
    monitor.add("refused", { probe: p.probe });
    vi.setSystemTime(Date.now() + 30_000); // blocked before the round was due
    await vi.advanceTimersByTimeAsync(10_000 + 1_000);
    expect(events).toEqual(["dead:refused:probe", "stall:slow"]);
    expect(monitor.getState("slow")).toBe("healthy");
  });

  it("counts a thrown probe as a failure", async () => {
    monitor = createHealthMonitor({ ...base, maxRetries: 0 });
    const reasons: string[] = [];
    monitor.on("dead", (_id, r) => reasons.push(r.message));
    monitor.add("w1", {
      probe: () => {
        throw new Error("boom");
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reasons).toEqual(["1 consecutive probes failed; last: the probe threw: boom"]);
  });

  it("starts a target as suspect when asked, so it must prove itself first", async () => {
    monitor = createHealthMonitor(base);
    const p = scripted();
    monitor.add("w1", { probe: p.probe }, { state: "suspect" });
    expect(monitor.isAvailable("w1")).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(monitor.isAvailable("w1")).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(monitor.isAvailable("w1")).toBe(true);
    expect(p.probe).toHaveBeenCalledTimes(2);
  });

  it("refuses duplicate ids and unknown ids with typed errors", async () => {
    monitor = createHealthMonitor(base);
    monitor.add("w1", { probe: scripted().probe });
    expect(() => monitor?.add("w1", { probe: scripted().probe })).toThrow(/already monitored/);
    await expect(monitor.checkNow("nope")).rejects.toMatchObject({ code: "HEALTH_UNKNOWN_TARGET" });
    expect(monitor.isAvailable("nope")).toBe(false);
    expect(monitor.getState("nope")).toBeUndefined();
  });

  it("remove() cancels the timer and the probe in flight, and emits nothing afterwards", async () => {
    monitor = createHealthMonitor(base);
    const events = recorder(monitor);
    const h = hanging();
    monitor.add("w1", { probe: h.probe });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(monitor.remove("w1")).toBe(true);
    expect(h.signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(monitor.remove("w1")).toBe(false);
  });

  it("stop() clears every timer, aborts probes and refuses new targets", async () => {
    monitor = createHealthMonitor(base);
    const h = hanging();
    monitor.add("a", { probe: h.probe });
    monitor.add("b", { probe: scripted().probe });
    await vi.advanceTimersByTimeAsync(10_000);
    monitor.stop();
    monitor.stop();
    expect(h.signals[0]?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => monitor?.add("c", { probe: scripted().probe })).toThrow(/stopped/);
  });

  it("unrefs its timers so they never keep the process alive", () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    monitor = createHealthMonitor(base);
    monitor.add("w1", { probe: scripted().probe });
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
  });
});
