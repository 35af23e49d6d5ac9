import { EventEmitter } from "node:events";
import type { BudgetWarning } from "../budget/budget-guard.js";
import { nextWorkerId } from "../registry/worker-id.js";
import { RuntimeError } from "../runtime-error.js";
import type { ModelFallback } from "./model-fallback.js";
import type { SpawnProgress } from "./spawn.js";
import type { Worker, WorkerInfo } from "./worker.js";

/** Events of a {@link WorkerPool}. */
export interface WorkerPoolEvents {
  "worker:ready": [info: WorkerInfo];
  "worker:dead": [info: WorkerInfo, reason: string];
  "worker:stopped": [info: WorkerInfo];
  "spawn:progress": [progress: SpawnProgress];
  /** An ask moved to the next model of its worker's list (the worker's model failed). */
  "model:fallback": [fallback: ModelFallback];
  /** A job's spending reached its profile budget's warning fraction (`budgets.<profile>.warnAt`). */
  "budget:warning": [warning: BudgetWarning];
}

/** Starts one worker; the pool passes the id it allocated. */
export type WorkerStarter = (
  id: string,
  context: { signal: AbortSignal; onProgress: (p: SpawnProgress) => void },
) => Promise<Worker>;

/** Options of {@link WorkerPool.spawn}. */
export interface PoolSpawnOptions {
  /** Reuse a ready worker of the profile instead of starting another (default true). */
  reuse?: boolean;
  onProgress?: (progress: SpawnProgress) => void;
  signal?: AbortSignal;
  /** Ids in use elsewhere (other orchestrators' workers in the device registry). */
  takenIds?: Iterable<string>;
  /**
   * Keep the new worker out of reuse (`findByProfile` and joining a pending spawn) until
   * {@link WorkerPool.reveal} is called: a warm-pool worker waiting for its lease.
   */
  hidden?: boolean;
}

