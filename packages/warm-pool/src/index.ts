export type { BackoffOptions } from "@orchestra/core";
export { WarmPoolError, type WarmPoolErrorCode } from "./errors.js";
export { createWarmPool } from "./warm-pool.js";
export type {
  AcquireOptions,
  DrainOptions,
  DrainReport,
  Lease,
  PoolState,
  PoolStats,
  ReleaseOptions,
  WarmPool,
  WarmPoolEvents,
  WarmPoolOptions,
} from "./warm-pool-types.js";
