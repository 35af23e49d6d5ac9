import type { Descendant } from "./descendants.js";
import { signalDescendants } from "./descendants.js";

/** Groups to kill when this process exits: pgid → the descendants seen at the last terminate. */
const tracked = new Map<number, () => readonly Descendant[]>();
const cleanups = new Set<() => void>();
let installed = false;

function killQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // gone
  }
}

function killTrackedSync(): void {
  for (const [pgid, seen] of tracked) {
    killQuietly(-pgid, "SIGKILL");
    signalDescendants(seen(), "SIGKILL");
  }
  tracked.clear();
}

function exitSync(): void {
  killTrackedSync();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", exitSync);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      // When the application handles the signal itself, let it shut down gracefully (the exit
      // hook still runs last). Otherwise keep the signal's default meaning: kill the groups, then
      // end this process with the same signal.
      if (process.listenerCount(sig) > 1) return;
      exitSync();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** @internal Kill group `pgid` (and `seen()`) when this process exits; returns the untracker. */
export function trackGroup(pgid: number, seen: () => readonly Descendant[]): () => void {
  install();
  tracked.set(pgid, seen);
  return () => {
    tracked.delete(pgid);
  };
}

/**
 * Run `cleanup` synchronously when this process exits or is ended by SIGINT/SIGTERM/SIGHUP (after
 * the groups spawned with `killOnExit` are killed). Returns a function that unregisters it.
 */
export function onProcessExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Process-group ids of the `killOnExit` groups that are still running. */
export function liveProcessGroups(): number[] {
  return [...tracked.keys()];
}

/** Synchronously SIGKILL every `killOnExit` group that is still running, with its descendants. */
export function killAllProcessGroups(): void {
  killTrackedSync();
}
