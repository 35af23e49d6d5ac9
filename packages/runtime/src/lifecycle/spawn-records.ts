import type { Orchestrator } from "../orchestrator.js";
import type { RegistryEntry } from "../registry/schema.js";
import type { Worker } from "../workers/worker.js";
import type { HealthWatch } from "./health-watch.js";
import { LifecycleError } from "./lifecycle-error.js";
import { type EntryContext, readyEntry, startingEntry } from "./registry-entry.js";
import type { RegistrySync } from "./registry-sync.js";
import { type Tracked, type TrackedWorkers, tracked } from "./tracked.js";
import type { WarmPools } from "./warm-pools.js";
import { deriveWorkerPassword } from "./worker-secret.js";

/** What spawn recording needs from the lifecycle. */
export interface SpawnRecordsDeps {
  secret: Buffer | undefined;
  entry: EntryContext;
  workers: TrackedWorkers;
  sync: RegistrySync;
  health: HealthWatch;
  warm: WarmPools;
  closing: () => boolean;
}

/**
 * A worker's life in the lifecycle's table and the registry, from launch to end: its password is
 * derived (so a restarted orchestrator can reconnect), it is recorded `starting` as soon as its
 * process exists, `ready` (and watched) once ready, and forgotten everywhere when it ends. A
 * registry failure never fails a spawn (it is reported and retried by {@link RegistrySync}); a
 * worker that becomes ready during shutdown is stopped here, so shutdown never misses it.
 */
export class SpawnRecords {
  readonly #d: SpawnRecordsDeps;
  /** Per spawning id: when its password was derived (the entry's `createdAt`) and the password. */
  readonly #launches = new Map<string, { createdAt: number; password: string | undefined }>();

  constructor(deps: SpawnRecordsDeps) {
    this.#d = deps;
  }

  /** `workerPassword`: derived from the per-user secret, or `undefined` (random) without one. */
  password(id: string): string | undefined {
    const createdAt = Date.now();
    const secret = this.#d.secret;
    const password = secret === undefined ? undefined : deriveWorkerPassword(secret, id, createdAt);
    this.#launches.set(id, { createdAt, password });
    return password;
  }

  /** `onWorkerLaunched`: record it `starting`, so that a crash now leaves it findable. */
  launched(id: string, profile: string, pid: number): void {
    if (this.#d.closing()) return;
    this.#d.workers.set(id, tracked(profile, { pid }));
    const launch = this.#launches.get(id) ?? { createdAt: Date.now(), password: undefined };
    const entry = startingEntry(this.#d.entry, { id, profile, pid, ...launch });
    if (entry === undefined) return;
    this.#d.sync.set(entry);
    void this.#d.sync.flush();
  }

  /** `onWorkerLaunchFailed`: forget it; resolves once the registry no longer holds it. */
  async launchFailed(id: string): Promise<void> {
    this.forget(id);
    if (!this.#d.closing()) await this.#d.sync.flush();
  }

  /**
   * `onWorkerReady`: record it `ready` and watch it.
   * @throws {LifecycleError} `LIFECYCLE_ID_TAKEN` (another live owner holds the id) or
   * `LIFECYCLE_CLOSED` (shutdown began meanwhile); the worker is stopped first.
   */
  async ready(worker: Worker, password: string | undefined): Promise<void> {
    const { sync, closing } = this.#d;
    const id = worker.id;
    // Shutdown already began: the pool stops the worker (it is closed, or closes next).
    if (closing()) return;
    const launch = this.#launches.get(id);
    this.#launches.delete(id);
    const entry = readyEntry(this.#d.entry, worker, launch?.createdAt ?? Date.now(), password);
    if (entry === undefined) return; // its process already exited: the exit handler cleans up
    const row = this.#d.workers.get(id) ?? tracked(entry.profile);
    Object.assign(row, { worker, pid: worker.info.pid });
    this.#d.workers.set(id, row);
    sync.set(entry);
    await sync.flush(); // a failure was reported as `registry:error` and is retried
    const conflict = sync.conflict(id);
    if (closing() || conflict) {
      this.forget(id);
      await worker.stop(0);
      throw (
        conflict ??
        new LifecycleError("LIFECYCLE_CLOSED", `worker ${id} became ready during shutdown and was stopped`, {
          hints: ["spawn after the orchestrator has started again"],
        })
      );
    }
    this.#d.health.watch(worker, password, undefined);
  }

  /** Recovery's `adopt`: take a reconnected worker of ours (identity-checked by its watch). */
  adopt(orchestra: Orchestrator, worker: Worker, entry: RegistryEntry): boolean {
    if (this.#d.closing()) return false;
    orchestra.pool.adopt(worker);
    const secret = this.#d.secret;
    const password =
      secret === undefined ? undefined : deriveWorkerPassword(secret, entry.id, entry.createdAt);
    this.#d.workers.set(worker.id, tracked(entry.profile, { worker, pid: worker.info.pid }));
    this.#d.sync.set({ ...entry, owner: { ...this.#d.entry.owner }, status: "ready" });
    this.#d.health.watch(worker, password, { startTime: entry.processStartTime });
    return true;
  }

  /** Drop a worker everywhere (table, health watch, warm pool, registry); returns its row. */
  forget(id: string): Tracked | undefined {
    const { workers, health, warm, sync, closing } = this.#d;
    const row = workers.get(id);
    workers.delete(id);
    this.#launches.delete(id);
    health.forget(id);
    if (row?.warm !== undefined && row.worker) warm.evict(row.worker, row.warm);
    sync.drop(id);
    if (!closing()) void sync.flush(); // shutdown settles the registry in one transaction
    return row;
  }
}
