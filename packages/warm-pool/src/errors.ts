import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link WarmPoolError}. */
export type WarmPoolErrorCode =
  | "POOL_INVALID_OPTIONS"
  | "POOL_ACQUIRE_TIMEOUT"
  | "POOL_ACQUIRE_ABORTED"
  | "POOL_DEGRADED"
  | "POOL_CLOSED"
  /** `maxQueue` acquires already wait: this one is refused at once. */
  | "POOL_QUEUE_FULL"
  | "POOL_CREATE_TIMEOUT"
  | "POOL_DESTROY_TIMEOUT";

/**
 * The error thrown by `@orchestra/warm-pool`. Match on `code`, and use
 * `WarmPoolError.isInstance` rather than `instanceof`. `POOL_DEGRADED` carries the last creation
 * failure as `cause`.
 */
export class WarmPoolError extends OrchestraError<WarmPoolErrorCode> {
  static override readonly marker = errorMarker("WarmPoolError");
  /** True for a WarmPoolError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is WarmPoolError {
    return OrchestraError.hasMarker(value, WarmPoolError.marker);
  }
}
