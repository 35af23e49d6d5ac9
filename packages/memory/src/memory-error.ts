import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link MemoryError}. Scripts match on these, never on the message. */
export type MemoryErrorCode =
  /** A key is empty, too long, or has characters outside the allowed set. */
  | "MEMORY_INVALID_KEY"
  /** Another argument (value, tags, scope, source, link type, limit, query) is malformed. */
  | "MEMORY_INVALID_INPUT"
  /** A value is longer than the store's `maxValueChars`. */
  | "MEMORY_VALUE_TOO_LARGE"
  /** A key, value or tag looks like a credential (API key, token, private key); it was not stored. */
  | "MEMORY_SECRET_DETECTED"
  /** A memory named by `link` does not exist. */
  | "MEMORY_NOT_FOUND"
  /** The store configuration is incomplete or contradictory. */
  | "MEMORY_CONFIG_INVALID"
  /** The store cannot be opened or reached (bad path, server down, network). */
  | "MEMORY_UNAVAILABLE"
  /** Neo4j refused the credentials. */
  | "MEMORY_AUTH_FAILED"
  /** Another process held the embedded store's write lock for longer than the busy timeout. */
  | "MEMORY_BUSY"
  /** The store was used after `close()`. */
  | "MEMORY_CLOSED"
  /** The backend failed in an unexpected way; the cause holds the original error. */
  | "MEMORY_BACKEND_FAILED";

/**
 * The error thrown by `@orchestra/memory`. A failed call never changes what is already stored:
 * every write runs in one transaction (embedded) or one query (Neo4j).
 * Match on `code`, and use `MemoryError.isInstance` rather than `instanceof`.
 */
export class MemoryError extends OrchestraError<MemoryErrorCode> {
  static override readonly marker = errorMarker("MemoryError");
  /** True for a MemoryError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is MemoryError {
    return OrchestraError.hasMarker(value, MemoryError.marker);
  }
}
