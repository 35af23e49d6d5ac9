import { HealthError } from "./errors.js";

/**
 * True while any process of process group `pgid` exists, using `kill(-pgid, 0)` (no signal is
 * sent). `ESRCH` means the group is gone; `EPERM` means it exists but belongs to another user,
 * so it counts as alive. POSIX only.
 *
 * A child spawned with `detached: true` leads its own group, whose id is the child's pid.
 *
 * @throws {HealthError} `HEALTH_INVALID_PGID` unless `pgid` is an integer greater than 1
 * (0 would address our own group, and 1 would address init's).
 */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) {
    throw new HealthError("HEALTH_INVALID_PGID", `not a usable process group id: ${pgid}`, {
      hints: ["pass the pid of a child spawned with `detached: true` (it leads its own group)"],
    });
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true;
    throw error;
  }
}

/**
 * A human-readable reason for a process exit, from the `exit` event's `(code, signal)`.
 *
 * @example describeExit(null, "SIGKILL") // "the process was killed by SIGKILL"
 */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `the process was killed by ${signal}`;
  if (code === null) return "the process exited";
  return `the process exited with code ${code}`;
}
