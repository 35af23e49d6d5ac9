import { setTimeout as sleep } from "node:timers/promises";
import { type Descendant, processDescendants, signalDescendants } from "./descendants.js";
import { assertPgid, isGroupAlive, killGroup } from "./group.js";

/** What it took to stop a group: it was already gone, SIGTERM was enough, or SIGKILL was needed. */
export type TerminateOutcome = "exited" | "terminated" | "killed";

/** Options of {@link terminateGroup}. */
export interface TerminateGroupOptions {
  /**
   * A graceful step before any signal, e.g. `() => client.instance.dispose()`, which makes OpenCode
   * stop its bash-tool commands. Its failure is ignored; it is given `disposeTimeoutMs` at most.
   */
  dispose?: () => Promise<unknown>;
  /** How long `dispose` may take (default 2000 ms). */
  disposeTimeoutMs?: number;
}

/** @internal Options of {@link stopGroup}. */
export interface StopGroupOptions extends TerminateGroupOptions {
  graceMs: number;
  /** Told the descendants snapshot (the exit hook of a tracked group keeps it). */
  onSnapshot?: (snapshot: readonly Descendant[]) => void;
}

async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}

function merge(a: readonly Descendant[], b: readonly Descendant[]): Descendant[] {
  const known = new Set(a.map((d) => `${d.pid}:${d.startTicks}`));
  return [...a, ...b.filter((d) => !known.has(`${d.pid}:${d.startTicks}`))];
}

/**
 * The one stop sequence (used by {@link terminateGroup} and `ProcessGroup.terminate`): snapshot the
 * leader's descendants, dispose, SIGTERM the group and the descendants that left it, wait up to
 * `graceMs` for the group to disappear, SIGKILL it if not, then sweep: SIGKILL every descendant of
 * the snapshot that is still the same process.
 * @internal
 */
export async function stopGroup(pgid: number, options: StopGroupOptions): Promise<TerminateOutcome> {
  assertPgid(pgid);
  let seen = processDescendants(pgid);
  if (options.dispose && isGroupAlive(pgid)) {
    await bounded(options.dispose(), options.disposeTimeoutMs ?? 2_000);
    seen = merge(seen, processDescendants(pgid));
  }
  options.onSnapshot?.(seen);
  if (!killGroup(pgid, "SIGTERM")) {
    signalDescendants(seen, "SIGKILL");
    return "exited";
  }
  signalDescendants(
    seen.filter((d) => d.pgid !== pgid),
    "SIGTERM",
  );
  const deadline = Date.now() + options.graceMs;
  let outcome: TerminateOutcome = "killed";
  for (;;) {
    if (!isGroupAlive(pgid)) {
      outcome = "terminated";
      break;
    }
    if (Date.now() >= deadline) break;
    await sleep(25);
  }
  if (outcome === "killed") killGroup(pgid, "SIGKILL");
  // Sweep: group members that outlived the leader, and descendants that left the group.
  signalDescendants(seen, "SIGKILL");
  return outcome;
}

/**
 * Stop a process group: the optional `dispose` step, then SIGTERM to the group, SIGKILL after
 * `graceMs` if it is still there, then SIGKILL to every descendant of the leader that left the group
 * (OpenCode's bash-tool commands run in their own groups and would otherwise survive as orphans).
 * Descendants are found from `/proc` (Linux); elsewhere only the group is signalled.
 *
 * @returns `"exited"` (nothing to stop), `"terminated"` (SIGTERM was enough) or `"killed"`.
 * @throws {ProcessError} `PROCESS_INVALID_ARGUMENT` for a pgid of 1 or less.
 * @example
 * ```ts
 * await terminateGroup(server.pid, 3_000, { dispose: () => client.instance.dispose() });
 * ```
 */
export function terminateGroup(
  pgid: number,
  graceMs: number,
  options: TerminateGroupOptions = {},
): Promise<TerminateOutcome> {
  return stopGroup(pgid, { ...options, graceMs });
}
