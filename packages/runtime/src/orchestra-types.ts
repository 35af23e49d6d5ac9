import type { OrchestratorConfig } from "@orchestra/config";
import type { TargetStatus } from "@orchestra/health";
import type { EffectiveProfile, ProfileMatch, ProfileRegistry } from "@orchestra/profiles";
import type { OpencodeProviderList, Resolution, Resolver } from "@orchestra/resolver";
import type { PoolStats } from "@orchestra/warm-pool";
import type { DeviceWorker, ListDeviceWorkersOptions } from "./device-workers.js";
import type { JobJournal } from "./journal/journal.js";
import type { RecoveryReport } from "./lifecycle/recovery.js";
import type { ShutdownReport, WorkerLifecycleEvents } from "./lifecycle/worker-lifecycle.js";
import type { Delegation, HostServer, SpawnOptions } from "./orchestrator.js";
import type { RegistryLogger } from "./registry/logger.js";
import type { CancelResult } from "./workers/cancel.js";
import type { Job } from "./workers/jobs.js";
import type { SteerResult } from "./workers/steer.js";
import type { AskOptions, AskResult, WorkerInfo } from "./workers/worker.js";
import type { WorkerPoolEvents } from "./workers/worker-pool.js";
import type { StoppedWorker } from "./worktree/stopped-worker.js";

/** Options of {@link createOrchestra}. */
export interface OrchestraOptions {
  /** The effective config (`loadConfig(...).config`). */
  config: OrchestratorConfig;
  /** The project directory workers work in. */
  directory: string;
  /** The profiles workers are spawned from. */
  profiles: ProfileRegistry;
  /** The host OpenCode server: needed for session workers; without `catalog`, the model catalog. */
  host?: HostServer;
  /**
   * Who owns the workers. `orchestrator` (default): they die with this process; recovery, registry
   * renewals and warm pools start at once. `cli`: they outlive this process (`detach()` lets go);
   * nothing runs in the background.
   */
  owner?: "orchestrator" | "cli";
  /** The `opencode` binary process workers run (required for process workers). */
  binary?: string;
  /** Plugin modules process workers load (the orchestrator plugin, which enforces the profile there). */
  workerPlugins?: readonly string[];
  /** Extra environment of process workers. */
  workerEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * Extra environment of one process worker about to start, over `workerEnv` (the plugin gives each
   * worker its own peer-bridge token this way).
   */
  workerEnvFor?: (worker: { id: string; profile: string }) => Readonly<Record<string, string>>;
  /**
   * The model catalog (an OpenCode `GET /provider` answer). Default: the host's; without a host,
   * read once from a short-lived `opencode serve` in `directory` (needs `binary`).
   */
  catalog?: () => Promise<OpencodeProviderList>;
  /** Config merged under each process worker's own (default: the host's `provider` blocks). */
  workerBaseConfig?: () => Promise<Record<string, unknown>>;
  /**
   * OpenCode `permission` config compiled from a profile (the second line of defence); `place` is
   * given for a worker in a worktree of its own (`isolation: worktree`): compile for its paths.
   */
  opencodePermission?: (
    profile: EffectiveProfile,
    place?: { directory: string; worktree: string },
  ) => Record<string, unknown> | undefined;
  /** The device registry file (default: `$XDG_DATA_HOME/opencode/orchestra/registry.json`). */
  registryFile?: string;
  /** The recovery manifest file (default: `$XDG_CONFIG_HOME/opencode/orchestrator-recovery.json`). */
  manifestFile?: string;
  /** The per-user secret worker passwords are derived from (default: beside the registry). */
  secretFile?: string;
  /**
   * Handle SIGINT/SIGTERM: shut down gracefully (stopping what this orchestra started, in-flight
   * spawns included) and exit with 128 + the signal; a second signal SIGKILLs what is left. Only
   * hosts set this (the CLI, a server), never library code. Default false.
   */
  handleSignals?: boolean;
  /** Where warnings go (default: `console.warn`). */
  logger?: RegistryLogger;
  /**
   * At most this many `acquire` calls wait on each warm pool; one more is rejected at once with
   * `POOL_QUEUE_FULL` (default: no bound).
   */
  warmPoolMaxQueue?: number;
}

