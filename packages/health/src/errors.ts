import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link HealthError}. */
export type HealthErrorCode =
  | "HEALTH_INVALID_OPTIONS"
  | "HEALTH_DUPLICATE_TARGET"
  | "HEALTH_UNKNOWN_TARGET"
  | "HEALTH_STOPPED"
  | "HEALTH_PROBE_TIMEOUT";

/**
 * The error thrown by `@orchestra/health`. Match on `code`, and use
 * `HealthError.isInstance` rather than `instanceof`.
 */
export class HealthError extends OrchestraError<HealthErrorCode> {
  static override readonly marker = errorMarker("HealthError");
  /** True for a HealthError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is HealthError {
    return OrchestraError.hasMarker(value, HealthError.marker);
  }
}
