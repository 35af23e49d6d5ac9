import type { OrchestratorConfig } from "@orchestra/config";
import { isSameProcess } from "@orchestra/process";
import { createWarmPool, type Lease, type PoolStats, type WarmPool } from "@orchestra/warm-pool";
import type { Orchestrator } from "../orchestrator.js";
import type { RegistryLogger } from "../registry/logger.js";
import type { Worker } from "../workers/worker.js";
import type { HealthWatch } from "./health-watch.js";
import { LifecycleError } from "./lifecycle-error.js";
import type { LifecycleEmit, WorkerLease } from "./lifecycle-types.js";
import type { RegistrySync } from "./registry-sync.js";
import { type TrackedWorkers, tracked } from "./tracked.js";

/** What the warm pools need from the lifecycle. */
export interface WarmPoolsDeps {
  config: OrchestratorConfig;
  logger: RegistryLogger;
  maxQueue: number | undefined;
  orchestra: () => Orchestrator;
  workers: TrackedWorkers;
  health: HealthWatch;
  sync: RegistrySync;
  closing: () => boolean;
  emit: LifecycleEmit;
}

/**
 * The warm pools of `warmPool.profiles`: ready workers kept hidden from reuse, handed out by
 * `spawn` (they become regular workers) or leased with {@link acquire}. Every hand-out checks that
 * the worker is ready, still the pool's, healthy, and that its process is alive and still the same
 * process (pid + start time): a worker whose process died before its exit event arrived is
 * discarded, never handed out. Leases are recorded in the registry (`busy`), so that recovery never
 * hands out a worker that was mid-task when its orchestrator died.
 */
export class WarmPools {
  readonly #d: WarmPoolsDeps;
  readonly #pools = new Map<string, WarmPool<Worker>>();
  /** Workers handed out by `take`: their warm-pool "destroy" must not stop them. */
  readonly #promoted = new WeakSet<Worker>();

  constructor(deps: WarmPoolsDeps) {
    this.#d = deps;
  }