/**
 * Events of an {@link Orchestra}: `worker:ready`, `worker:stopped`, `spawn:progress` and
 * `model:fallback` (an ask moved to the next model of its worker's list) and `budget:warning` (a
 * job reached its profile budget's warning fraction) from its workers, then
 * everything the lifecycle reports (`worker:dead` after clean-up, `respawn`,
 * `respawn:refused`, `warm:degraded`, `warm:recovered`, `registry:error`, …).
 */
export type OrchestraEvents = Pick<
  WorkerPoolEvents,
  "worker:ready" | "worker:stopped" | "spawn:progress" | "model:fallback" | "budget:warning"
> &
  WorkerLifecycleEvents;

/** A warm worker leased with {@link Orchestra.acquire}: exclusive to the holder until released. */
export interface WorkerLease {
  /** The leased worker. */
  readonly worker: WorkerInfo;
  /** Ask the leased worker (as {@link Orchestra.ask}). */
  ask(message: string, options?: AskOptions): Promise<AskResult>;
  /** Give it back to its warm pool (`dirty: true` stops it instead). Idempotent. */
  release(options?: { dirty?: boolean; reason?: string }): void;
}

/** What {@link Orchestra.setProfileModel} changed. */
export interface ProfileModelChange {
  /** The profile id. */
  profile: string;
  /** The reference as given (an alias, a tag or `provider/model`). */
  model: string;
  /** What it resolves to now. */
  resolution: Resolution;
  /** The override it replaced, if any. */
  previous: string | undefined;
  /** Running workers of the profile on another model (they keep theirs). */
  runningOnOtherModels: WorkerInfo[];
}

/** One worker probed by {@link Orchestra.checkHealth}. */
export interface WorkerProbe {
  id: string;
  status: WorkerInfo["status"];
  /** True when the worker answered (or is starting). */
  healthy: boolean;
  /** `answered in N ms`, `no answer`, or the status. */
  detail: string;
}

/**
 * One orchestra: the workers of one project, with their registry entries, health checks, warm
 * pools, jobs and shutdown. Create it with {@link createOrchestra}.
 */
export interface Orchestra {
  /** The effective config. */
  readonly config: OrchestratorConfig;
  /** The profiles this orchestra spawns from. */
  readonly profiles: ProfileRegistry;
  /** The device registry file this orchestra records its workers in. */
  readonly registryFile: string;
  /**
   * Recovery at start (owner `orchestrator`): our orphans reconnected, the others' stopped, the
   * registry cleaned. Resolves with `undefined` for a `cli` owner, which does not recover.
   */
  readonly recovery: Promise<RecoveryReport | undefined>;

