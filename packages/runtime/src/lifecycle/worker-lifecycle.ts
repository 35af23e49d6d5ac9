import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import type { OrchestratorConfig } from "@orchestra/config";
import {
  createHealthMonitor,
  createRestartBudget,
  type HealthMonitor,
  type HealthState,
  type HealthTarget,
  httpProbe,
  type RestartBudget,
  type TargetStatus,
} from "@orchestra/health";
import {
  currentProcessIdentity,
  isGroupAlive,
  isSameProcess,
  killGroup,
  processStartTime,
} from "@orchestra/process";
import { createWarmPool, type Lease, type PoolStats, type WarmPool } from "@orchestra/warm-pool";
import type { HostServer, Orchestrator, OrchestratorHooks } from "../orchestrator.js";
import { classifyEntry } from "../registry/classify.js";
import { consoleRegistryLogger, type RegistryLogger } from "../registry/logger.js";
import { readManifest, writeManifest } from "../registry/manifest.js";
import { hashPassword } from "../registry/password-hash.js";
import { type DeviceRegistry, openRegistry } from "../registry/registry.js";
import type { ManifestWorker, RegistryEntry, RegistryOwner } from "../registry/schema.js";
import type { Worker, WorkerInfo } from "../workers/worker.js";
import { LifecycleError } from "./lifecycle-error.js";
import { type RecoveryReport, recoverWorkers } from "./recovery.js";
import { deriveWorkerPassword, loadWorkerSecret } from "./worker-secret.js";

/** Options of {@link createWorkerLifecycle}. */
export interface WorkerLifecycleOptions {
  /** The effective config: `healthCheck`, `warmPool` and `spawn` are read. */
  config: OrchestratorConfig;
  /** The project directory (recorded in entries; recovery reconnects only this directory's workers). */
  directory: string;
  /** `orchestrator` (default): workers die with us. `cli`: workers outlive the CLI process. */
  owner?: "orchestrator" | "cli";
  /** The device registry (default: `openRegistry({ file: registryFile })`). */
  registry?: DeviceRegistry;
  /** The registry file when `registry` is not given (default: the XDG data dir). */
  registryFile?: string;
  /** The recovery manifest file (default: `defaultManifestFile()`). */
  manifestFile?: string;
  /** The per-user secret file workers' passwords are derived from (default: `defaultSecretFile()`). */
  secretFile?: string;
  /** The host OpenCode server, for session workers (probes, reconnect). */
  host?: HostServer;
  /** The host server's pid, recorded for session workers (default: `process.pid`, the plugin's host). */
  hostPid?: number;
  /** Renewal interval of our registry entries (default: a third of `spawn.registryTtlMs`, at most 60 s). */
  renewIntervalMs?: number;
  logger?: RegistryLogger;
}

/** Events of a {@link WorkerLifecycle}. */
export interface WorkerLifecycleEvents {
  /** A worker died and was cleaned up (pool, registry, jobs); `reason` says how it was detected. */
  "worker:dead": [info: WorkerInfo, reason: string];
  /** A dead worker's profile is respawned (budget permitting). */
  respawn: [profile: string, deadWorkerId: string];
  /** A respawn was refused (`healthCheck.respawn` off, budget spent, or shutting down). */
  "respawn:refused": [profile: string, reason: string];
  /** The warm pool of a profile is degraded: acquires fail fast until a creation succeeds. */
  "warm:degraded": [profile: string, cause: unknown];
  /** A degraded warm pool created a worker again. */
  "warm:recovered": [profile: string];
  /** A registry write failed; the worker keeps running, but is not (or no longer) recorded. */
  "registry:error": [error: unknown, workerId: string | undefined];
}

/** A warm worker leased with {@link WorkerLifecycle.acquire}: exclusive until released. */
export interface WorkerLease {
  readonly worker: Worker;
  /** Give it back (`dirty: true` stops it instead). Idempotent. */
  release(options?: { dirty?: boolean; reason?: string }): void;
}

