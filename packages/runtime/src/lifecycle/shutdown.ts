import { isGroupAlive, isSameProcess, killGroup, processStartTime } from "@orchestra/process";
import type { Orchestrator } from "../orchestrator.js";
import type { RegistryLogger } from "../registry/logger.js";
import { readManifest, writeManifest } from "../registry/manifest.js";
import type { ManifestWorker, RegistryEntry, RegistryOwner } from "../registry/schema.js";
import type { HealthWatch } from "./health-watch.js";
import type { ShutdownReport } from "./lifecycle-types.js";
import type { RegistrySync } from "./registry-sync.js";
import type { WarmPools } from "./warm-pools.js";

/** What shutdown needs from the lifecycle. */
export interface ShutdownDeps {
  owner: RegistryOwner;
  graceMs: number;
  logger: RegistryLogger;
  manifestFile: string | undefined;
  orchestra: Orchestrator | undefined;
  warm: WarmPools;
  health: HealthWatch;
  sync: RegistrySync;
}

/**
 * Graceful shutdown (see `WorkerLifecycle.shutdown`): warm pools first, then abort each worker's
 * session, then stop every worker and cancel in-flight spawns (the pool waits for them: a spawn
 * whose ready path is still running stops its own worker once it sees the shutdown). Past
 * `deadlineMs` everything known is SIGKILLed. Then survivors are SIGKILLed once more, the registry
 * is settled in one transaction and the recovery manifest written when anything survived.
 */
export async function runShutdown(d: ShutdownDeps, deadlineMs: number): Promise<ShutdownReport> {
  const started = performance.now();
  d.health.stop();
  await d.sync.stop();
  const known = new Map(d.sync.entries().map((e) => [e.id, e]));
  const orchestra = d.orchestra;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    deadlineTimer = setTimeout(() => resolve("deadline"), deadlineMs);
    deadlineTimer.unref();
  });
  const graceful = (async () => {
    await d.warm.close(d.graceMs);
    if (!orchestra) return [] as string[];
    // Tell each worker: abort whatever it is doing (bounded).
    await Promise.allSettled(
      orchestra.pool
        .list()
        .filter((w) => w.status === "ready" || w.status === "busy")
        .map((w) =>
          orchestra.pool
            .get(w.id)
            ?.client.session.abort({ sessionID: w.sessionId }, { signal: AbortSignal.timeout(1_000) }),
        ),
    );
    const stopped = await orchestra.shutdown();
    return stopped.map((w) => w.id);
  })();
  const outcome = await Promise.race([graceful, deadline]);
  clearTimeout(deadlineTimer);
  const forced = outcome === "deadline";
  if (forced) forceKill(d);
  const stopped = forced ? [] : (outcome as string[]);

  // Whatever is still alive now is a leftover: SIGKILL its group once more and record it.
  const leftovers: RegistryEntry[] = [];
  for (const entry of d.sync.entries()) known.set(entry.id, entry);
  for (const entry of known.values()) {
    if (entry.kind !== "process" || entry.pgid === null) continue;
    if (isSameProcess(entry.pid, entry.processStartTime)) {
      killGroup(entry.pgid, "SIGKILL");
      if (!(await diesWithin(entry, KILLED_EXIT_MS))) leftovers.push(entry);
    } else if (isGroupAlive(entry.pgid) && processStartTime(entry.pgid) === undefined) {
      killGroup(entry.pgid, "SIGKILL");
    }
  }
  const leftoverIds = new Set(leftovers.map((e) => e.id));
  let manifestWritten = false;
  if (d.owner.kind === "orchestrator") {
    try {
      await d.sync.settle(leftoverIds);
    } catch (error) {
      d.logger.warn(`could not settle the device registry on shutdown: ${(error as Error).message}`);
    }
    try {
      manifestWritten = await writeLeftoverManifest(d, leftovers);
    } catch (error) {
      d.logger.warn(`could not write the recovery manifest: ${(error as Error).message}`);
    }
  }
  return {
    stopped,
    leftovers: [...leftoverIds],
    forced,
    manifestWritten,
    durationMs: performance.now() - started,
  };
}

/**
 * How long a SIGKILLed worker may take to be gone before it counts as a leftover: an OpenCode
 * server tears down hundreds of MB and many threads, which on a loaded machine takes longer than
 * a moment (it was once reported alive 50 ms after its SIGKILL, then gone).
 */
const KILLED_EXIT_MS = 2_000;

/** True once the process of `entry` is gone (or a zombie), checked every 25 ms up to `withinMs`. */
async function diesWithin(entry: RegistryEntry, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  do {
    await new Promise((r) => setTimeout(r, 25));
    if (!isSameProcess(entry.pid, entry.processStartTime)) return true;
  } while (performance.now() < until);
  return false;
}

async function writeLeftoverManifest(d: ShutdownDeps, leftovers: RegistryEntry[]): Promise<boolean> {
  const options = { ...(d.manifestFile === undefined ? {} : { file: d.manifestFile }), logger: d.logger };
  const previous = await readManifest(options);
  // One manifest path per user: keep the still-live workers another orchestrator left in it.
  const carried = (previous?.workers ?? []).filter(
    (w) => !leftovers.some((l) => l.id === w.id) && isSameProcess(w.pid, w.processStartTime),
  );
  const workers: ManifestWorker[] = [
    ...carried,
    ...leftovers.map((e) => ({
      id: e.id,
      pid: e.pid,
      pgid: e.pgid,
      processStartTime: e.processStartTime,
      url: e.url,
      ...(e.passwordHash === undefined ? {} : { passwordHash: e.passwordHash }),
    })),
  ];
  if (workers.length === 0) return false;
  await writeManifest(
    { orchestrator: { pid: d.owner.pid, startTime: d.owner.startTime }, writtenAt: Date.now(), workers },
    options,
  );
  return true;
}

/**
 * The last resort (a second signal, or the shutdown deadline): synchronously cancel in-flight
 * spawns and SIGKILL the process group of every process worker known, starting ones included,
 * identity permitting.
 */
export function forceKill(d: Pick<ShutdownDeps, "orchestra" | "health" | "sync">): void {
  d.health.stop();
  const orchestra = d.orchestra;
  // close() aborts in-flight spawns synchronously (their groups are SIGKILLed at once).
  if (orchestra && !orchestra.pool.closed) void orchestra.pool.close(0).catch(() => undefined);
  const groups = new Map<number, string>();
  for (const e of d.sync.entries())
    if (e.kind === "process" && e.pgid !== null) groups.set(e.pgid, e.processStartTime);
  for (const w of orchestra?.pool.list() ?? []) {
    if (w.kind === "process" && w.pid !== undefined && !groups.has(w.pid)) {
      const st = processStartTime(w.pid);
      if (st !== undefined) groups.set(w.pid, st);
    }
  }
  for (const [pgid, startTime] of groups) {
    if (isSameProcess(pgid, startTime)) killGroup(pgid, "SIGKILL");
  }
}
