import { EventEmitter } from "node:events";
import type { HealthState, TargetStatus } from "@orchestra/health";
import { currentProcessIdentity } from "@orchestra/process";
import type { PoolStats } from "@orchestra/warm-pool";
import type { Orchestrator } from "../orchestrator.js";
import { consoleRegistryLogger, type RegistryLogger } from "../registry/logger.js";
import { type DeviceRegistry, openRegistry } from "../registry/registry.js";
import type { RegistryOwner } from "../registry/schema.js";
import { withWorktreeSweep } from "../worktree/worktree-recovery.js";
import { DeathRespawn } from "./death-respawn.js";
import { describeWorkers } from "./describe-workers.js";
import { HealthWatch } from "./health-watch.js";
import { LifecycleError } from "./lifecycle-error.js";
import type {
  LifecycleEmit,
  LifecycleHooks,
  LifecycleWorker,
  ShutdownReport,
  WorkerLease,
  WorkerLifecycleEvents,
  WorkerLifecycleOptions,
} from "./lifecycle-types.js";
import { type RecoveryReport, recoverWorkers } from "./recovery.js";
import { RegistrySync } from "./registry-sync.js";
import { forceKill, runShutdown } from "./shutdown.js";
import { SpawnRecords } from "./spawn-records.js";
import type { TrackedWorkers } from "./tracked.js";
import { WarmPools } from "./warm-pools.js";
import { loadWorkerSecret } from "./worker-secret.js";

/**
 * Assembles the device registry, health monitor, warm pools, graceful shutdown and recovery
 * around an {@link Orchestrator}. Create it with {@link createWorkerLifecycle}, pass
 * {@link WorkerLifecycle.hooks} to the orchestrator, then {@link WorkerLifecycle.attach} and
 * {@link WorkerLifecycle.start}. Each job is a collaborator: {@link RegistrySync},
 * {@link HealthWatch}, {@link WarmPools}, {@link DeathRespawn} and `runShutdown`.
 */
export class WorkerLifecycle extends EventEmitter<WorkerLifecycleEvents> {
  readonly registry: DeviceRegistry;
  readonly owner: RegistryOwner;
  readonly #o: WorkerLifecycleOptions;
  readonly #secret: Buffer | undefined;
  readonly #logger: RegistryLogger;
  readonly #workers: TrackedWorkers = new Map();
  readonly #hostPid: number;
  readonly #sync: RegistrySync;
  readonly #health: HealthWatch;
  readonly #warm: WarmPools;
  readonly #death: DeathRespawn;
  readonly #records: SpawnRecords;
  #orchestra: Orchestrator | undefined;
  #closing = false;
  #shutdown: Promise<ShutdownReport> | undefined;

  /** The hooks to pass to the orchestrator (merge your own beside them). */
  readonly hooks: LifecycleHooks;

