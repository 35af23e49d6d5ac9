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
import type { Worker } from "../workers/worker.js";

/** What the health watch tells the lifecycle. */
export interface HealthWatchHooks {
  /** Confirmed dead: the pool marks it so. */
  dead(id: string, reason: string): void;
  /** Not to be handed out until it recovers (suspect or misconfigured). */
  hide(id: string, state: "suspect" | "misconfigured", reason: string): void;
  /** Healthy again after being hidden. */
  recovered(id: string): void;
  /** A check fired `lagMs` late (event loop blocked). */
  stall(id: string, lagMs: number): void;
}

/**
 * Watches the lifecycle's workers with a health monitor (`healthCheck.*`): liveness (process group,
 * and identity for reconnected workers) plus an HTTP or session probe. Inert when
 * `healthCheck.enabled` is false.
 */
export class HealthWatch {
  readonly #monitor: HealthMonitor | undefined;
  #stopped = false;

  constructor(config: OrchestratorConfig, hooks: HealthWatchHooks) {
    const hc = config.healthCheck;
    if (!hc.enabled) return;
    const monitor = createHealthMonitor({
      intervalMs: hc.intervalMs,
      timeoutMs: hc.timeoutMs,
      maxRetries: hc.maxRetries,
      recoverySuccesses: hc.recoverySuccesses,
    });
    monitor.on("dead", (id, reason) => hooks.dead(id, `health check (${reason.source}): ${reason.message}`));
    monitor.on("suspect", (id, reason) => hooks.hide(id, "suspect", reason));
    monitor.on("misconfigured", (id, reason) => hooks.hide(id, "misconfigured", reason));
    monitor.on("recovered", (id) => hooks.recovered(id));
    monitor.on("stall", ({ id, lagMs }) => hooks.stall(id, lagMs));
    this.#monitor = monitor;
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
