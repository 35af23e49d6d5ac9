export type { BackoffOptions } from "@orchestra/core";
export { WarmPoolError, type WarmPoolErrorCode } from "./errors.js";
export {
  type AcquireOptions,
  createWarmPool,
  type DrainOptions,
  type DrainReport,
  type Lease,
  type PoolState,
  type PoolStats,
  type ReleaseOptions,
  type WarmPool,
  type WarmPoolEvents,
  type WarmPoolOptions,
} from "./warm-pool.js";
