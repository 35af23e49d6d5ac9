import {
  type BackoffOptions,
  backoffDelay,
  type ResolvedBackoff,
  resolveBackoff,
  TypedEmitter,
} from "@orchestra/core";
import { HealthError } from "./errors.js";
import type { HealthTarget, ProbeResult } from "./probe.js";

/**
 * The state of a monitored target.
 * - `healthy`: available.
 * - `suspect`: a probe failed, or it has not yet proven itself; not available.
 * - `misconfigured`: alive but refusing us (for example HTTP 401); not available, never dead for it.
 * - `dead`: confirmed dead. Terminal: no more checks until {@link HealthMonitor.remove}.
 */
export type HealthState = "healthy" | "suspect" | "misconfigured" | "dead";

/** Why a target was declared dead. */
export interface DeadReason {
  /** Which signal decided: an externally reported exit, the liveness check, or the probe. */
  source: "exit" | "liveness" | "probe";
  /** A human-readable explanation. */
  message: string;
}

/** Events of a {@link HealthMonitor}. */
export interface HealthEvents {
  /** A target is confirmed dead. Emitted once per target. */
  dead: [id: string, reason: DeadReason];
  /** A healthy (or misconfigured) target failed a probe and is being retried. */
  suspect: [id: string, reason: string];
  /** A suspect or misconfigured target passed enough consecutive probes to be healthy again. */
  recovered: [id: string];
  /** A target answered but refused us. It stays monitored and is not declared dead. */
  misconfigured: [id: string, reason: string];
  /**
   * A check's timer fired `lagMs` late (the event loop was blocked), so a timeout from that
   * round was not counted as a failure and the target is re-checked instead.
   */
  stall: [info: { id: string; lagMs: number }];
}

