import type { Worker } from "../workers/worker.js";

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