/**
 * The single source of truth for the workers one orchestrator owns. It de-duplicates
 * concurrent spawns of a profile, reports every worker's status, streams spawn progress and
 * cancels in-flight spawns on shutdown.
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #workers = new Map<string, Worker>();
  readonly #starting = new Map<
    string,
    { profile: string; info: WorkerInfo; promise: Promise<Worker>; controller: AbortController }
  >();
  readonly #hidden = new Set<string>();
  #closed = false;

  /** Every worker, starting ones included, in start order. */
  list(): WorkerInfo[] {
    return [
      ...[...this.#workers.values()].map((w) => w.info),
      ...[...this.#starting.values()].map((s) => ({ ...s.info })),
    ];
  }

  /** The worker with this id, if it is ready, busy or dead (not yet removed). */
  get(id: string): Worker | undefined {
    return this.#workers.get(id);
  }

  /**
   * The worker with this id, or a `WORKER_NOT_FOUND` error naming the workers that exist.
   */
  require(id: string): Worker {
    const worker = this.#workers.get(id);
    if (worker) return worker;
    const known = this.list().map((w) => `${w.id} (${w.status})`);
    throw new RuntimeError(
      "WORKER_NOT_FOUND",
      `no worker "${id}"; ${known.length ? `workers: ${known.join(", ")}` : "no workers are running"}`,
      {
        hints: ["list them with list_workers, or start one with spawn_worker <profile>"],
      },
    );
  }

  /** A ready or busy worker of `profile`, preferring an idle one. */
  findByProfile(profile: string): Worker | undefined {
    const live = [...this.#workers.values()].filter(
      (w) =>
        w.info.profile === profile &&
        (w.status === "ready" || w.status === "busy") &&
        !this.#hidden.has(w.id),
    );
    return live.find((w) => w.status === "ready") ?? live[0];
  }

  /**
   * Spawn a worker of `profile` with `start`. Concurrent spawns of the same profile share one
   * start; with `reuse` (the default) a ready worker of the profile is returned as is.
   */
  async spawn(profile: string, start: WorkerStarter, options: PoolSpawnOptions = {}): Promise<Worker> {
    if (this.#closed)
      throw new RuntimeError("WORKER_SPAWN_CANCELLED", "the orchestrator is shutting down; no new workers");
    if (options.reuse !== false) {
      const existing = this.findByProfile(profile);
      if (existing) return existing;
      const pending = [...this.#starting.entries()].find(
        ([id, s]) => s.profile === profile && !this.#hidden.has(id),
      )?.[1];
      if (pending) return pending.promise;
    }
    const id = nextWorkerId(profile, [
      ...this.#workers.keys(),
      ...this.#starting.keys(),
      ...(options.takenIds ?? []),
    ]);
    if (options.hidden) this.#hidden.add(id);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
    const info: WorkerInfo = {
      id,
      profile,
      kind: "process",
      status: "starting",
      model: "",
      url: "",
      sessionId: "",
      startedAt: Date.now(),
    };
    const onProgress = (p: SpawnProgress) => {
      options.onProgress?.(p);
      this.emit("spawn:progress", p);
    };
    const promise = start(id, { signal, onProgress }).then(
      (worker) => {
        this.#starting.delete(id);
        if (this.#closed) {
          void worker.stop(0);
          throw new RuntimeError(
            "WORKER_SPAWN_CANCELLED",
            `spawn of ${id} cancelled: the orchestrator is shutting down`,
          );
        }
        this.#workers.set(id, worker);
        this.emit("worker:ready", worker.info);
        return worker;
      },
      (error: unknown) => {
        this.#starting.delete(id);
        this.#hidden.delete(id);
        throw error;
      },
    );
    this.#starting.set(id, { profile, info, promise, controller });
    return promise;
  }

  /** Keep a worker out of reuse (a suspect worker must prove itself first). */
  hide(id: string): void {
    if (this.#workers.has(id) || this.#starting.has(id)) this.#hidden.add(id);
  }

  /** Make a worker spawned with `hidden` available for reuse (its warm-pool lease began). */
  reveal(id: string): void {
    this.#hidden.delete(id);
  }

  /** True while the worker is hidden from reuse (see {@link PoolSpawnOptions.hidden}). */
  isHidden(id: string): boolean {
    return this.#hidden.has(id);
  }

  /**
   * Add a ready worker that this pool did not start (one reconnected after an orchestrator
   * restart). Emits `worker:ready`.
   * @throws {RuntimeError} `WORKER_SPAWN_CANCELLED` after {@link close}; `WORKER_UNAVAILABLE` if the id is in use.
   */
  adopt(worker: Worker): void {
    if (this.#closed)
      throw new RuntimeError("WORKER_SPAWN_CANCELLED", "the orchestrator is shutting down; no new workers");
    if (this.#workers.has(worker.id) || this.#starting.has(worker.id))
      throw new RuntimeError("WORKER_UNAVAILABLE", `a worker "${worker.id}" already exists in this pool`);
    this.#workers.set(worker.id, worker);
    this.emit("worker:ready", worker.info);
  }

  /** Mark a worker dead (exit seen, health confirmed death) and remove it from the pool. */
  markDead(id: string, reason: string): void {
    const worker = this.#workers.get(id);
    if (!worker) return;
    worker.setStatus("dead", reason);
    this.#workers.delete(id);
    this.#hidden.delete(id);
    this.emit("worker:dead", worker.info, reason);
  }

  /** Stop one worker and remove it. */
  async stop(id: string, graceMs = 5_000): Promise<WorkerInfo> {
    const worker = this.require(id);
    this.#workers.delete(id);
    this.#hidden.delete(id);
    await worker.stop(graceMs);
    const info = worker.info;
    this.emit("worker:stopped", info);
    return info;
  }

  /**
   * Stop taking work: cancel in-flight spawns, then stop every worker in parallel.
   * Later `spawn` calls fail with `WORKER_SPAWN_CANCELLED`.
   */
  async close(graceMs = 5_000): Promise<WorkerInfo[]> {
    this.#closed = true;
    for (const s of this.#starting.values()) s.controller.abort("shutdown");
    await Promise.allSettled([...this.#starting.values()].map((s) => s.promise));
    const ids = [...this.#workers.keys()];
    return Promise.all(ids.map((id) => this.stop(id, graceMs)));
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }
}
