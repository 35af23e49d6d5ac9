import type { OrchestratorConfig } from "@orchestra/config";
import {
  createHealthMonitor,
  type HealthMonitor,
  type HealthState,
  type HealthTarget,
  httpProbe,
  type TargetStatus,
} from "@orchestra/health";
import { isGroupAlive, isSameProcess } from "@orchestra/process";
import type { RegistryLogger } from "../registry/logger.js";
import type { Worker } from "../workers/worker.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import type { LifecycleEmit } from "./lifecycle-types.js";
import type { TrackedWorkers } from "./tracked.js";

/** What the health watch needs from the lifecycle. */
export interface HealthWatchDeps {
  config: OrchestratorConfig;
  logger: RegistryLogger;
  workers: TrackedWorkers;
  /** The orchestrator's pool, once attached. */
  pool: () => WorkerPool | undefined;
  emit: LifecycleEmit;
}

/**
 * Watches the lifecycle's workers with a health monitor (`healthCheck.*`): liveness (process group,
 * and identity for reconnected workers) plus an HTTP or session probe. Inert when
 * `healthCheck.enabled` is false. A suspect or misconfigured worker is hidden from reuse until it
 * recovers; every verdict is forwarded as a lifecycle event (`health:*`, `worker:dead` via the pool).
 */
export class HealthWatch {
  readonly #monitor: HealthMonitor | undefined;
  #stopped = false;

  readonly #d: HealthWatchDeps;

  constructor(deps: HealthWatchDeps) {
    this.#d = deps;
    const hc = deps.config.healthCheck;
    if (!hc.enabled) return;
    const monitor = createHealthMonitor({
      intervalMs: hc.intervalMs,
      timeoutMs: hc.timeoutMs,
      maxRetries: hc.maxRetries,
      recoverySuccesses: hc.recoverySuccesses,
    });
    monitor.on("dead", (id, reason) =>
      deps.pool()?.markDead(id, `health check (${reason.source}): ${reason.message}`),
    );
    monitor.on("suspect", (id, reason) => this.#hide(id, "suspect", reason));
    monitor.on("misconfigured", (id, reason) => this.#hide(id, "misconfigured", reason));
    monitor.on("recovered", (id) => this.#recovered(id));
    monitor.on("stall", ({ id, lagMs }) => deps.emit("health:stall", id, lagMs));
    this.#monitor = monitor;
  }

  /** Suspect or misconfigured: hidden from reuse (and from warm hand-outs) until it recovers. */
  #hide(id: string, state: "suspect" | "misconfigured", reason: string): void {
    const row = this.#d.workers.get(id);
    if (!row) return;
    this.#d.logger.warn(
      state === "suspect"
        ? `worker ${id} is suspect: ${reason}; not handed out until it recovers`
        : `worker ${id} refuses our credentials: ${reason}`,
    );
    row.hidden = state;
    this.#d.pool()?.hide(id);
    this.#d.emit(state === "suspect" ? "health:suspect" : "health:misconfigured", id, reason);
  }

  #recovered(id: string): void {
    const row = this.#d.workers.get(id);
    if (row?.hidden === undefined) return;
    row.hidden = undefined;
    if (row.warm === undefined) this.#d.pool()?.reveal(id);
    this.#d.emit("health:recovered", id);
  }

  /**
   * Start watching a ready worker (replacing an earlier watch of its id). `startTime` (the worker
   * process's start-time token) makes liveness an identity check for reconnected workers, which are
   * not our children and send no exit event. Does nothing once stopped.
   */
  watch(worker: Worker, password: string | undefined, reconnected: { startTime: string } | undefined): void {
    const monitor = this.#monitor;
    if (!monitor || this.#stopped) return;
    const info = worker.info;
    let target: HealthTarget;
    if (info.kind === "process" && info.pid !== undefined) {
      const pid = info.pid;
      target = {
        liveness: () =>
          isGroupAlive(pid) && (reconnected === undefined || isSameProcess(pid, reconnected.startTime)),
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

  /** Stop watching `id`. */
  forget(id: string): void {
    this.#monitor?.remove(id);
  }

  /** True unless health checks say the worker must not be handed out now. */
  isAvailable(id: string): boolean {
    return this.#monitor === undefined || this.#monitor.isAvailable(id);
  }

  /** The worker's health state, or `undefined` when not watched (or health checks are off). */
  stateOf(id: string): HealthState | undefined {
    return this.#monitor?.getState(id);
  }

  /** Health of every watched worker. */
  list(): TargetStatus[] {
    return this.#monitor?.list() ?? [];
  }

  /** Check one worker now (joins a running check); `undefined` when it is not watched. */
  async checkNow(id: string): Promise<HealthState | undefined> {
    if (!this.#monitor || this.#monitor.getState(id) === undefined) return undefined;
    return this.#monitor.checkNow(id);
  }

  /** Stop every check. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#monitor?.stop();
  }
}
