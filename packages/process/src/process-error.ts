import { OrchestraError } from "@orchestra/core";

/**
 * Stable codes of {@link ProcessError}.
 *
 * - `PROCESS_INVALID_ARGUMENT`: a pid or process-group id that cannot be used (not a positive
 *   integer, or a group id of 0 or 1, which would address our own group or init's).
 * - `PROCESS_IDENTITY_UNAVAILABLE`: the start time of a process cannot be read (no /proc, no `ps`).
 * - `PROCESS_OPENCODE_NOT_FOUND`: no runnable `opencode` binary was found.
 * - `PROCESS_SPAWN_FAILED`: the binary could not be started at all (for example ENOENT, EACCES).
 * - `PROCESS_START_TIMEOUT`: the server printed no `listening on` line in time.
 * - `PROCESS_PORT_IN_USE`: the server could not bind its port (another process took it between
 *   choosing and binding). Retry on a new port.
 * - `PROCESS_EXITED`: the server exited before it was ready, for another reason.
 * - `PROCESS_CANCELLED`: the start was aborted through its signal.
 */
export type ProcessErrorCode =
  | "PROCESS_INVALID_ARGUMENT"
  | "PROCESS_IDENTITY_UNAVAILABLE"
  | "PROCESS_OPENCODE_NOT_FOUND"
  | "PROCESS_SPAWN_FAILED"
  | "PROCESS_START_TIMEOUT"
  | "PROCESS_PORT_IN_USE"
  | "PROCESS_EXITED"
  | "PROCESS_CANCELLED";

/**
 * The error every `@orchestra/process` function throws. Match on `code`, and use
 * `ProcessError.isInstance` rather than `instanceof`.
 *
 * @example
 * ```ts
 * try { await spawnServerProcess({ binary, cwd, env, timeoutMs: 60_000 }); } catch (e) {
 *   if (ProcessError.isInstance(e) && e.code === "PROCESS_PORT_IN_USE") retryOnAnotherPort();
 * }
 * ```
 */
export class ProcessError extends OrchestraError<ProcessErrorCode> {
  static override readonly marker: symbol = Symbol.for("open-orchestra.error.ProcessError");
  /** True for a ProcessError from any copy of this package. */
  static override isInstance(value: unknown): value is ProcessError {
    return OrchestraError.hasMarker(value, ProcessError.marker);
  }
}