  /** Create the configured pools (they fill in the background). */
  start(): void {
    const { warmPool, spawn } = this.#d.config;
    if (!warmPool.enabled) return;
    for (const [profile, settings] of Object.entries(warmPool.profiles)) {
      if (settings.size <= 0 || this.#pools.has(profile)) continue;
      const pool = createWarmPool<Worker>({
        name: `warm pool "${profile}"`,
        size: settings.size,
        max: settings.size * 2,
        idleTimeoutMs: Math.max(1, settings.idleTimeoutMs),
        maxUses: settings.maxUses,
        maxAgeMs: settings.maxAgeMs,
        acquireTimeoutMs: warmPool.acquireTimeoutMs,
        createTimeoutMs: spawn.startupTimeoutMs + 30_000,
        destroyTimeoutMs: spawn.shutdownGraceMs + 5_000,
        ...(this.#d.maxQueue === undefined ? {} : { maxQueue: this.#d.maxQueue }),
        create: (signal) => this.#create(profile, signal),
        destroy: (worker) => this.#destroy(worker),
        validate: (worker) => this.#fit(worker),
      });
      pool.on("createFailed", (error, failures) =>
        this.#d.emit("warm:spawn-failed", profile, error, failures),
      );
      pool.on("degraded", (cause) => {
        this.#d.logger.warn(
          `the warm pool of ${profile} is degraded: ${(cause as Error)?.message ?? String(cause)}; spawns of ${profile} start cold until it recovers`,
        );
        this.#d.emit("warm:degraded", profile, cause);
      });
      pool.on("recovered", () => this.#d.emit("warm:recovered", profile));
      this.#pools.set(profile, pool);
    }
  }

  async #create(profile: string, signal: AbortSignal): Promise<Worker> {
    const worker = await this.#d.orchestra().spawn(profile, { reuse: false, hidden: true, signal });
    const row = this.#d.workers.get(worker.id);
    if (row) row.warm = profile;
    else this.#d.workers.set(worker.id, tracked(profile, { worker, pid: worker.info.pid, warm: profile }));
    return worker;
  }

  async #destroy(worker: Worker): Promise<void> {
    if (this.#promoted.has(worker)) return; // handed out: it is a regular worker now
    const orchestra = this.#d.orchestra();
    if (orchestra.pool.get(worker.id) === worker) await orchestra.stop(worker.id).catch(() => worker.stop(0));
    else await worker.stop(0);
  }

  /** May this warm worker be handed out now? Synchronous and cheap (one `/proc` read). */
  #fit(worker: Worker): boolean {
    if (worker.status !== "ready" || this.#d.orchestra().pool.get(worker.id) !== worker) return false;
    if (!this.#d.health.isAvailable(worker.id)) return false;
    const info = worker.info;
    if (info.kind !== "process") return true;
    const startTime = this.#d.sync.entry(worker.id)?.processStartTime;
    return info.pid !== undefined && startTime !== undefined && isSameProcess(info.pid, startTime);
  }

  /** Stats of every pool, by profile. */
  stats(): Record<string, PoolStats> {
    return Object.fromEntries([...this.#pools].map(([profile, pool]) => [profile, pool.stats()]));
  }

  /** `takeWarmWorker`: the hot path of `Orchestrator.spawn`. Synchronous, no I/O but `/proc`. */
  take(profile: string, reuse: boolean): Worker | undefined {
    if (this.#d.closing()) return undefined;
    const pool = this.#pools.get(profile);
    if (pool === undefined) return undefined;
    const orchestra = this.#d.orchestra();
    if (reuse && orchestra.pool.findByProfile(profile)) return undefined;
    let lease: Lease<Worker> | undefined;
    try {
      lease = pool.tryAcquire();
    } catch {
      return undefined;
    }
    if (lease === undefined) return undefined;
    const worker = lease.resource;
    this.#promoted.add(worker);
    lease.release({ dirty: true, reason: "handed out by spawn" });
    const row = this.#d.workers.get(worker.id);
    if (row) row.warm = undefined;
    orchestra.pool.reveal(worker.id);
    return worker;
  }

  /**
   * Lease a warm worker of `profile` (see `WorkerLifecycle.acquire`). The lease is recorded in the
   * registry as `busy` until released.
   */
  async acquire(
    profile: string,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<WorkerLease> {
    const pool = this.#pools.get(profile);
    if (pool === undefined) {
      throw new LifecycleError("LIFECYCLE_NO_WARM_POOL", `no warm pool for profile "${profile}"`, {
        hints: [
          this.#pools.size
            ? `warm profiles: ${[...this.#pools.keys()].join(", ")}`
            : "set warmPool.enabled and warmPool.profiles.<id>.size in orchestrator.json",
        ],
      });
    }
    const lease = await pool.acquire(options);
    const worker = lease.resource;
    this.#markLeased(worker.id, true);
    return {
      worker,
      release: (opts = {}) => {
        if (lease.released) return;
        if (!opts.dirty) this.#markLeased(worker.id, false);
        lease.release(opts);
      },
    };
  }

  #markLeased(id: string, leased: boolean): void {
    const row = this.#d.workers.get(id);
    if (row === undefined || this.#d.closing()) return;
    row.leased = leased;
    this.#d.sync.patch(id, { status: leased ? "busy" : "ready" });
    void this.#d.sync.flush();
  }

  /** Take a gone worker out of its pool. */
  evict(worker: Worker, profile: string): void {
    this.#pools.get(profile)?.evict(worker, "worker gone");
  }

  /** Shutdown: abort creations, stop idle workers, reclaim leases (bounded). */
  async close(deadlineMs: number): Promise<void> {
    await Promise.allSettled([...this.#pools.values()].map((p) => p.close({ deadlineMs })));
  }

  /** Detach: stop background work at once, leaving leased workers alone. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pools.values()].map((p) => p.drain({ deadlineMs: 0 })));
  }
}
