import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { Descendant } from "./descendants.js";
import { trackGroup } from "./exit-hooks.js";
import { groupHasLiveMembers } from "./group.js";
import { stopGroup, type TerminateGroupOptions } from "./terminate.js";

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
   * Keep this Node process alive while the child runs (default false). When false, the child and
   * its pipes are unref'd: a caller that forgets to stop it still lets Node exit.
   */
  keepAlive?: boolean;
  /**
   * SIGKILL the group (and the descendants seen at terminate) when this Node process exits or is
   * ended by SIGINT/SIGTERM/SIGHUP (default false). Tests want this; a worker that must outlive
   * its starter must not have it.
   */
  killOnExit?: boolean;
}

/** Options of {@link ProcessGroup.terminate}. */
export interface TerminateOptions extends TerminateGroupOptions {
  /** Time between SIGTERM and SIGKILL (default 3000 ms). */
  graceMs?: number;
}

/**
 * A child process that leads its own process group (spawned `detached`). Signals go to the whole
 * group, and {@link ProcessGroup.terminate} also kills descendants that moved to another group
 * (for example OpenCode's bash-tool commands), so nothing is left behind.
 */
export interface ProcessGroup {
  /** The child's pid, which is also its process-group id (-1 when the spawn failed at once). */
  readonly pid: number;
  /** The Node child-process handle (stdout/stderr are pipes; stdin is ignored). */
  readonly child: ChildProcess;
  /** Resolves when the group leader exits (or could not be started). */
  readonly exited: Promise<ExitInfo>;
  /** True until the group leader has exited. */
  isRunning(): boolean;
  /** Send `signal` to the whole group. Returns false when the group no longer exists. */
  signal(signal: NodeJS.Signals): boolean;
  /**
   * Optional `dispose`, SIGTERM to the group, SIGKILL after the grace period, then SIGKILL to any
   * remaining group member or recorded descendant. Resolves when no process of the group is left.
   * Idempotent.
   */
  terminate(options?: TerminateOptions): Promise<ExitInfo>;
}

function signalQuietly(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawn `command` as the leader of a new process group (`detached`), stdout and stderr piped.
 * POSIX only (uses negative pids).
 *
 * @example
 * ```ts
 * const group = spawnProcessGroup("sh", ["-c", "sleep 30 & wait"], { cwd: "/", env: { PATH: process.env.PATH } });
 * await group.terminate({ graceMs: 1_000 }); // { code: null, signal: "SIGTERM" }
 * ```
 */
export function spawnProcessGroup(
  command: string,
  args: readonly string[],
  options: SpawnProcessGroupOptions,
): ProcessGroup {
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
    // The spawn failed (ENOENT and the like are reported through 'error'): a dead handle.
    return {
      pid: -1,
      child,
      exited,
      isRunning: () => false,
      signal: () => false,
      terminate: () => exited,
    };
  }
  let seen: readonly Descendant[] = [];
  const untrack = options.killOnExit ? trackGroup(pid, () => seen) : () => undefined;
  if (!options.keepAlive) {
    child.unref();
    for (const stream of [child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  let terminating: Promise<ExitInfo> | undefined;
  const terminate = async (terminateOptions: TerminateOptions): Promise<ExitInfo> => {
    if (running) {
      await stopGroup(pid, {
        ...terminateOptions,
        graceMs: terminateOptions.graceMs ?? 3_000,
        onSnapshot: (snapshot) => {
          seen = snapshot;
        },
      });
    }
    const info = await exited;
    // Members that outlived the leader (it may have exited on its own before terminate).
    signalQuietly(-pid, "SIGKILL");
    for (let i = 0; i < 100 && groupHasLiveMembers(pid); i++) await sleep(20);
    // Give init a moment to reap the zombies, so `kill(-pgid, 0)` fails afterwards too.
    for (let i = 0; i < 25 && signalQuietly(-pid, 0); i++) await sleep(20);
    untrack();
    return info;
  };
  return {
    pid,
    child,
    exited,
    isRunning: () => running,
    signal: (signal) => signalQuietly(-pid, signal),
    terminate(terminateOptions = {}) {
      terminating ??= terminate(terminateOptions);
      return terminating;
    },
  };
}