/** Options of {@link createHealthMonitor}. */
export interface HealthMonitorOptions {
  /** Time between checks of a healthy target, in milliseconds (default 30 000, at least 10 000). */
  intervalMs?: number;
  /** Timeout of one probe, in milliseconds (default 3 000). */
  timeoutMs?: number;
  /** Retries after a failed probe before the target is dead (default 3). 0: the first failure kills. */
  maxRetries?: number;
  /** Consecutive successes a suspect target needs to be healthy again (default 2). */
  recoverySuccesses?: number;
  /** Backoff between retries and recovery checks (default 1 s doubling to 10 s, jitter 0.2). */
  backoff?: BackoffOptions;
  /**
   * A timer that fires more than this late means the event loop was blocked; timeouts from that
   * round are not counted (default 1 000 ms).
   */
  stallThresholdMs?: number;
  /** Random source in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
}

/** Options of {@link HealthMonitor.add}. */
export interface AddTargetOptions {
  /**
   * The starting state (default `healthy`). Use `suspect` for a target that must prove itself
   * (`recoverySuccesses` passing probes, checked on the backoff schedule) before it is available,
   * such as a worker reconnected after a restart.
   */
  state?: "healthy" | "suspect";
}

/** A snapshot of one target. */
export interface TargetStatus {
  /** The target id. */
  id: string;
  /** Its state. */
  state: HealthState;
  /** Consecutive failed probes. */
  failures: number;
  /** Consecutive successful probes while not healthy. */
  successes: number;
}

/** Monitors targets; see {@link createHealthMonitor}. */
export interface HealthMonitor {
  /** Start monitoring `id`. The first check runs after `intervalMs` (or the backoff when `suspect`). */
  add(id: string, target: HealthTarget, options?: AddTargetOptions): void;
  /** Stop monitoring `id`, cancelling its timer and any probe in flight. Returns whether it existed. */
  remove(id: string): boolean;
  /**
   * Mark `id` dead at once because its process exited (call it from the child's `exit` event).
   * Returns whether the state changed.
   */
  reportExit(id: string, reason?: string): boolean;
  /**
   * Check `id` now and resolve with its state afterwards. If a check is already running, this
   * joins it instead of starting another.
   */
  checkNow(id: string): Promise<HealthState>;
  /** True only when `id` is `healthy`. Unknown ids are not available. */
  isAvailable(id: string): boolean;
  /** The state of `id`, or `undefined` when unknown. */
  getState(id: string): HealthState | undefined;
  /** A snapshot of every target. */
  list(): TargetStatus[];
  /** Subscribe to an event. Returns a function that unsubscribes. */
  on<K extends keyof HealthEvents>(event: K, listener: (...args: HealthEvents[K]) => void): () => void;
  /** Subscribe to the next occurrence of an event. */
  once<K extends keyof HealthEvents>(event: K, listener: (...args: HealthEvents[K]) => void): () => void;
  /** Remove a listener. */
  off<K extends keyof HealthEvents>(event: K, listener: (...args: HealthEvents[K]) => void): void;
  /** Stop everything: clear timers, abort probes, drop listeners. Idempotent. */
  stop(): void;
}

/** Minimum interval between checks of a healthy target. */
export const MIN_INTERVAL_MS = 10_000;

const DEFAULT_BACKOFF: ResolvedBackoff = { initialMs: 1_000, maxMs: 10_000, factor: 2, jitter: 0.2 };

type Outcome = ProbeResult | { status: "timeout"; lagMs: number };

interface Entry {
  readonly id: string;
  readonly target: HealthTarget;
  state: HealthState;
  failures: number;
  successes: number;
  timer: NodeJS.Timeout | undefined;
  expectedAt: number;
  controller: AbortController | undefined;
  running: Promise<HealthState> | undefined;
  removed: boolean;
}

interface Config {
  intervalMs: number;
  timeoutMs: number;
  maxRetries: number;
  recoverySuccesses: number;
  backoff: ResolvedBackoff;
  stallThresholdMs: number;
  random: () => number;
}

function invalid(message: string): HealthError {
  return new HealthError("HEALTH_INVALID_OPTIONS", message, {
    hints: ["see the HealthMonitorOptions documentation for the allowed ranges"],
  });
}

function resolveConfig(options: HealthMonitorOptions): Config {
  const c: Config = {
    intervalMs: options.intervalMs ?? 30_000,
    timeoutMs: options.timeoutMs ?? 3_000,
    maxRetries: options.maxRetries ?? 3,
    recoverySuccesses: options.recoverySuccesses ?? 2,
    backoff: DEFAULT_BACKOFF,
    stallThresholdMs: options.stallThresholdMs ?? 1_000,
    random: options.random ?? Math.random,
  };
  if (!Number.isFinite(c.intervalMs) || c.intervalMs < MIN_INTERVAL_MS) {
    throw invalid(`intervalMs must be at least ${MIN_INTERVAL_MS} (got ${c.intervalMs})`);
  }
  if (!(c.timeoutMs > 0) || !Number.isFinite(c.timeoutMs))
    throw invalid(`timeoutMs must be > 0 (got ${c.timeoutMs})`);
  if (!Number.isInteger(c.maxRetries) || c.maxRetries < 0) {
    throw invalid(`maxRetries must be an integer >= 0 (got ${c.maxRetries})`);
  }
  if (!Number.isInteger(c.recoverySuccesses) || c.recoverySuccesses < 1) {
    throw invalid(`recoverySuccesses must be an integer >= 1 (got ${c.recoverySuccesses})`);
  }
  if (!(c.stallThresholdMs > 0)) throw invalid(`stallThresholdMs must be > 0 (got ${c.stallThresholdMs})`);
  const backoff = resolveBackoff(options.backoff, DEFAULT_BACKOFF);
  if (typeof backoff === "string") throw invalid(backoff);
  c.backoff = backoff;
  return c;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Monitor extends TypedEmitter<HealthEvents> implements HealthMonitor {
  readonly #config: Config;
  readonly #entries = new Map<string, Entry>();
  #stopped = false;

  constructor(config: Config) {
    super();
    this.#config = config;
  }

  add(id: string, target: HealthTarget, options: AddTargetOptions = {}): void {
    if (this.#stopped)
      throw new HealthError("HEALTH_STOPPED", "the health monitor was stopped; create a new one");
    if (this.#entries.has(id)) {
      throw new HealthError("HEALTH_DUPLICATE_TARGET", `target "${id}" is already monitored`, {
        hints: [`call remove("${id}") first, for example after its death was handled`],
      });
    }
    if (typeof target?.probe !== "function") {
      throw new HealthError("HEALTH_INVALID_OPTIONS", `target "${id}" needs a probe function`);
    }
    const entry: Entry = {
      id,
      target,
      state: options.state ?? "healthy",
      failures: 0,
      successes: 0,
      timer: undefined,
      expectedAt: 0,
      controller: undefined,
      running: undefined,
      removed: false,
    };
    this.#entries.set(id, entry);
    this.#schedule(entry, entry.state === "healthy" ? this.#config.intervalMs : this.#retryDelay(0));
  }

  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    entry.removed = true;
    this.#halt(entry);
    this.#entries.delete(id);
    return true;
  }

  reportExit(id: string, reason?: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.state === "dead" || this.#stopped) return false;
    this.#kill(entry, { source: "exit", message: reason ?? "the process exited" });
    return true;
  }

  checkNow(id: string): Promise<HealthState> {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return Promise.reject(new HealthError("HEALTH_UNKNOWN_TARGET", `target "${id}" is not monitored`));
    }
    if (this.#stopped)
      return Promise.reject(new HealthError("HEALTH_STOPPED", "the health monitor was stopped"));
    if (entry.state === "dead") return Promise.resolve("dead");
    if (entry.running !== undefined) return entry.running;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    return this.#check(entry, 0);
  }

  isAvailable(id: string): boolean {
    return this.#entries.get(id)?.state === "healthy";
  }

  getState(id: string): HealthState | undefined {
    return this.#entries.get(id)?.state;
  }

  list(): TargetStatus[] {
    return [...this.#entries.values()].map((e) => ({
      id: e.id,
      state: e.state,
      failures: e.failures,
      successes: e.successes,
    }));
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const entry of this.#entries.values()) this.#halt(entry);
    this.removeAllListeners();
  }