  /** Spawn a worker of `profile`, or reuse a ready one (see {@link SpawnOptions.reuse}). */
  spawn(profile: string, options?: SpawnOptions): Promise<WorkerInfo>;
  /** Ask a worker and wait for its answer. */
  ask(workerId: string, message: string, options?: AskOptions): Promise<AskResult>;
  /** Ask a worker in the background; the job is returned at once (see {@link Orchestra.awaitJob}). */
  askAsync(workerId: string, message: string, options?: Omit<AskOptions, "signal">): Job;
  /**
   * Pick a profile for `task` (or use `options.profile`), reuse or spawn its worker, and ask it
   * (`onStream` receives the ask's stream, as {@link AskOptions.onStream}).
   */
  delegate(
    task: string,
    options?: {
      profile?: string;
      onProgress?: SpawnOptions["onProgress"];
      timeoutMs?: number;
      onStream?: AskOptions["onStream"];
    },
  ): Promise<Delegation>;
  /**
   * Stop one worker (dispose, SIGTERM, SIGKILL after `spawn.shutdownGraceMs`). A worker with
   * `isolation: worktree` also reports `branch`, `changed`, `files`, `diffstat` and `worktree`.
   */
  stop(workerId: string): Promise<StoppedWorker>;
  /**
   * Cancel a job (`id`: its job id) or a worker's current job (`id`: the worker's id): abort the
   * worker's turn on its server (`session.abort`; this orchestra's workers, or a process worker of
   * the device registry). The waiting ask, in any process, ends with `JOB_CANCELLED`; the worker
   * is `ready` again and keeps its session; its siblings are untouched. A hard stop is {@link stop}.
   * @throws `JOB_NOT_FOUND`/`WORKER_NOT_FOUND`, `JOB_NOT_RUNNING` (nothing to cancel), `WORKER_UNAVAILABLE`.
   */
  cancel(id: string): Promise<CancelResult>;
  /**
   * Give a busy worker (`id`: its id or its running job's) an extra instruction, queued for the
   * model's next step; the waiting ask ends with the answer written after it.
   * @throws as {@link cancel}.
   */
  steer(id: string, message: string): Promise<SteerResult>;
  /**
   * Lease a warm worker of `profile` for one task (`warmPool.profiles.<id>.size > 0`). Waits for
   * recovery first: warm pools start after it.
   * @throws `LIFECYCLE_NO_WARM_POOL`, or the warm pool's `POOL_DEGRADED`/`POOL_QUEUE_FULL`/`POOL_ACQUIRE_TIMEOUT`/`POOL_CLOSED`.
   */
  acquire(profile: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<WorkerLease>;

  /** Every worker, starting ones included. */
  workers(): WorkerInfo[];
  /**
   * One worker.
   * @throws `WORKER_NOT_FOUND` naming the workers that exist.
   */
  worker(workerId: string): WorkerInfo;
  /** One job of the journal (any process's). @throws `JOB_NOT_FOUND`. */
  job(jobId: string): Job;
  /**
   * Wait up to `timeoutMs` for a job to finish; a job still running is returned as is. Another
   * process's job is waited for by reading the journal.
   */
  awaitJob(jobId: string, timeoutMs: number): Promise<Job>;
  /**
   * The job journal's running jobs and its last 20 ended ones (of every orchestrator and CLI
   * process of the user), optionally of one worker.
   */
  jobs(workerId?: string): Job[];
  /** The user's job journal (opened on first use): every ask of every process is a job there. */
  journal(): JobJournal;

  /** Rank profiles for a task description. */
  suggest(task: string, limit?: number): ProfileMatch<EffectiveProfile>[];
  /** The resolver over the current model catalog (built once; see {@link Orchestra.refreshCatalog}). */
  resolver(): Promise<Resolver>;
  /** Forget the cached catalog; the next resolution fetches it again. */
  refreshCatalog(): void;
  /** The model a new worker of `profile` would get (`override` > {@link setProfileModel} > profile). */
  resolveModel(profile: string, override?: string): Promise<Resolution>;
  /**
   * Make later workers of `profile` use `model`, checked first against the profile's needs.
   * @throws the resolver's `ResolverError` when the model cannot be used.
   */
  setProfileModel(profile: string, model: string): Promise<ProfileModelChange>;
  /** The override {@link setProfileModel} set for `profile`, if any. */
  profileModel(profile: string): string | undefined;
  /** Undo {@link setProfileModel} for one profile or all; returns what was cleared. */
  resetProfileModels(profile?: string): { profile: string; model: string }[];

  /** Health of every monitored worker (empty when `healthCheck.enabled` is false). */
  health(): TargetStatus[];
  /** Probe every worker now (its server or session answers). */
  checkHealth(): Promise<WorkerProbe[]>;
  /** Stats of each warm pool, by profile. */
  warmPools(): Record<string, PoolStats>;
  /** Every worker in the device registry (all orchestrators and CLIs of this user). */
  deviceWorkers(
    options?: Pick<ListDeviceWorkersOptions, "probe" | "probeTimeoutMs">,
  ): Promise<DeviceWorker[]>;

  /** Listen to an event (see {@link OrchestraEvents}). */
  on<K extends keyof OrchestraEvents>(event: K, listener: (...args: OrchestraEvents[K]) => void): this;
  /** Stop listening. */
  off<K extends keyof OrchestraEvents>(event: K, listener: (...args: OrchestraEvents[K]) => void): this;

  /**
   * Graceful shutdown: stop taking work, cancel in-flight spawns, stop every worker, settle the
   * registry (and write the recovery manifest for survivors). Idempotent.
   */
  shutdown(options?: { deadlineMs?: number }): Promise<ShutdownReport>;
  /** The last resort: synchronously SIGKILL every worker process group this orchestra knows. */
  forceKill(): void;
  /** Let go without stopping anything (CLI-owned workers outlive the CLI); registry entries stay. */
  detach(): Promise<void>;
}
