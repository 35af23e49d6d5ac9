import type { OrchestratorConfig } from "@orchestra/config";
import type { HealthState } from "@orchestra/health";
import type { HostServer, OrchestratorHooks } from "../orchestrator.js";
import type { RegistryLogger } from "../registry/logger.js";
import type { DeviceRegistry } from "../registry/registry.js";
import type { Worker, WorkerInfo } from "../workers/worker.js";

/** Options of {@link createWorkerLifecycle}. */
export interface WorkerLifecycleOptions {
  /** The effective config: `healthCheck`, `warmPool` and `spawn` are read. */
  config: OrchestratorConfig;
  /** The project directory (recorded in entries; recovery reconnects only this directory's workers). */
  directory: string;
  /** `orchestrator` (default): workers die with us. `cli`: workers outlive the CLI process. */
  owner?: "orchestrator" | "cli";
  /** The device registry (default: `openRegistry({ file: registryFile })`). */
  registry?: DeviceRegistry;
  /** The registry file when `registry` is not given (default: the XDG data dir). */
  registryFile?: string;
  /** The recovery manifest file (default: `defaultManifestFile()`). */
  manifestFile?: string;
  /** The per-user secret file workers' passwords are derived from (default: `defaultSecretFile()`). */
  secretFile?: string;
  /** The host OpenCode server, for session workers (probes, reconnect). */
  host?: HostServer;
  /** The host server's pid, recorded for session workers (default: `process.pid`, the plugin's host). */
  hostPid?: number;
  /** Renewal interval of our registry entries (default: a third of `spawn.registryTtlMs`, at most 60 s). */
  renewIntervalMs?: number;
  /**
   * Bound on the acquires waiting in each warm pool's queue (default: unbounded). An acquire past
   * the bound fails at once with `POOL_QUEUE_FULL`.
   */
  warmPoolMaxQueue?: number;
  logger?: RegistryLogger;
}

/** Events of a {@link WorkerLifecycle}. */
export interface WorkerLifecycleEvents {
  /** A worker died and was cleaned up (pool, registry, jobs); `reason` says how it was detected. */
  "worker:dead": [info: WorkerInfo, reason: string];
  /** A dead worker's profile is respawned (budget permitting). */
  respawn: [profile: string, deadWorkerId: string];
  /** A respawn was refused (`healthCheck.respawn` off, budget spent, or shutting down). */
  "respawn:refused": [profile: string, reason: string];
  /** A health check failed: the worker is not handed out until it recovers (or is declared dead). */
  "health:suspect": [workerId: string, reason: string];
  /** A worker answers but refuses our credentials; it is not handed out. */
  "health:misconfigured": [workerId: string, reason: string];
  /** A suspect or misconfigured worker passed its checks again and is handed out again. */
  "health:recovered": [workerId: string];
  /** A health check fired late (the event loop was blocked); its timeout was not counted. */
  "health:stall": [workerId: string, lagMs: number];
  /** One warm spawn of a profile failed (`consecutiveFailures` so far); the pool backs off and retries. */
  "warm:spawn-failed": [profile: string, error: unknown, consecutiveFailures: number];
  /** The warm pool of a profile is degraded: acquires fail fast until a creation succeeds. */
  "warm:degraded": [profile: string, cause: unknown];
  /** A degraded warm pool created a worker again. */
  "warm:recovered": [profile: string];
  /**
   * A registry write failed. The worker keeps running and its entry is held in memory; the write
   * is retried with backoff (and on every renewal) until it lands.
   */
  "registry:error": [error: unknown, workerId: string | undefined];
}

/** The orchestrator hooks a lifecycle provides (`WorkerLifecycle.hooks`). */
export type LifecycleHooks = Required<
  Pick<
    OrchestratorHooks,
    | "onWorkerReady"
    | "takenIds"
    | "workerPassword"
    | "takeWarmWorker"
    | "onWorkerLaunched"
    | "onWorkerLaunchFailed"
  >
>;

/** How collaborators emit the lifecycle's events. */
export type LifecycleEmit = <K extends keyof WorkerLifecycleEvents>(
  event: K,
  ...args: WorkerLifecycleEvents[K]
) => void;

/** A warm worker leased with {@link WorkerLifecycle.acquire}: exclusive until released. */
export interface WorkerLease {
  readonly worker: Worker;
  /** Give it back (`dirty: true` stops it instead). Idempotent. */
  release(options?: { dirty?: boolean; reason?: string }): void;
}

/** What {@link Orchestra.shutdown} did. */
export interface ShutdownReport {
  /** Workers stopped. */
  stopped: string[];
  /** Workers still alive after SIGKILL (marked `orphaned` in the registry and the manifest). */
  leftovers: string[];
  /** True when the overall deadline forced the end (everything left was SIGKILLed). */
  forced: boolean;
  /** Whether a recovery manifest was written. */
  manifestWritten: boolean;
  durationMs: number;
}

/** One worker as this lifecycle holds it (see {@link WorkerLifecycle.workers}). */
export interface LifecycleWorker {
  id: string;
  profile: string;
  /** `starting` until ready; then the worker's own status. */
  status: "starting" | WorkerInfo["status"];
  /** The process id, once launched (process workers). */
  pid: number | undefined;
  /** The health monitor's verdict (`undefined` when health checks are off or not yet watched). */
  health: HealthState | undefined;
  /** Idle in a warm pool (`idle`), leased from one (`leased`), or a regular worker (`none`). */
  warm: "idle" | "leased" | "none";
  /** True when the device registry holds the latest state of its entry (false while a write is pending or failing). */
  recorded: boolean;
}
