import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link RegistryError}. */
export type RegistryErrorCode =
  /** The cross-process lock could not be taken within `lockTimeoutMs`. */
  | "REGISTRY_LOCK_TIMEOUT"
  /** The lock was lost while held (another process judged it stale); nothing was written. */
  | "REGISTRY_LOCK_COMPROMISED"
  /** Reading, writing, renaming or deleting a registry or manifest file failed. */
  | "REGISTRY_IO"
  /** An entry (or manifest) given to the API does not match the schema. */
  | "REGISTRY_INVALID_ENTRY"
  /** `update` named an id that is not in the registry. */
  | "REGISTRY_ENTRY_NOT_FOUND"
  /** A process id or start-time argument is unusable (not a positive integer, empty token). */
  | "REGISTRY_INVALID_ARGUMENT";

/**
 * The error thrown by the device registry and the recovery manifest helpers of
 * `@orchestra/runtime`. Match on `code`, and use `RegistryError.isInstance` rather than `instanceof`.
 */
export class RegistryError extends OrchestraError<RegistryErrorCode> {
  static override readonly marker = errorMarker("RegistryError");
  /** True for a RegistryError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is RegistryError {
    return OrchestraError.hasMarker(value, RegistryError.marker);
  }
}
