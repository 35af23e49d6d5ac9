import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of a refused or failed worker-to-worker request (`ask_peer`). */
export type PeerErrorCode =
  /** The request would make the chain of asks deeper than `delegation.maxDepth`. */
  | "JOB_DEPTH_EXCEEDED"
  /** The target is already in the chain of asks that led here (A → B → A), or is the asker itself. */
  | "JOB_LOOP"
  /** The request is malformed: no target, both targets disagreeing, an empty or oversized message. */
  | "JOB_PEER_INVALID"
  /** The bridge could not tell which worker is calling (no token, or a token of no worker of this orchestrator). */
  | "JOB_PEER_UNAUTHENTICATED"
  /** The asking worker's profile does not enable `ask_peer`. */
  | "JOB_PEER_DENIED"
  /** The named worker (or a worker of the named profile) cannot be asked. */
  | "JOB_PEER_NOT_FOUND"
  /** No orchestrator owns this worker (a CLI-owned worker), so there is no one to route the request. */
  | "JOB_PEER_NO_ORCHESTRATOR"
  /** The orchestrator's bridge could not be reached, or its answer was cut off. */
  | "JOB_PEER_BRIDGE_FAILED"
  /** The peer could not be started or asked (its own error code leads the message). */
  | "JOB_PEER_FAILED";

/** Every {@link PeerErrorCode}. */
export const PEER_ERROR_CODES: readonly PeerErrorCode[] = [
  "JOB_DEPTH_EXCEEDED",
  "JOB_LOOP",
  "JOB_PEER_INVALID",
  "JOB_PEER_UNAUTHENTICATED",
  "JOB_PEER_DENIED",
  "JOB_PEER_NOT_FOUND",
  "JOB_PEER_NO_ORCHESTRATOR",
  "JOB_PEER_BRIDGE_FAILED",
  "JOB_PEER_FAILED",
];

/** A worker-to-worker request refused or failed; `code` is stable and `hints` say what to do next. */
export class PeerError extends OrchestraError<PeerErrorCode> {
  static override readonly marker = errorMarker("PeerError");
  /** True for a PeerError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is PeerError {
    return OrchestraError.hasMarker(value, PeerError.marker);
  }
}
