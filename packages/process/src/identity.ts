import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isDeadState, readProcStat } from "./proc.js";
import { ProcessError } from "./process-error.js";

/** A process, told apart from any later process that reuses its pid. */
export interface ProcessIdentity {
  pid: number;
  /** The start-time token from {@link processStartTime}. */
  startTime: string;
}

/** @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` unless `pid` is a positive integer. */
function assertPid(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new ProcessError("PROCESS_INVALID_ARGUMENT", `not a usable process id: ${pid}`, {
      hints: ["pass the positive integer pid of a process (for example child.pid)"],
    });
  }
}

let bootIdCache: string | undefined;

/** The kernel's boot id, so that start times from before a reboot never match after it. */
function linuxBootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || "unknown-boot";
    } catch {
      bootIdCache = "unknown-boot";
    }
  }
  return bootIdCache;
}

/**
 * The start-time token from `ps -o lstart=`, for systems without /proc (macOS, the BSDs), or
 * `undefined` when no such process exists. Second resolution. Exported for tests only.
 * @internal
 */
export function psStartTime(pid: number): string | undefined {
  try {
    const out = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, LC_ALL: "C", TZ: "UTC" },
    }).trim();
    return out === "" ? undefined : `ps:${out.replace(/\s+/g, " ")}`;
  } catch {
    // ps exits non-zero when no process matches.
    return undefined;
  }
}

/**
 * A stable token for when process `pid` started, or `undefined` when no such process exists
 * (zombies included: an exited, unreaped process is gone for our purposes).
 *
 * On Linux the token is `linux:<boot id>:<start ticks>` from field 22 of `/proc/<pid>/stat`;
 * elsewhere it is `ps:<lstart>` from `ps -o lstart=`. Compare tokens for equality only: they
 * identify a process together with its pid, so a reused pid is never mistaken for the old process.
 *
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` unless `pid` is a positive integer.
 * @example processStartTime(process.pid) // "linux:8c6f…:123456"
 */
export function processStartTime(pid: number): string | undefined {
  assertPid(pid);
  const stat = readProcStat(pid);
  if (stat === undefined) return undefined;
  if (stat !== null) return isDeadState(stat.state) ? undefined : `linux:${linuxBootId()}:${stat.startTicks}`;
  return psStartTime(pid);
}

/**
 * True while a process with this pid exists and is not a zombie. Uses `kill(pid, 0)`, which sends
 * no signal; `EPERM` (another user's process) counts as alive. This alone cannot tell a reused
 * pid from the original process: use {@link isSameProcess} for identity.
 *
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` unless `pid` is a positive integer.
 */
export function isProcessAlive(pid: number): boolean {
  assertPid(pid);
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ESRCH") return false;
    if (code !== "EPERM") throw error;
  }
  const stat = readProcStat(pid);
  if (stat === undefined) return false;
  return stat === null || !isDeadState(stat.state);
}

/**
 * True when process `pid` is alive and started at `startTime` (a token from
 * {@link processStartTime}). A pid that the system has since given to another process has a
 * different start time, so it is NOT the same process.
 *
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` unless `pid` is a positive integer.
 */
export function isSameProcess(pid: number, startTime: string): boolean {
  if (startTime === "") return false;
  const current = processStartTime(pid);
  return current !== undefined && current === startTime;
}

/**
 * The identity of the calling process (`pid` plus start-time token), as recorded for a registry
 * entry's `owner` or handed to a worker for its owner watchdog.
 *
 * @throws {ProcessError} `PROCESS_IDENTITY_UNAVAILABLE` if the start time of the current process
 * cannot be read.
 */
export function currentProcessIdentity(): ProcessIdentity {
  const startTime = processStartTime(process.pid);
  if (startTime === undefined) {
    throw new ProcessError(
      "PROCESS_IDENTITY_UNAVAILABLE",
      "cannot read the start time of the current process",
      { hints: ["on Linux, /proc must be mounted; elsewhere `ps` must be on PATH"] },
    );
  }
  return { pid: process.pid, startTime };
}
