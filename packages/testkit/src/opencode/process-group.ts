import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** How a process ended. */
export interface ExitInfo {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: NodeJS.Signals | null;
}

/** Options of {@link spawnProcessGroup}. */
export interface SpawnProcessGroupOptions {
  /** Working directory. */
  cwd: string;
  /** The complete environment of the child (nothing is inherited implicitly). */
  env: NodeJS.ProcessEnv;
  /**
   * Keep this Node process alive while the child runs (default false). When false, a test file
   * that forgets to stop the child still lets Node exit, and the exit hook kills the group.
   */
  keepAlive?: boolean;
}

/** Options of {@link ProcessGroup.terminate}. */
export interface TerminateOptions {
  /** Time between SIGTERM and SIGKILL (default 3000 ms). */
  graceMs?: number;
}

/**
 * A child process that leads its own process group (spawned `detached`). Signals go to the whole
 * group, and {@link ProcessGroup.terminate} also kills descendants that moved to another group
 * (for example OpenCode's bash-tool commands), so nothing is left behind.
 */
export interface ProcessGroup {
  /** The child's pid, which is also its process-group id. */
  readonly pid: number;
  /** The Node child-process handle (stdout/stderr are pipes; stdin is ignored). */
  readonly child: ChildProcess;
  /** Resolves when the group leader exits. */
  readonly exited: Promise<ExitInfo>;
  /** True until the group leader has exited. */
  isRunning(): boolean;
  /** Send `signal` to the whole group. Returns false when the group no longer exists. */
  signal(signal: NodeJS.Signals): boolean;
  /**
   * SIGTERM to the group, SIGKILL after the grace period, then SIGKILL to any remaining group
   * member or recorded descendant. Resolves when no process of the group is left. Idempotent.
   */
  terminate(options?: TerminateOptions): Promise<ExitInfo>;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  startTime: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 (comm) may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // rest[0] = state (field 3), rest[1] = ppid, rest[2] = pgrp, rest[19] = starttime (field 22)
    if (rest[0] === "Z") return undefined;
    return { pid, ppid: Number(rest[1]), pgid: Number(rest[2]), startTime: rest[19] ?? "" };
  } catch {
    return undefined;
  }
}

function allProcs(): ProcInfo[] {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return []; // not Linux: group signals still work, descendant tracking does not
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/**
 * Live (non-zombie) processes in process group `pgid`, from `/proc` (Linux; `[]` elsewhere).
 */
export function processGroupMembers(pgid: number): number[] {
  return allProcs()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}

/**
 * True when `pid` is a live process: it exists and is not a zombie (a zombie is dead and only
 * waits to be reaped). Uses `/proc` on Linux, `kill(pid, 0)` elsewhere.
 */
export function isProcessAlive(pid: number): boolean {
  if (existsProcFs()) return readProc(pid) !== undefined;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live descendants of `pid` (children, grandchildren, …), from `/proc` (Linux; `[]` elsewhere). */
function descendants(pid: number): ProcInfo[] {
  const procs = allProcs();
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of procs) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of byParent.get(next) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

function killQuietly(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

function groupExists(pgid: number): boolean {
  const members = processGroupMembers(pgid);
  if (members.length > 0) return true;
  if (existsProcFs()) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

let procFs: boolean | undefined;
function existsProcFs(): boolean {
  if (procFs === undefined) {
    try {
      readdirSync("/proc/self");
      procFs = true;
    } catch {
      procFs = false;
    }
  }
  return procFs;
}

// ---- registry: kill every live group when this process exits -------------------------------

const live = new Map<number, () => ProcInfo[]>();
const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

/**
 * Run `cleanup` synchronously when this process exits or is ended by SIGINT/SIGTERM/SIGHUP
 * (after the live groups are killed). Returns a function that unregisters it.
 */
export function onProcessExit(cleanup: () => void): () => void {
  installHooks();
  exitCleanups.add(cleanup);
  return () => {
    exitCleanups.delete(cleanup);
  };
}

function exitSync(): void {
  killAllSync();
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
  exitCleanups.clear();
}

function killAllSync(): void {
  for (const [pgid, tracked] of live) {
    const extra = [...tracked(), ...descendants(pgid)];
    killQuietly(-pgid, "SIGKILL");
    for (const p of extra) {
      const now = readProc(p.pid);
      if (now && now.startTime === p.startTime) killQuietly(p.pid, "SIGKILL");
    }
  }
  live.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", exitSync);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      // When the application handles the signal itself, let it shut down gracefully (the exit
      // hook still runs last). Otherwise keep the signal's default meaning: kill the groups, then
      // terminate this process with the same signal.
      if (process.listenerCount(sig) > 1) return;
      exitSync();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Process-group ids of the groups this module spawned that are still running. */
export function liveProcessGroups(): number[] {
  return [...live.keys()];
}

/** Synchronously SIGKILL every group spawned by {@link spawnProcessGroup} that is still running. */
export function killAllProcessGroups(): void {
  killAllSync();
}

/**
 * Spawn `command` as the leader of a new process group, tracked so that it is killed (group and
 * descendants, SIGKILL) when this Node process exits or receives SIGINT/SIGTERM/SIGHUP.
 * POSIX only (uses negative pids).
 */
export function spawnProcessGroup(
  command: string,
  args: readonly string[],
  options: SpawnProcessGroupOptions,
): ProcessGroup {
  installHooks();
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let running = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once("error", () => {
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  const pid = child.pid;
  if (pid === undefined) {
    // spawn failed synchronously (ENOENT is reported through 'error'); give callers a dead handle.
    return {
      pid: -1,
      child,
      exited,
      isRunning: () => false,
      signal: () => false,
      terminate: () => exited,
    };
  }
  // Descendants seen while running: sampled at terminate time, kept here for the exit hook too.
  let seen: ProcInfo[] = [];
  live.set(pid, () => seen);
  if (!options.keepAlive) {
    child.unref();
    for (const stream of [child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void })?.unref?.();
  }
  let terminating: Promise<ExitInfo> | undefined;

  const terminate = async (terminateOptions: TerminateOptions = {}): Promise<ExitInfo> => {
    const graceMs = terminateOptions.graceMs ?? 3000;
    seen = descendants(pid);
    const outsiders = seen.filter((p) => p.pgid !== pid);
    if (running) {
      killQuietly(-pid, "SIGTERM");
      for (const p of outsiders) killQuietly(p.pid, "SIGTERM");
      const timeout = sleep(graceMs).then(() => "timeout" as const);
      if ((await Promise.race([exited, timeout])) === "timeout") killQuietly(-pid, "SIGKILL");
    }
    const info = await exited;
    // Sweep: group members that outlived the leader, and descendants that left the group.
    killQuietly(-pid, "SIGKILL");
    for (const p of seen) {
      const now = readProc(p.pid);
      if (now && now.startTime === p.startTime) killQuietly(p.pid, "SIGKILL");
    }
    for (let i = 0; i < 100 && groupExists(pid); i++) await sleep(20);
    // Give init a moment to reap the zombies, so `kill(-pgid, 0)` fails afterwards too.
    for (let i = 0; i < 25 && killQuietly(-pid, 0); i++) await sleep(20);
    live.delete(pid);
    return info;
  };

  return {
    pid,
    child,
    exited,
    isRunning: () => running,
    signal: (signal) => killQuietly(-pid, signal),
    terminate(terminateOptions) {
      terminating ??= terminate(terminateOptions);
      return terminating;
    },
  };
}
