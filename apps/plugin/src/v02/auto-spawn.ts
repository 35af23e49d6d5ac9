import type { OrchestratorConfig } from "@orchestra/config";
import { OrchestraError } from "@orchestra/core";
import type { Orchestra, WorkerInfo } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { type Toast, workerToast } from "./toasts.js";

/** The config keys auto-spawn reads. */
type AutoSpawnConfig = Pick<OrchestratorConfig, "autoSpawn" | "workers">;

/** What happened to one profile `workers` listed. */
export interface AutoSpawnOutcome {
  /** The profile id. */
  readonly profile: string;
  /**
   * `ready`: started now; `running`: a worker of the profile was already there (recovered from the
   * device registry, taken from a warm pool, or started by someone else); `failed`: the spawn
   * failed; `cancelled`: the orchestrator shut down first.
   */
  readonly status: "ready" | "running" | "failed" | "cancelled";
  /** The worker, when one is running. */
  readonly worker?: WorkerInfo;
  /** How long the spawn took (`ready` only). */
  readonly durationMs?: number;
  /** The error (`failed` only). */
  readonly error?: string;
}

/** What {@link autoSpawn} needs. */
export interface AutoSpawnDeps {
  /** `autoSpawn` and `workers` of the loaded (valid) config. */
  readonly config: AutoSpawnConfig;
  /** The orchestra the plugin built; spawns go through it as `spawn_worker`'s do. */
  readonly orchestra: Pick<Orchestra, "spawn" | "workers" | "recovery">;
  /** The activity log (`orchestrator_output`). */
  readonly activity: Pick<Activity, "log">;
  /** OpenCode's app log (`client.app.log`). */
  readonly appLog: (level: "info" | "warn" | "error", message: string) => void;
  /** A TUI toast for a failed auto-spawn (`ui.toasts`); a spawned worker's own toast comes from `worker:ready`. */
  readonly toast?: (toast: Toast) => void;
  /** Aborted when the plugin is disposed: the spawn in flight is cancelled and no other starts. */
  readonly signal?: AbortSignal;
}

/** The log prefix of every auto-spawn line. */
const AUTO_SPAWN_PREFIX = "auto-spawn:";

/** The profile ids of `workers` (strings, and the ids of objects), in order, each once. */
function listedWorkerIds(config: Pick<OrchestratorConfig, "workers">): string[] {
  return [...new Set(config.workers.map((entry) => (typeof entry === "string" ? entry : entry.id)))];
}

function describe(error: unknown): string {
  if (OrchestraError.isInstance(error)) return `[${error.code}] ${error.describe()}`;
  return error instanceof Error ? error.message : String(error);
}

function isCancel(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    signal?.aborted === true || (OrchestraError.isInstance(error) && error.code === "WORKER_SPAWN_CANCELLED")
  );
}

/**
 * Spawn the profiles `workers` lists, unless `autoSpawn` is false, one after the other, logging each
 * step to the activity log and OpenCode's app log. The plugin calls it in orchestrator mode only (a
 * process worker never spawns) and with a valid config (an invalid one fails the plugin's start
 * first). Call it without awaiting: OpenCode's start never waits for a worker. It first waits for the
 * orchestra's recovery, so that a worker reconnected from the device registry counts as running; a
 * profile with a running worker (or one in a warm pool) is not spawned again.
 * A failed spawn is logged (with what to do) and the next profile is tried; it never throws.
 */
export async function autoSpawn(deps: AutoSpawnDeps): Promise<AutoSpawnOutcome[]> {
  const { orchestra, activity, signal } = deps;
  const listed = listedWorkerIds(deps.config);
  const log = (kind: "spawn" | "info" | "warn", message: string) => {
    const line = `${AUTO_SPAWN_PREFIX} ${message}`;
    activity.log(kind, line);
    deps.appLog(kind === "warn" ? "warn" : "info", line);
  };
  if (listed.length === 0) return [];
  if (!deps.config.autoSpawn) {
    log("info", `off (autoSpawn is false); not starting ${listed.join(", ")}`);
    return [];
  }
  await orchestra.recovery.catch(() => undefined);
  const outcomes: AutoSpawnOutcome[] = [];
  for (const [i, profile] of listed.entries()) {
    if (signal?.aborted) break;
    // As spawn_worker does: a ready worker of the profile, a spawn of it in flight, or a warm-pool
    // worker is reused; only when there is none is one started.
    const known = new Set(orchestra.workers().map((w) => w.id));
    log("spawn", `starting ${profile} (${i + 1}/${listed.length})…`);
    const started = performance.now();
    try {
      const worker = await orchestra.spawn(profile, { reuse: true, ...(signal ? { signal } : {}) });
      if (known.has(worker.id)) {
        log(
          "info",
          `${profile} already running as worker ${worker.id} (${worker.status}); not started again`,
        );
        outcomes.push({ profile, status: "running", worker });
        continue;
      }
      const durationMs = performance.now() - started;
      log(
        "spawn",
        `${profile} ready in ${(durationMs / 1000).toFixed(1)} s on ${worker.model} (worker ${worker.id})`,
      );
      outcomes.push({ profile, status: "ready", worker, durationMs });
    } catch (error) {
      if (isCancel(error, signal)) break;
      const message = describe(error);
      log(
        "warn",
        `${profile} failed to start: ${message}. Start it by hand with spawn_worker profile=${profile} once fixed, or remove it from workers in orchestrator.json.`,
      );
      deps.toast?.(workerToast("error", `Auto-spawn of ${profile} failed: ${message}`));
      outcomes.push({ profile, status: "failed", error: message });
    }
  }
  const cancelled = listed.slice(outcomes.length);
  if (cancelled.length > 0) {
    log("info", `stopped: the orchestrator is shutting down; not started: ${cancelled.join(", ")}`);
    for (const profile of cancelled) outcomes.push({ profile, status: "cancelled" });
  }
  return outcomes;
}