/** What {@link WorkerLifecycle.shutdown} did. */
export interface ShutdownReport {
  /** Workers stopped. */
  stopped: string[];
  /** Workers still alive after SIGKILL (marked `orphaned` in the registry and the manifest). */
  leftovers: string[];
  /** True when the overall deadline forced the end (everything left was SIGKILLed). */
  forced: boolean;
  /** Whether a recovery manifest was written. */
  manifestWritten: boolean;
  durationMs: number;
}

interface Tracked {
  worker: Worker;
  entry: RegistryEntry | undefined;
  /** The warm pool's profile while the worker belongs to a warm pool (idle or leased). */
  warm: string | undefined;
}

const REGISTRY_STATUS = new Set(["starting", "ready", "busy", "stopped", "dead"]);

/**
 * Assembles the device registry, health monitor, warm pools, graceful shutdown and recovery
 * around an {@link Orchestrator}. Create it with {@link createWorkerLifecycle}, pass
 * {@link WorkerLifecycle.hooks} to the orchestrator, then {@link WorkerLifecycle.attach} and
 * {@link WorkerLifecycle.start}.
 */
export class WorkerLifecycle extends EventEmitter<WorkerLifecycleEvents> {
  readonly registry: DeviceRegistry;
  readonly owner: RegistryOwner;
  readonly #options: WorkerLifecycleOptions;
  readonly #config: OrchestratorConfig;
  readonly #secret: Buffer | undefined;
  readonly #logger: RegistryLogger;
  readonly #tracked = new Map<string, Tracked>();
  readonly #createdAt = new Map<string, number>();
  readonly #warm = new Map<string, WarmPool<Worker>>();
  /** Workers handed out by `takeWarmWorker`: their warm-pool "destroy" must not stop them. */
  readonly #promoted = new WeakSet<Worker>();
  readonly #hiddenByHealth = new Set<string>();
  /** Ids this lifecycle recorded in the registry (several lifecycles may share one process). */
  readonly #recorded = new Set<string>();
  readonly #budget: RestartBudget;
  readonly #monitor: HealthMonitor | undefined;
  #taken = new Set<string>();
  #orchestra: Orchestrator | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #closing = false;
  #shutdown: Promise<ShutdownReport> | undefined;
  #pendingWrites = new Set<Promise<unknown>>();

  /** The hooks to pass to the orchestrator (merge your own beside them). */
  readonly hooks: Required<
    Pick<OrchestratorHooks, "onWorkerReady" | "takenIds" | "workerPassword" | "takeWarmWorker">
  >;

