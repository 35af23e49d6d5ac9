import type { Worker } from "../workers/worker.js";
import type { HealthWatch } from "./health-watch.js";
import type { LifecycleWorker } from "./lifecycle-types.js";
import type { RegistrySync } from "./registry-sync.js";

/** One worker the lifecycle knows, from its launch to its end. */
export interface Tracked {
  /** The worker, once ready (`undefined` while it is starting). */
  worker: Worker | undefined;
  profile: string;
  /** Its process id, once launched (process workers). */
  pid: number | undefined;
  /** The warm pool's profile while the worker belongs to a warm pool (idle or leased). */
  warm: string | undefined;
  /** True while leased from its warm pool (recorded as `busy` in the registry). */
  leased: boolean;
  /** Why health checks hide it from reuse, if they do. */
  hidden: "suspect" | "misconfigured" | undefined;
}

/** The lifecycle's table of workers, by id. */
export type TrackedWorkers = Map<string, Tracked>;

/** A fresh table row. */
export function tracked(profile: string, fields: Partial<Tracked> = {}): Tracked {
  return {
    worker: undefined,
    profile,
    pid: undefined,
    warm: undefined,
    leased: false,
    hidden: undefined,
    ...fields,
  };
}

/** The public view of the table: status, health, warm-pool role and registry state of each worker. */
export function describeWorkers(
  rows: TrackedWorkers,
  health: HealthWatch,
  sync: RegistrySync,
): LifecycleWorker[] {
  return [...rows].map(([id, row]) => ({
    id,
    profile: row.profile,
    status: row.worker?.status ?? "starting",
    pid: row.pid,
    health: health.stateOf(id),
    warm: row.warm === undefined ? "none" : row.leased ? "leased" : "idle",
    recorded: sync.isRecorded(id),
  }));
}
