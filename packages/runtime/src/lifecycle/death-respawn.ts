import type { OrchestratorConfig } from "@orchestra/config";
import { createRestartBudget, type RestartBudget } from "@orchestra/health";
import type { Orchestrator } from "../orchestrator.js";
import type { RegistryLogger } from "../registry/logger.js";
import type { WorkerInfo } from "../workers/worker.js";
import type { LifecycleEmit } from "./lifecycle-types.js";
import type { Tracked } from "./tracked.js";

/** What death handling needs from the lifecycle. */
export interface DeathRespawnDeps {
  config: OrchestratorConfig;
  logger: RegistryLogger;
  orchestra: () => Orchestrator;
  closing: () => boolean;
  /** Drop the worker everywhere (table, health watch, warm pool, registry); returns its row. */
  forget: (id: string) => Tracked | undefined;
  emit: LifecycleEmit;
}

/**
 * Death and respawn: a worker that stopped is forgotten; a worker that died is forgotten, stopped
 * for good (a hung process may still be alive), reported (`worker:dead`), and its profile
 * respawned within the restart budget (`healthCheck.respawn`). Warm-pool workers are not
 * respawned here: their pool replenishes itself.
 */
export class DeathRespawn {
  readonly #d: DeathRespawnDeps;
  readonly #budget: RestartBudget;

  constructor(deps: DeathRespawnDeps) {
    this.#d = deps;
    const { respawn } = deps.config.healthCheck;
    this.#budget = createRestartBudget({ maxRestarts: respawn.maxRestarts, windowMs: respawn.windowMs });
  }

  /** The pool's `worker:stopped`. */
  onStopped(info: WorkerInfo): void {
    this.#d.forget(info.id);
  }

  /** The pool's `worker:dead`. */
  onDead(info: WorkerInfo, reason: string): void {
    const row = this.#d.forget(info.id);
    // A worker declared dead by a health check may still have live processes (hung, SIGSTOPped):
    // stop it for good so nothing is orphaned. Idempotent for processes that already exited.
    if (row?.worker) void row.worker.stop(0).catch(() => undefined);
    this.#d.emit("worker:dead", info, reason);
    if (row?.warm !== undefined) return; // the warm pool replenishes itself
    this.#maybeRespawn(info);
  }

  #maybeRespawn(info: WorkerInfo): void {
    const { respawn } = this.#d.config.healthCheck;
    if (this.#d.closing()) return void this.#d.emit("respawn:refused", info.profile, "shutting down");
    if (!respawn.enabled)
      return void this.#d.emit("respawn:refused", info.profile, "healthCheck.respawn.enabled is false");
    if (!this.#budget.tryConsume(info.profile)) {
      const reason = `restart budget spent: ${respawn.maxRestarts} restarts within ${respawn.windowMs} ms (next in ${this.#budget.retryAfterMs(info.profile)} ms)`;
      this.#d.logger.warn(`not respawning ${info.profile}: ${reason}`);
      return void this.#d.emit("respawn:refused", info.profile, reason);
    }
    this.#d.emit("respawn", info.profile, info.id);
    void this.#d
      .orchestra()
      .spawn(info.profile, { reuse: false })
      .catch((error: unknown) =>
        this.#d.logger.warn(`respawning ${info.profile} failed: ${(error as Error).message}`),
      );
  }
}
