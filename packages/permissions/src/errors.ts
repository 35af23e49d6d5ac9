import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link PermissionsError}. */
export type PermissionsErrorCode =
  /** The permissions do not validate. */
  | "PERMISSIONS_INVALID"
  /** A sandboxed command was requested for permissions whose `execution` is not `sandboxed`. */
  | "SANDBOX_NOT_APPLICABLE"
  /** The tree the sandbox must check before a command (project, allowed paths) is too large to walk. */
  | "SANDBOX_TREE_TOO_LARGE"
  /** The sandbox has no seccomp filter (which refuses symlink creation) for this CPU architecture. */
  | "SANDBOX_UNSUPPORTED_ARCH";

/** Thrown by `toOpencodePermission` and `sandboxCommand` when the permissions do not fit. */
export class PermissionsError extends OrchestraError<PermissionsErrorCode> {
  static override readonly marker = errorMarker("PermissionsError");
  /** True for a PermissionsError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is PermissionsError {
    return OrchestraError.hasMarker(value, PermissionsError.marker);
  }
}
