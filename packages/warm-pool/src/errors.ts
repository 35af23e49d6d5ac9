import { OrchestraError } from "@orchestra/core";

/** Stable codes of {@link WarmPoolError}. */
export type WarmPoolErrorCode =
  | "POOL_INVALID_OPTIONS"
  | "POOL_ACQUIRE_TIMEOUT"
  | "POOL_ACQUIRE_ABORTED"
  | "POOL_DEGRADED"
  | "POOL_CLOSED"
  | "POOL_CREATE_TIMEOUT"
  | "POOL_DESTROY_TIMEOUT";

/**
 * The error thrown by `@orchestra/warm-pool`. Match on `code`, and use
 * `OrchestraError.isInstance` rather than `instanceof`. `POOL_DEGRADED` carries the last creation
 * failure as `cause`.
 */
export class WarmPoolError extends OrchestraError<WarmPoolErrorCode> {}
