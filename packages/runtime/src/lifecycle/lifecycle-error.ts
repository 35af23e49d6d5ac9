import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link LifecycleError}. */
export type LifecycleErrorCode =
  /** Another owner's live worker already holds this id in the device registry. */
  | "LIFECYCLE_ID_TAKEN"
  /** The per-user worker secret file is readable by others, not ours, or malformed. */
  | "LIFECYCLE_SECRET_INSECURE"
  /** The per-user worker secret file could not be read or created. */
  | "LIFECYCLE_SECRET_IO"
  /** `attach()` was not called, or was called twice. */
  | "LIFECYCLE_NOT_ATTACHED"
  /** The lifecycle is shutting down or shut down. */
  | "LIFECYCLE_CLOSED"
  /** No warm pool is configured for the profile. */
  | "LIFECYCLE_NO_WARM_POOL";

/** An error of the worker lifecycle (registry sync, health, warm pool, shutdown, recovery). */
export class LifecycleError extends OrchestraError<LifecycleErrorCode> {
  static override readonly marker = errorMarker("LifecycleError");
  /** True for a LifecycleError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is LifecycleError {
    return OrchestraError.hasMarker(value, LifecycleError.marker);
  }
}