  /** Use {@link createWorkerLifecycle}. */
  constructor(options: WorkerLifecycleOptions, secret: Buffer | undefined) {
    super();
    this.#o = options;
    this.#secret = secret;
    const logger = options.logger ?? consoleRegistryLogger;
    this.#logger = logger;
    const { registryFile: file, config } = options;
    this.registry = options.registry ?? openRegistry({ ...(file === undefined ? {} : { file }), logger });
    const me = currentProcessIdentity();
    this.owner = { kind: options.owner ?? "orchestrator", pid: me.pid, startTime: me.startTime };
    const entry = {
      owner: this.owner,
      directory: options.directory,
      ttlMs: config.spawn.registryTtlMs,
      hostPid: options.hostPid ?? process.pid,
    };
    this.#hostPid = entry.hostPid;
    const emit: LifecycleEmit = (event, ...args) => {
      (this.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
    };
    const orchestra = () => this.#orch();
    const closing = () => this.#closing;
    const workers = this.#workers;
    const onError = (error: unknown, ids: string[]) => {
      if (ids.length === 0) emit("registry:error", error, undefined);
      for (const id of ids) emit("registry:error", error, id);
    };
    const sync = new RegistrySync({ registry: this.registry, owner: this.owner, logger, onError });
    const health = new HealthWatch({ config, logger, workers, pool: () => this.#orchestra?.pool, emit });
    const maxQueue = options.warmPoolMaxQueue;
    const warm = new WarmPools({ config, logger, maxQueue, orchestra, workers, health, sync, closing, emit });
    const records = new SpawnRecords({ secret, entry, workers, sync, health, warm, closing });
    const forget = (id: string) => records.forget(id);
    this.#death = new DeathRespawn({ config, logger, orchestra, closing, forget, emit });
    [this.#sync, this.#health, this.#warm, this.#records] = [sync, health, warm, records];
    this.hooks = {
      takenIds: () => sync.takenNow(),
      workerPassword: (id) => records.password(id),
      onWorkerLaunched: (id, launch) => records.launched(id, launch.profile, launch.pid),
      onWorkerLaunchFailed: (id) => records.launchFailed(id),
      onWorkerReady: (worker, extra) => records.ready(worker, extra.password),
      takeWarmWorker: (profile, { reuse }) => warm.take(profile, reuse),
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
    orchestra.pool.on("worker:dead", (info, reason) => this.#death.onDead(info, reason));
    orchestra.pool.on("worker:stopped", (info) => this.#death.onStopped(info));
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
   * Start: recover (reconnect our orphans, stop the rest, clean the registry, delete the
   * manifest), start renewing our entries, then start the warm pools. Resolves with the
   * recovery report.
   */
  async start(): Promise<RecoveryReport> {
    this.#orch();
    const report = await this.recover();
    await this.#sync.refreshTaken();
    const ttl = this.#o.config.spawn.registryTtlMs;
    this.#sync.startRenewing(this.#o.renewIntervalMs ?? Math.min(60_000, Math.floor(ttl / 3)));
    this.#warm.start();
    return report;
  }

  /** Run recovery now (also what `start` does first). */
  recover(): Promise<RecoveryReport> {
    const orchestra = this.#orch();
    const { host, manifestFile } = this.#o;
    const recovered = recoverWorkers({
      registry: this.registry,
      owner: this.owner,
      ...(manifestFile === undefined ? {} : { manifestFile }),
      ...(this.#secret === undefined ? {} : { secret: this.#secret }),
      directory: this.#o.directory,
      ...(host ? { host: { pid: this.#hostPid, client: host.client } } : {}),
      graceMs: this.#o.config.spawn.shutdownGraceMs,
      probeTimeoutMs: this.#o.config.healthCheck.timeoutMs,
      logger: this.#logger,
      adopt: (worker, entry) => this.#records.adopt(orchestra, worker, entry),
    });
    // Then the worktrees of this project's workers that are gone: empty ones removed, changed ones kept.
    const sweep = { registry: this.registry, project: this.#o.directory, logger: this.#logger };
    return recovered.then((report) => withWorktreeSweep(report, sweep));
  }

  /** Renew our entries now (also done on a timer); entries of ours that vanished are written back. */
  renewNow(): Promise<void> {
    return this.#closing ? Promise.resolve() : this.#sync.renewNow();
  }

  /** Every worker this lifecycle holds, starting ones included, with health and registry state. */
  workers(): LifecycleWorker[] {
    return describeWorkers(this.#workers, this.#health, this.#sync);
  }

  /** Health of every monitored worker (empty when `healthCheck.enabled` is false). */
  health(): TargetStatus[] {
    return this.#health.list();
  }

  /** Check one worker now (joins a running check). */
  checkNow(id: string): Promise<HealthState | undefined> {
    return this.#health.checkNow(id);
  }

  /** Stats of every warm pool, by profile (`degraded` and `lastError` say why it is not warm). */
  warmStats(): Record<string, PoolStats> {
    return this.#warm.stats();
  }

  /**
   * Lease a warm worker of `profile` for one task: exclusive (hidden from reuse) until released,
   * and recorded as `busy` in the registry meanwhile; a clean release returns it to the warm pool,
   * a dirty one stops it.
   * @throws {LifecycleError} `LIFECYCLE_NO_WARM_POOL`; `WarmPoolError` `POOL_DEGRADED` (fast),
   * `POOL_QUEUE_FULL` (fast, with `warmPoolMaxQueue`), `POOL_ACQUIRE_TIMEOUT`, `POOL_CLOSED`.
   */
  acquire(profile: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<WorkerLease> {
    return this.#warm.acquire(profile, options);
  }

  // ---- the end ------------------------------------------------------------------------------

  /**
   * Graceful shutdown: stop taking work (health checks, renewals, warm pools), cancel in-flight
   * spawns, tell each worker (abort its session), dispose its instance, SIGTERM, and SIGKILL
   * after `spawn.shutdownGraceMs`, by process group. Then remove our entries from the registry in
   * one transaction, mark any survivor `orphaned`, and write the recovery manifest atomically
   * when anything survived. Past `deadlineMs` every known group is SIGKILLed. Idempotent.
   */
  shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    this.#closing = true;
    const graceMs = this.#o.config.spawn.shutdownGraceMs;
    const [owner, logger, manifestFile, orchestra] = [
      this.owner,
      this.#logger,
      this.#o.manifestFile,
      this.#orchestra,
    ];
    const deps = {
      owner,
      graceMs,
      logger,
      manifestFile,
      orchestra,
      warm: this.#warm,
      health: this.#health,
      sync: this.#sync,
    };
    this.#shutdown ??= runShutdown(deps, options.deadlineMs ?? graceMs * 2 + 5_000);
    return this.#shutdown;
  }

  /**
   * The last resort (a second signal, or the shutdown deadline): synchronously cancel in-flight
   * spawns and SIGKILL the process group of every process worker we know, identity permitting.
   */
  forceKill(): void {
    this.#closing = true;
    void this.#sync.stop();
    forceKill({ orchestra: this.#orchestra, health: this.#health, sync: this.#sync });
  }

  /**
   * Let go without stopping anything (the CLI: its workers outlive it). Stops timers, health
   * checks and warm pools' background work; registry entries stay.
   */
  async detach(): Promise<void> {
    this.#closing = true;
    this.#health.stop();
    await this.#warm.drain();
    await this.#sync.flush();
    await this.#sync.stop();
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

export type {
  LifecycleWorker,
  ShutdownReport,
  WorkerLease,
  WorkerLifecycleEvents,
  WorkerLifecycleOptions,
} from "./lifecycle-types.js";