  /** Use {@link createWorkerLifecycle}. */
  constructor(options: WorkerLifecycleOptions, secret: Buffer | undefined) {
    super();
    this.#options = options;
    this.#config = options.config;
    this.#secret = secret;
    this.#logger = options.logger ?? consoleRegistryLogger;
    this.registry =
      options.registry ??
      openRegistry({
        ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
        logger: this.#logger,
      });
    const me = currentProcessIdentity();
    this.owner = { kind: options.owner ?? "orchestrator", pid: me.pid, startTime: me.startTime };
    const { respawn } = this.#config.healthCheck;
    this.#budget = createRestartBudget({ maxRestarts: respawn.maxRestarts, windowMs: respawn.windowMs });
    if (this.#config.healthCheck.enabled) {
      const hc = this.#config.healthCheck;
      this.#monitor = createHealthMonitor({
        intervalMs: hc.intervalMs,
        timeoutMs: hc.timeoutMs,
        maxRetries: hc.maxRetries,
        recoverySuccesses: hc.recoverySuccesses,
      });
      this.#monitor.on("dead", (id, reason) =>
        this.#orchestra?.pool.markDead(id, `health check (${reason.source}): ${reason.message}`),
      );
      this.#monitor.on("suspect", (id, reason) => {
        this.#logger.warn(`worker ${id} is suspect: ${reason}; not handed out until it recovers`);
        this.#hideForHealth(id);
      });
      this.#monitor.on("misconfigured", (id, reason) => {
        this.#logger.warn(`worker ${id} refuses our credentials: ${reason}`);
        this.#hideForHealth(id);
      });
      this.#monitor.on("recovered", (id) => {
        if (!this.#hiddenByHealth.delete(id)) return;
        if (this.#tracked.get(id)?.warm === undefined) this.#orchestra?.pool.reveal(id);
      });
    }
    this.hooks = {
      takenIds: () => this.#takenNow(),
      workerPassword: (id) => {
        const createdAt = Date.now();
        this.#createdAt.set(id, createdAt);
        return this.#secret === undefined ? undefined : deriveWorkerPassword(this.#secret, id, createdAt);
      },
      onWorkerReady: (worker, extra) => this.#onReady(worker, extra.password),
      takeWarmWorker: (profile, { reuse }) => this.#takeWarm(profile, reuse),
    };
  }

  /** Bind to the orchestrator whose pool this lifecycle manages. Call once, before `start`. */
  attach(orchestra: Orchestrator): this {
    if (this.#orchestra !== undefined)
      throw new LifecycleError(
        "LIFECYCLE_NOT_ATTACHED",
        "this lifecycle is already attached to an orchestrator",
      );
    this.#orchestra = orchestra;
    orchestra.pool.on("worker:dead", (info, reason) => this.#onDead(info, reason));
    orchestra.pool.on("worker:stopped", (info) => this.#onStopped(info));
    return this;
  }

  /** True when workers' passwords are derived from the per-user secret (they can be reconnected). */
  get canReconnect(): boolean {
    return this.#secret !== undefined;
  }

  #orch(): Orchestrator {
    if (this.#orchestra === undefined)
      throw new LifecycleError("LIFECYCLE_NOT_ATTACHED", "call attach(orchestrator) first");
    return this.#orchestra;
  }

  /**
   * Start: recover (reconnect our orphans, kill the rest, clean the registry, delete the
   * manifest), start renewing our entries, then start the warm pools. Resolves with the
   * recovery report.
   */
  async start(): Promise<RecoveryReport> {
    this.#orch();
    const report = await this.recover();
    await this.#refreshTaken();
    const every =
      this.#options.renewIntervalMs ?? Math.min(60_000, Math.floor(this.#config.spawn.registryTtlMs / 3));
    this.#renewTimer = setInterval(() => void this.#renew(), every);
    this.#renewTimer.unref();
    this.#startWarmPools();
    return report;
  }

  /** Run recovery now (also what `start` does first). */
  recover(): Promise<RecoveryReport> {
    const orchestra = this.#orch();
    const host = this.#options.host;
    return recoverWorkers({
      registry: this.registry,
      owner: this.owner,
      ...(this.#options.manifestFile === undefined ? {} : { manifestFile: this.#options.manifestFile }),
      ...(this.#secret === undefined ? {} : { secret: this.#secret }),
      directory: this.#options.directory,
      ...(host ? { host: { pid: this.#options.hostPid ?? process.pid, client: host.client } } : {}),
      graceMs: this.#config.spawn.shutdownGraceMs,
      probeTimeoutMs: this.#config.healthCheck.timeoutMs,
      logger: this.#logger,
      adopt: (worker, entry) => {
        if (this.#closing) return false;
        orchestra.pool.adopt(worker);
        const password =
          this.#secret === undefined
            ? undefined
            : deriveWorkerPassword(this.#secret, entry.id, entry.createdAt);
        const adopted: RegistryEntry = { ...entry, owner: { ...this.owner }, status: "ready" };
        this.#tracked.set(worker.id, { worker, entry: adopted, warm: undefined });
        this.#watch(worker, password, true);
        return true;
      },
    });
  }

  // ---- registry ---------------------------------------------------------------------------

  #track<T>(work: Promise<T>): Promise<T> {
    this.#pendingWrites.add(work);
    void work.then(
      () => this.#pendingWrites.delete(work),
      () => this.#pendingWrites.delete(work),
    );
    return work;
  }

  /**
   * Ids in the registry right now: a synchronous, lock-free read of the (atomically replaced)
   * file, so a spawn never picks an id another orchestrator recorded a moment ago. Falls back to
   * the last known ids when the file cannot be read.
   */
  #takenNow(): Set<string> {
    try {
      const doc = JSON.parse(readFileSync(this.registry.file, "utf8")) as { entries?: unknown };
      if (Array.isArray(doc.entries)) {
        const ids = new Set<string>();
        for (const e of doc.entries) {
          const id = (e as { id?: unknown } | null)?.id;
          if (typeof id === "string") ids.add(id);
        }
        this.#taken = ids;
      }
    } catch {
      // Missing or being repaired: the cached ids will do.
    }
    return this.#taken;
  }

  async #refreshTaken(): Promise<void> {
    try {
      this.#taken = new Set((await this.registry.list()).map((e) => e.id));
    } catch (error) {
      this.emit("registry:error", error, undefined);
    }
  }

  /**
   * Renew our entries now (also done on a timer). Entries of ours that vanished (a corrupt
   * registry set aside, a concurrent cleanup) are written back, so no live worker goes unrecorded.
   */
  renewNow(): Promise<void> {
    return this.#renew();
  }

  async #renew(): Promise<void> {
    if (this.#closing) return;
    try {
      await this.#track(
        this.registry.transact((entries) => {
          const at = Date.now();
          const present = new Set<string>();
          for (const e of entries) {
            if (e.owner.pid === this.owner.pid && e.owner.startTime === this.owner.startTime) {
              e.renewedAt = at;
              present.add(e.id);
            }
          }
          for (const [id, t] of this.#tracked) {
            if (t.entry === undefined || present.has(id) || entries.some((e) => e.id === id)) continue;
            if (t.worker.status === "dead" || t.worker.status === "stopped") continue;
            t.entry = { ...t.entry, renewedAt: at };
            entries.push(t.entry);
            this.#logger.warn(`worker ${id} was missing from the device registry; recorded it again`);
          }
        }),
      );
    } catch (error) {
      this.#logger.warn(`could not renew our device-registry entries: ${(error as Error).message}`);
      this.emit("registry:error", error, undefined);
    }
    await this.#refreshTaken();
  }

  #entryFor(worker: Worker, password: string | undefined): RegistryEntry | undefined {
    const info = worker.info;
    const now = Date.now();
    const createdAt = this.#createdAt.get(info.id) ?? now;
    this.#createdAt.delete(info.id);
    const pid = info.kind === "process" ? info.pid : (this.#options.hostPid ?? process.pid);
    if (pid === undefined) return undefined;
    const startTime = processStartTime(pid);
    if (startTime === undefined) return undefined;
    return {
      id: info.id,
      profile: info.profile,
      kind: info.kind,
      pid,
      pgid: info.kind === "process" ? pid : null,
      processStartTime: startTime,
      url: info.url === "" ? null : info.url,
      port: info.port ?? null,
      owner: { ...this.owner },
      createdAt,
      renewedAt: now,
      ttlMs: this.#config.spawn.registryTtlMs,
      status: REGISTRY_STATUS.has(info.status) ? (info.status as RegistryEntry["status"]) : "ready",
      ...(password === undefined ? {} : { passwordHash: hashPassword(password) }),
      ...(info.sessionId ? { sessionId: info.sessionId } : {}),
      ...(info.model ? { model: info.model } : {}),
      directory: this.#options.directory,
    };
  }

  /** `onWorkerReady`: record the worker in the registry and start watching it. */
  async #onReady(worker: Worker, password: string | undefined): Promise<void> {
    // A spawn that finishes during shutdown is stopped by the pool at once: do not record it.
    if (this.#closing) return;
    const entry = this.#entryFor(worker, password);
    if (entry === undefined) {
      // The process exited before it could be recorded: nothing to record, the exit handler cleans up.
      return;
    }
    try {
      await this.#track(
        this.registry.transact((entries) => {
          this.#taken = new Set(entries.map((e) => e.id));
          const index = entries.findIndex((e) => e.id === entry.id);
          const existing = entries[index];
          if (existing === undefined) {
            entries.push(entry);
          } else if (
            (existing.owner.pid === this.owner.pid && existing.owner.startTime === this.owner.startTime) ||
            classifyEntry(existing) === "dead"
          ) {
            entries[index] = entry;
          } else {
            throw new LifecycleError(
              "LIFECYCLE_ID_TAKEN",
              `worker id "${entry.id}" was just taken in the device registry by pid ${existing.owner.pid}`,
              {
                hints: [
                  "spawn again: the next attempt picks a free id",
                  "or run `orchestra workers cleanup`",
                ],
              },
            );
          }
          this.#taken.add(entry.id);
          this.#recorded.add(entry.id);
        }),
      );
    } catch (error) {
      if (LifecycleError.isInstance(error)) {
        await worker.stop(0);
        throw error;
      }
      this.#logger.warn(
        `could not record worker ${entry.id} in the device registry: ${(error as Error).message}`,
      );
      this.emit("registry:error", error, entry.id);
    }
    const warm = this.#tracked.get(entry.id)?.warm;
    this.#tracked.set(entry.id, { worker, entry, warm });
    this.#watch(worker, password, false);
  }

  #watch(worker: Worker, password: string | undefined, reconnected: boolean): void {
    const monitor = this.#monitor;
    if (!monitor) return;
    const info = worker.info;
    let target: HealthTarget;
    if (info.kind === "process" && info.pid !== undefined) {
      const pid = info.pid;
      const entry = this.#tracked.get(info.id)?.entry;
      target = {
        // Reconnected workers are not our children (no exit event): identity doubles as exit detection.
        liveness: () =>
          isGroupAlive(pid) &&
          (entry === undefined || !reconnected || isSameProcess(pid, entry.processStartTime)),
        probe: httpProbe(info.url, {
          path: "/global/health",
          ...(password === undefined ? {} : { auth: { username: "opencode", password } }),
        }),
      };
    } else {
      const sessionID = info.sessionId;
      target = {
        probe: async (signal) => {
          const result = await worker.client.session.get({ sessionID }, { signal });
          return result.data
            ? { status: "ok" }
            : { status: "fail", reason: `session ${sessionID} is gone from the host server` };
        },
      };
    }
    monitor.remove(info.id);
    monitor.add(info.id, target);
  }

  #hideForHealth(id: string): void {
    const tracked = this.#tracked.get(id);
    if (!tracked) return;
    this.#hiddenByHealth.add(id);
    this.#orchestra?.pool.hide(id);
  }

  #forget(id: string): Tracked | undefined {
    const tracked = this.#tracked.get(id);
    this.#tracked.delete(id);
    this.#hiddenByHealth.delete(id);
    this.#monitor?.remove(id);
    if (tracked?.warm !== undefined) this.#warm.get(tracked.warm)?.evict(tracked.worker, "worker gone");
    return tracked;
  }

  #removeEntry(id: string): void {
    if (this.#closing) return; // shutdown settles the registry in one transaction
    this.#taken.delete(id);
    void this.#track(this.registry.remove(id)).catch((error: unknown) => {
      this.#logger.warn(
        `could not remove worker ${id} from the device registry: ${(error as Error).message}`,
      );
      this.emit("registry:error", error, id);
    });
  }

  #onStopped(info: WorkerInfo): void {
    this.#forget(info.id);
    this.#removeEntry(info.id);
  }

  #onDead(info: WorkerInfo, reason: string): void {
    const tracked = this.#forget(info.id);
    // A worker declared dead by a health check may still have live processes (hung, SIGSTOPped):
    // stop it for good so nothing is orphaned. Idempotent for processes that already exited.
    if (tracked) void tracked.worker.stop(0).catch(() => undefined);
    this.#removeEntry(info.id);
    this.emit("worker:dead", info, reason);
    if (tracked?.warm !== undefined) return; // the warm pool replenishes itself
    this.#maybeRespawn(info);
  }

  #maybeRespawn(info: WorkerInfo): void {
    const { respawn } = this.#config.healthCheck;
    if (this.#closing) return void this.emit("respawn:refused", info.profile, "shutting down");
    if (!respawn.enabled)
      return void this.emit("respawn:refused", info.profile, "healthCheck.respawn.enabled is false");
    if (!this.#budget.tryConsume(info.profile)) {
      const reason = `restart budget spent: ${respawn.maxRestarts} restarts within ${respawn.windowMs} ms (next in ${this.#budget.retryAfterMs(info.profile)} ms)`;
      this.#logger.warn(`not respawning ${info.profile}: ${reason}`);
      return void this.emit("respawn:refused", info.profile, reason);
    }
    this.emit("respawn", info.profile, info.id);
    void this.#orch()
      .spawn(info.profile, { reuse: false })
      .catch((error: unknown) =>
        this.#logger.warn(`respawning ${info.profile} failed: ${(error as Error).message}`),
      );
  }

  // ---- health -----------------------------------------------------------------------------

  /** Health of every monitored worker (empty when `healthCheck.enabled` is false). */
  health(): TargetStatus[] {
    return this.#monitor?.list() ?? [];
  }

  /** Check one worker now (joins a running check). */
  async checkNow(id: string): Promise<HealthState | undefined> {
    if (!this.#monitor || this.#monitor.getState(id) === undefined) return undefined;
    return this.#monitor.checkNow(id);
  }

  // ---- warm pools -------------------------------------------------------------------------

  #startWarmPools(): void {
    const { warmPool, spawn } = this.#config;
    if (!warmPool.enabled) return;
    const orchestra = this.#orch();
    for (const [profile, settings] of Object.entries(warmPool.profiles)) {
      if (settings.size <= 0 || this.#warm.has(profile)) continue;
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
        create: async (signal) => {
          const worker = await orchestra.spawn(profile, { reuse: false, hidden: true, signal });
          const tracked = this.#tracked.get(worker.id);
          if (tracked) tracked.warm = profile;
          else this.#tracked.set(worker.id, { worker, entry: undefined, warm: profile });
          return worker;
        },
        destroy: async (worker) => {
          if (this.#promoted.has(worker)) return; // handed out: it is a regular worker now
          if (orchestra.pool.get(worker.id) === worker) {
            await orchestra.stop(worker.id).catch(() => worker.stop(0));
          } else {
            await worker.stop(0);
          }
        },
        validate: (worker) =>
          worker.status === "ready" &&
          orchestra.pool.get(worker.id) === worker &&
          (this.#monitor === undefined || this.#monitor.isAvailable(worker.id)),
      });
      pool.on("degraded", (cause) => {
        this.#logger.warn(
          `the warm pool of ${profile} is degraded: ${(cause as Error)?.message ?? String(cause)}; spawns of ${profile} start cold until it recovers`,
        );
        this.emit("warm:degraded", profile, cause);
      });
      pool.on("recovered", () => this.emit("warm:recovered", profile));
      this.#warm.set(profile, pool);
    }
  }

  /** Stats of every warm pool, by profile (`degraded` and `lastError` say why it is not warm). */
  warmStats(): Record<string, PoolStats> {
    return Object.fromEntries([...this.#warm].map(([profile, pool]) => [profile, pool.stats()]));
  }

  /** `takeWarmWorker`: the hot path of `Orchestrator.spawn`. Synchronous, no I/O. */
  #takeWarm(profile: string, reuse: boolean): Worker | undefined {
    if (this.#closing) return undefined;
    const pool = this.#warm.get(profile);
    if (pool === undefined) return undefined;
    const orchestra = this.#orch();
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
    const tracked = this.#tracked.get(worker.id);
    if (tracked) tracked.warm = undefined;
    orchestra.pool.reveal(worker.id);
    return worker;
  }

  /**
   * Lease a warm worker of `profile` for one task: exclusive (hidden from reuse) until released;
   * a clean release returns it to the warm pool, a dirty one stops it.
   * @throws {LifecycleError} `LIFECYCLE_NO_WARM_POOL`; `WarmPoolError` `POOL_DEGRADED` (fast),
   * `POOL_ACQUIRE_TIMEOUT`, `POOL_CLOSED`.
   */
  async acquire(
    profile: string,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<WorkerLease> {
    const pool = this.#warm.get(profile);
    if (pool === undefined) {
      throw new LifecycleError("LIFECYCLE_NO_WARM_POOL", `no warm pool for profile "${profile}"`, {
        hints: [
          this.#warm.size
            ? `warm profiles: ${[...this.#warm.keys()].join(", ")}`
            : "set warmPool.enabled and warmPool.profiles.<id>.size in orchestrator.json",
        ],
      });
    }
    const lease = await pool.acquire(options);
    return {
      worker: lease.resource,
      release: (opts = {}) => lease.release(opts),
    };
  }

  // ---- shutdown ---------------------------------------------------------------------------

  /**
   * Graceful shutdown: stop taking work (health checks, renewals, warm pools), cancel in-flight
   * spawns, tell each worker (abort its session), dispose its instance, SIGTERM, and SIGKILL
   * after `spawn.shutdownGraceMs`, by process group. Then remove our entries from the registry in
   * one transaction, mark any survivor `orphaned`, and write the recovery manifest atomically
   * when anything survived. Past `deadlineMs` every known group is SIGKILLed. Idempotent.
   */
  shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    this.#shutdown ??= this.#doShutdown(options.deadlineMs ?? this.#config.spawn.shutdownGraceMs * 2 + 5_000);
    return this.#shutdown;
  }

  async #doShutdown(deadlineMs: number): Promise<ShutdownReport> {
    const started = performance.now();
    this.#closing = true;
    clearInterval(this.#renewTimer);
    this.#monitor?.stop();
    const orchestra = this.#orchestra;
    const graceMs = this.#config.spawn.shutdownGraceMs;
    const known = new Map<string, RegistryEntry>();
    for (const [id, t] of this.#tracked) if (t.entry) known.set(id, t.entry);
    for (const id of known.keys()) this.#recorded.add(id);
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      deadlineTimer = setTimeout(() => resolve("deadline"), deadlineMs);
      deadlineTimer.unref();
    });
    const graceful = (async () => {
      // Warm pools first: abort their creations and stop their idle workers.
      await Promise.allSettled([...this.#warm.values()].map((p) => p.close({ deadlineMs: graceMs })));
      if (!orchestra) return [] as string[];
      // Tell each worker: abort whatever it is doing (bounded).
      await Promise.allSettled(
        [...orchestra.pool.list()]
          .filter((w) => w.status === "ready" || w.status === "busy")
          .map((w) =>
            orchestra.pool
              .get(w.id)
              ?.client.session.abort({ sessionID: w.sessionId }, { signal: AbortSignal.timeout(1_000) }),
          ),
      );
      const stopped = await orchestra.shutdown();
      return stopped.map((w) => w.id);
    })();
    const outcome = await Promise.race([graceful, deadline]);
    clearTimeout(deadlineTimer);
    const forced = outcome === "deadline";
    if (forced) this.forceKill();
    const stopped = forced ? [] : (outcome as string[]);
    await Promise.allSettled([...this.#pendingWrites]);

    // Whatever is still alive now is a leftover: SIGKILL its group once more and record it.
    const leftovers: RegistryEntry[] = [];
    for (const entry of known.values()) {
      if (entry.kind !== "process" || entry.pgid === null) continue;
      if (isSameProcess(entry.pid, entry.processStartTime)) {
        killGroup(entry.pgid, "SIGKILL");
        await new Promise((r) => setTimeout(r, 50));
        if (isSameProcess(entry.pid, entry.processStartTime)) leftovers.push(entry);
      } else if (isGroupAlive(entry.pgid) && processStartTime(entry.pgid) === undefined) {
        killGroup(entry.pgid, "SIGKILL");
      }
    }
    const leftoverIds = new Set(leftovers.map((e) => e.id));
    let manifestWritten = false;
    if (this.owner.kind === "orchestrator") {
      try {
        await this.registry.transact((entries) => {
          for (let i = entries.length - 1; i >= 0; i--) {
            const e = entries[i] as RegistryEntry;
            if (e.owner.pid !== this.owner.pid || e.owner.startTime !== this.owner.startTime) continue;
            if (!this.#recorded.has(e.id)) continue; // another lifecycle of this process
            if (leftoverIds.has(e.id)) entries[i] = { ...e, status: "orphaned" };
            else entries.splice(i, 1);
          }
        });
      } catch (error) {
        this.#logger.warn(`could not settle the device registry on shutdown: ${(error as Error).message}`);
      }
      try {
        manifestWritten = await this.#writeManifest(leftovers);
      } catch (error) {
        this.#logger.warn(`could not write the recovery manifest: ${(error as Error).message}`);
      }
    }
    return {
      stopped,
      leftovers: [...leftoverIds],
      forced,
      manifestWritten,
      durationMs: performance.now() - started,
    };
  }

  async #writeManifest(leftovers: RegistryEntry[]): Promise<boolean> {
    const file = this.#options.manifestFile;
    const options = { ...(file === undefined ? {} : { file }), logger: this.#logger };
    const previous = await readManifest(options);
    // One manifest path per user: keep the still-live workers another orchestrator left in it.
    const carried = (previous?.workers ?? []).filter(
      (w) => !leftovers.some((l) => l.id === w.id) && isSameProcess(w.pid, w.processStartTime),
    );
    const workers: ManifestWorker[] = [
      ...carried,
      ...leftovers.map((e) => ({
        id: e.id,
        pid: e.pid,
        pgid: e.pgid,
        processStartTime: e.processStartTime,
        url: e.url,
        ...(e.passwordHash === undefined ? {} : { passwordHash: e.passwordHash }),
      })),
    ];
    if (workers.length === 0) return false;
    await writeManifest(
      {
        orchestrator: { pid: this.owner.pid, startTime: this.owner.startTime },
        writtenAt: Date.now(),
        workers,
      },
      options,
    );
    return true;
  }

  /**
   * The last resort (a second signal, or the shutdown deadline): synchronously cancel in-flight
   * spawns and SIGKILL the process group of every process worker we know, identity permitting.
   */
  forceKill(): void {
    this.#closing = true;
    clearInterval(this.#renewTimer);
    this.#monitor?.stop();
    const orchestra = this.#orchestra;
    // close() aborts in-flight spawns synchronously (their groups are SIGKILLed at once).
    if (orchestra && !orchestra.pool.closed) void orchestra.pool.close(0).catch(() => undefined);
    const groups = new Map<number, string>();
    for (const t of this.#tracked.values()) {
      const e = t.entry;
      if (e?.kind === "process" && e.pgid !== null) groups.set(e.pgid, e.processStartTime);
    }
    for (const w of orchestra?.pool.list() ?? []) {
      if (w.kind === "process" && w.pid !== undefined && !groups.has(w.pid)) {
        const st = processStartTime(w.pid);
        if (st !== undefined) groups.set(w.pid, st);
      }
    }
    for (const [pgid, startTime] of groups) {
      if (isSameProcess(pgid, startTime)) killGroup(pgid, "SIGKILL");
    }
  }

  /**
   * Let go without stopping anything (the CLI: its workers outlive it). Stops timers, health
   * checks and warm pools' background work; registry entries stay.
   */
  async detach(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#renewTimer);
    this.#monitor?.stop();
    await Promise.allSettled([...this.#warm.values()].map((p) => p.drain({ deadlineMs: 0 })));
    await Promise.allSettled([...this.#pendingWrites]);
  }
}

/**
 * Create the worker lifecycle: loads (or creates) the per-user worker secret, so that worker
 * passwords can be re-derived after a restart. An unusable secret file (readable by others)
 * is reported and the lifecycle runs without reconnect (random passwords).
 *
 * @example
 * const lifecycle = await createWorkerLifecycle({ config, directory, host });
 * const orchestra = new Orchestrator({ config, directory, profiles, host, hooks: { ...lifecycle.hooks } });
 * lifecycle.attach(orchestra);
 * await lifecycle.start(); // recovery report
 * // … on dispose / SIGTERM:
 * await lifecycle.shutdown();
 */
export async function createWorkerLifecycle(options: WorkerLifecycleOptions): Promise<WorkerLifecycle> {
  let secret: Buffer | undefined;
  try {
    secret = await loadWorkerSecret(options.secretFile);
  } catch (error) {
    (options.logger ?? consoleRegistryLogger).warn(
      `${(error as Error).message}; workers get random passwords and cannot be reconnected after a restart`,
    );
  }
  return new WorkerLifecycle(options, secret);
}