  #halt(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.controller?.abort(new HealthError("HEALTH_STOPPED", `monitoring of "${entry.id}" ended`));
    entry.controller = undefined;
  }

  #kill(entry: Entry, reason: DeadReason): void {
    if (entry.state === "dead") return;
    entry.state = "dead";
    this.#halt(entry);
    this.emit("dead", entry.id, reason);
  }

  #retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.#config.backoff, this.#config.random);
  }

  #schedule(entry: Entry, delayMs: number): void {
    clearTimeout(entry.timer);
    entry.expectedAt = Date.now() + delayMs;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const lagMs = Date.now() - entry.expectedAt;
      void this.#check(entry, lagMs);
    }, delayMs);
    entry.timer.unref();
  }

  #current(entry: Entry): boolean {
    return !this.#stopped && !entry.removed && entry.state !== "dead";
  }

  #check(entry: Entry, roundLagMs: number): Promise<HealthState> {
    if (entry.running !== undefined) return entry.running;
    const run = (async (): Promise<HealthState> => {
      if (!this.#current(entry)) return entry.state;
      const { liveness } = entry.target;
      if (liveness !== undefined) {
        let alive = true;
        try {
          alive = liveness();
        } catch {
          // An inconclusive liveness check proves nothing; the probe decides.
        }
        if (!alive) {
          this.#kill(entry, { source: "liveness", message: "the liveness check reports the target gone" });
          return entry.state;
        }
      }
      const outcome = await this.#probe(entry);
      if (this.#current(entry)) this.#apply(entry, outcome, roundLagMs);
      return entry.state;
    })();
    const tracked = run.finally(() => {
      if (entry.running === tracked) entry.running = undefined;
    });
    entry.running = tracked;
    return tracked;
  }

  #probe(entry: Entry): Promise<Outcome> {
    const { timeoutMs } = this.#config;
    const controller = new AbortController();
    entry.controller = controller;
    const deadline = Date.now() + timeoutMs;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (entry.controller === controller) entry.controller = undefined;
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        finish({ status: "timeout", lagMs: Date.now() - deadline });
        controller.abort(
          new HealthError(
            "HEALTH_PROBE_TIMEOUT",
            `the probe of "${entry.id}" timed out after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      // Settle at once when the check is cancelled (exit reported, removed, stopped), even if
      // the probe ignores its signal, so no timer outlives the check.
      controller.signal.addEventListener(
        "abort",
        () => finish({ status: "fail", reason: "the probe was aborted" }),
        {
          once: true,
        },
      );
      let pending: Promise<ProbeResult>;
      try {
        pending = entry.target.probe(controller.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      Promise.resolve(pending).then(
        (result) => {
          if (controller.signal.aborted) return finish({ status: "fail", reason: "the probe was aborted" });
          finish(
            result?.status === "ok" || result?.status === "fail" || result?.status === "misconfigured"
              ? result
              : { status: "fail", reason: "the probe returned an invalid result" },
          );
        },
        (error: unknown) => finish({ status: "fail", reason: `the probe threw: ${errorText(error)}` }),
      );
    });
  }

  #apply(entry: Entry, outcome: Outcome, roundLagMs: number): void {
    const { intervalMs, maxRetries, recoverySuccesses, stallThresholdMs, timeoutMs } = this.#config;
    switch (outcome.status) {
      case "ok": {
        entry.failures = 0;
        if (entry.state === "healthy") {
          this.#schedule(entry, intervalMs);
          return;
        }
        entry.successes += 1;
        if (entry.successes >= recoverySuccesses) {
          entry.state = "healthy";
          entry.successes = 0;
          this.#schedule(entry, intervalMs);
          this.emit("recovered", entry.id);
        } else {
          this.#schedule(entry, this.#retryDelay(0));
        }
        return;
      }
      case "misconfigured": {
        entry.failures = 0;
        entry.successes = 0;
        this.#schedule(entry, intervalMs);
        if (entry.state !== "misconfigured") {
          entry.state = "misconfigured";
          this.emit("misconfigured", entry.id, outcome.reason);
        }
        return;
      }
      case "timeout":
      case "fail": {
        if (outcome.status === "timeout") {
          const lagMs = Math.max(roundLagMs, outcome.lagMs);
          if (lagMs > stallThresholdMs) {
            // Our own timer was late: the event loop was blocked, so the timeout says nothing
            // about the target. Re-check soon instead of counting it.
            this.#schedule(entry, this.#retryDelay(0));
            this.emit("stall", { id: entry.id, lagMs });
            return;
          }
        }
        const reason =
          outcome.status === "timeout" ? `the probe timed out after ${timeoutMs} ms` : outcome.reason;
        entry.successes = 0;
        entry.failures += 1;
        if (entry.failures > maxRetries) {
          this.#kill(entry, {
            source: "probe",
            message: `${entry.failures} consecutive probes failed; last: ${reason}`,
          });
          return;
        }
        this.#schedule(entry, this.#retryDelay(entry.failures - 1));
        if (entry.state !== "suspect") {
          entry.state = "suspect";
          this.emit("suspect", entry.id, reason);
        }
        return;
      }
    }
  }
}

/**
 * Create a health monitor. It checks each target on its own timer, cheap signals first:
 * an exit reported with {@link HealthMonitor.reportExit} kills at once; then the optional
 * liveness check; then the probe, with a timeout. Failures move a target to `suspect` and are
 * retried with exponential backoff and jitter; after `maxRetries` retries it is `dead`. A suspect
 * target needs `recoverySuccesses` consecutive successes before it is available again. Checks
 * of one target never overlap, timers never keep the process alive, and a round whose timer
 * fired late (a blocked event loop) does not count its timeouts.
 *
 * @throws {HealthError} `HEALTH_INVALID_OPTIONS` for out-of-range options.
 *
 * @example
 * ```ts
 * const monitor = createHealthMonitor({ intervalMs: 30_000 });
 * monitor.add("coder", { probe: httpProbe(url, { auth }), liveness: () => isGroupAlive(pid) }); // isGroupAlive, describeExit: @orchestra/process
 * child.once("exit", (code, signal) => monitor.reportExit("coder", describeExit(code, signal)));
 * monitor.on("dead", (id, reason) => console.error(`${id} died: ${reason.message}`));
 * ```
 */
export function createHealthMonitor(options: HealthMonitorOptions = {}): HealthMonitor {
  return new Monitor(resolveConfig(options));
}
