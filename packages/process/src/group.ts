import { hasProcFs, liveProcs } from "./proc.js";
import { ProcessError } from "./process-error.js";

/**
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` unless `pgid` is an integer greater than 1
 * (0 would address our own group, 1 init's, and a negative value every process we may signal).
 */
export function assertPgid(pgid: number): void {
  if (!Number.isInteger(pgid) || pgid <= 1) {
    throw new ProcessError("PROCESS_INVALID_ARGUMENT", `not a usable process group id: ${pgid}`, {
      hints: ["pass the pid of a child spawned with `detached: true` (it leads its own group)"],
    });
  }
}

/**
 * Send `signal` to every process of group `pgid`; false when the group no longer exists.
 *
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` for a pgid of 1 or less.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  assertPgid(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/**
 * True while any process of process group `pgid` exists, using `kill(-pgid, 0)` (no signal is
 * sent). `ESRCH` means the group is gone; `EPERM` means it exists but belongs to another user, so
 * it counts as alive. Zombies count until they are reaped. POSIX only.
 *
 * A child spawned with `detached: true` leads its own group, whose id is the child's pid.
 *
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` for a pgid of 1 or less.
 */
export function isGroupAlive(pgid: number): boolean {
  assertPgid(pgid);
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

/** Live (non-zombie) processes in process group `pgid`, from `/proc` (Linux; `[]` elsewhere). */
export function processGroupMembers(pgid: number): number[] {
  return liveProcs()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}

/**
 * True while the group has a live member: from `/proc` where there is one (zombies do not count),
 * else from `kill(-pgid, 0)`.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  if (hasProcFs()) return processGroupMembers(pgid).length > 0;
  return isGroupAlive(pgid);
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
