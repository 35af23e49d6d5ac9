import type { OrchestratorConfig } from "@orchestra/config";
import type { TargetStatus } from "@orchestra/health";
import type { EffectiveProfile, ProfileMatch, ProfileRegistry } from "@orchestra/profiles";
import type { Resolution, Resolver } from "@orchestra/resolver";
import type { PoolStats } from "@orchestra/warm-pool";
import { cachedCatalog, isCatalogCached } from "./catalog-cache.js";
import { type OpencodeCatalog, temporaryCatalog } from "./catalog-server.js";
import { type DeviceWorker, type ListDeviceWorkersOptions, listDeviceWorkers } from "./device-workers.js";
import type { JobJournal } from "./journal/journal.js";
import { type JournalHandle, lazyJournal } from "./journal/journal-handle.js";
import type { RecoveryReport } from "./lifecycle/recovery.js";
import { installShutdownSignals, registerForShutdown } from "./lifecycle/shutdown-signals.js";
import {
  createWorkerLifecycle,
  type ShutdownReport,
  type WorkerLifecycle,
} from "./lifecycle/worker-lifecycle.js";
import type {
  Orchestra,
  OrchestraEvents,
  OrchestraOptions,
  ProfileModelChange,
  WorkerLease,
  WorkerProbe,
} from "./orchestra-types.js";
import { type Delegation, Orchestrator, type SpawnOptions } from "./orchestrator.js";
import { consoleRegistryLogger } from "./registry/logger.js";
import { openRegistry } from "./registry/registry.js";
import { REGISTRY_FILE_ENV } from "./registry/worker-scan.js";
import type { CancelResult } from "./workers/cancel.js";
import { cancelJob, type JobControlOptions, steerJob } from "./workers/job-control.js";
import type { Job } from "./workers/jobs.js";
import { defaultProviderSlotsFile } from "./workers/provider-slots.js";
import type { SteerResult } from "./workers/steer.js";
import type { AskOptions, AskResult, WorkerInfo } from "./workers/worker.js";
import type { StoppedWorker } from "./worktree/stopped-worker.js";

/** Events the worker pool emits; every other event is the lifecycle's. */
const POOL_EVENTS: ReadonlySet<keyof OrchestraEvents> = new Set([
  "worker:ready",
  "worker:stopped",
  "spawn:progress",
  "model:fallback",
  "budget:warning",
]);

type Listener = (...args: never[]) => void;

/** The one implementation of {@link Orchestra}: an {@link Orchestrator} wired to its lifecycle. */
class OrchestraImpl implements Orchestra {
  readonly recovery: Promise<RecoveryReport | undefined>;
  readonly registryFile: string;
  readonly #options: OrchestraOptions;
  readonly #core: Orchestrator;
  readonly #lifecycle: WorkerLifecycle;
  /** Aborts work this orchestra started outside its pool (the catalog server) on shutdown. */
  readonly #closing: AbortController;
  readonly #journal: JournalHandle;
  /** Ids of every worker this orchestra started or began to start. */
  readonly #started = new Set<string>();
  #unregister: () => void = () => undefined;

  constructor(
    options: OrchestraOptions,
    core: Orchestrator,
    lifecycle: WorkerLifecycle,
    closing: AbortController,
    journal: JournalHandle,
  ) {
    this.#options = options;
    this.#journal = journal;
    this.#core = core;
    this.#lifecycle = lifecycle;
    this.#closing = closing;
    this.registryFile = lifecycle.registry.file;
    core.pool.on("spawn:progress", (p) => this.#started.add(p.workerId));
    core.pool.on("worker:ready", (info) => this.#started.add(info.id));
    this.#unregister = registerForShutdown(this);
    if (options.handleSignals) installShutdownSignals();
    if ((options.owner ?? "orchestrator") === "orchestrator") {
      // On the next turn, so that listeners added right after `await createOrchestra()` see the
      // `worker:ready` of every worker recovery adopts (the plugin binds session policies on it).
      this.recovery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => lifecycle.start());
      // Callers read `recovery` when they care; an unread failure must not crash the host.
      this.recovery.catch(() => undefined);
    } else {
      this.recovery = Promise.resolve(undefined);
    }
  }

  get config(): OrchestratorConfig {
    return this.#core.config;
  }

  get profiles(): ProfileRegistry {
    return this.#core.profiles;
  }

  async spawn(profile: string, options: SpawnOptions = {}): Promise<WorkerInfo> {
    return (await this.#core.spawn(profile, options)).info;
  }

  ask(workerId: string, message: string, options: AskOptions = {}): Promise<AskResult> {
    return this.#core.ask(workerId, message, options);
  }

  askAsync(workerId: string, message: string, options: Omit<AskOptions, "signal"> = {}): Job {
    return this.#core.askAsync(workerId, message, options);
  }

  delegate(
    task: string,
    options: {
      profile?: string;
      onProgress?: SpawnOptions["onProgress"];
      timeoutMs?: number;
      onStream?: AskOptions["onStream"];
    } = {},
  ): Promise<Delegation> {
    return this.#core.delegate(task, options);
  }

  stop(workerId: string): Promise<StoppedWorker> {
    return this.#core.stop(workerId);
  }

  cancel(id: string): Promise<CancelResult> {
    return cancelJob(id, this.#control("cancel_worker_job"));
  }

  steer(id: string, message: string): Promise<SteerResult> {
    return steerJob(id, message, this.#control("steer_worker"));
  }

  /** Where a cancel or steer looks: this orchestra's workers, then the device registry and the journal. */
  #control(by: string): JobControlOptions {
    return {
      registryFile: this.registryFile,
      ...(this.#options.secretFile === undefined ? {} : { secretFile: this.#options.secretFile }),
      logger: this.#options.logger ?? consoleRegistryLogger,
      local: (id) => this.#core.pool.get(id),
      by,
    };
  }

  async acquire(
    profile: string,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<WorkerLease> {
    // Warm pools start once recovery is done (owner `orchestrator`): wait for it, whatever it found.
    await this.recovery.catch(() => undefined);
    const lease = await this.#lifecycle.acquire(profile, options);
    return {
      worker: lease.worker.info,
      ask: (message, askOptions) => this.#core.jobs.ask(lease.worker, message, askOptions),
      release: (releaseOptions) => lease.release(releaseOptions),
    };
  }

  workers(): WorkerInfo[] {
    return this.#core.pool.list();
  }

  worker(workerId: string): WorkerInfo {
    return this.#core.pool.require(workerId).info;
  }

  job(jobId: string): Job {
    return this.#core.jobs.get(jobId);
  }

  awaitJob(jobId: string, timeoutMs: number): Promise<Job> {
    return this.#core.jobs.wait(jobId, timeoutMs);
  }

  jobs(workerId?: string): Job[] {
    return this.#core.jobs.list(workerId);
  }

  journal(): JobJournal {
    return this.#core.jobs.journal;
  }

  suggest(task: string, limit = 3): ProfileMatch<EffectiveProfile>[] {
    return this.#core.suggest(task, limit);
  }

  resolver(): Promise<Resolver> {
    return this.#core.resolver();
  }

  refreshCatalog(): void {
    this.#core.refreshCatalog();
  }

  resolveModel(profile: string, override?: string): Promise<Resolution> {
    return this.#core.resolveModel(this.profiles.resolveProfile(profile).profile, override);
  }

  async setProfileModel(profileId: string, model: string): Promise<ProfileModelChange> {
    const profile = this.profiles.resolveProfile(profileId).profile;
    const resolver = await this.#core.resolver();
    const check = resolver.tryResolve(model, profile.supportsVision ? { require: { vision: true } } : {});
    if (!check.ok) throw check.error;
    const previous = this.#core.profileModels.get(profile.id);
    this.#core.profileModels.set(profile.id, model);
    return {
      profile: profile.id,
      model,
      resolution: check.resolution,
      previous,
      runningOnOtherModels: this.workers().filter(
        (w) => w.profile === profile.id && w.status !== "dead" && w.model !== check.resolution.model,
      ),
    };
  }

  profileModel(profile: string): string | undefined {
    return this.#core.profileModels.get(profile);
  }

  resetProfileModels(profile?: string): { profile: string; model: string }[] {
    const cleared = [...this.#core.profileModels]
      .filter(([id]) => profile === undefined || id === profile)
      .map(([id, model]) => ({ profile: id, model }));
    for (const c of cleared) this.#core.profileModels.delete(c.profile);
    return cleared;
  }

  health(): TargetStatus[] {
    return this.#lifecycle.health();
  }

  checkHealth(): Promise<WorkerProbe[]> {
    const timeoutMs = this.config.healthCheck.timeoutMs;
    return Promise.all(
      this.workers().map(async (info): Promise<WorkerProbe> => {
        const worker = this.#core.pool.get(info.id);
        if (!worker || info.status === "starting")
          return { id: info.id, status: info.status, healthy: info.status !== "dead", detail: info.status };
        const started = performance.now();
        const answer = await worker.client.session
          .get({ sessionID: info.sessionId }, { signal: AbortSignal.timeout(timeoutMs) })
          .catch((error: unknown) => ({ error }));
        const ok = "data" in answer && answer.data !== undefined;
        return {
          id: info.id,
          status: info.status,
          healthy: ok,
          detail: ok ? `answered in ${Math.round(performance.now() - started)} ms` : "no answer",
        };
      }),
    );
  }

  warmPools(): Record<string, PoolStats> {
    return this.#lifecycle.warmStats();
  }

  deviceWorkers(
    options: Pick<ListDeviceWorkersOptions, "probe" | "probeTimeoutMs"> = {},
  ): Promise<DeviceWorker[]> {
    return listDeviceWorkers({
      ...options,
      registryFile: this.registryFile,
      ...(this.#options.secretFile === undefined ? {} : { secretFile: this.#options.secretFile }),
      logger: this.#options.logger ?? consoleRegistryLogger,
    });
  }

  on<K extends keyof OrchestraEvents>(event: K, listener: (...args: OrchestraEvents[K]) => void): this {
    this.#emitterOf(event).on(event, listener as unknown as Listener);
    return this;
  }

  off<K extends keyof OrchestraEvents>(event: K, listener: (...args: OrchestraEvents[K]) => void): this {
    this.#emitterOf(event).off(event, listener as unknown as Listener);
    return this;
  }

  #emitterOf(event: keyof OrchestraEvents): {
    on(event: string, listener: Listener): unknown;
    off(event: string, listener: Listener): unknown;
  } {
    const emitter = POOL_EVENTS.has(event) ? this.#core.pool : this.#lifecycle;
    return emitter as unknown as {
      on(event: string, listener: Listener): unknown;
      off(event: string, listener: Listener): unknown;
    };
  }

  async shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    this.#closing.abort("shutdown");
    try {
      const report = await this.#lifecycle.shutdown(options);
      if (this.#options.owner === "cli") await this.#forgetOurEntries();
      return report;
    } finally {
      this.#unregister();
      this.#journal.close();
    }
  }

  /**
   * A CLI-owned orchestra shut down before it detached (a signal in the middle of a spawn): its
   * workers were stopped, so none of its entries may stay, `starting` ones included.
   */
  async #forgetOurEntries(): Promise<void> {
    const owner = this.#lifecycle.owner;
    await this.#lifecycle.registry
      .transact((entries) => {
        for (let i = entries.length - 1; i >= 0; i--) {
          const e = entries[i];
          if (
            e &&
            this.#started.has(e.id) &&
            e.owner.pid === owner.pid &&
            e.owner.startTime === owner.startTime
          )
            entries.splice(i, 1);
        }
      })
      .catch((error: unknown) =>
        (this.#options.logger ?? consoleRegistryLogger).warn(
          `could not remove this CLI's workers from the device registry: ${(error as Error).message}; run \`orchestra workers cleanup\``,
        ),
      );
  }

  forceKill(): void {
    this.#closing.abort("shutdown");
    this.#lifecycle.forceKill();
  }

  async detach(): Promise<void> {
    this.#unregister();
    await this.#lifecycle.detach();
    this.#journal.close();
  }
}

/**
 * Create an orchestra: the one front door to the runtime. It resolves profiles and models, spawns
 * process and session workers, records them in the device registry, watches their health, keeps
 * warm pools, runs sync and async asks, and shuts everything down (or lets go, for CLI-owned
 * workers). With owner `orchestrator` (the default), recovery from a previous crash starts at once
 * (`recovery`).
 *
 * @example
 * ```ts
 * const orchestra = await createOrchestra({ config, directory, profiles, binary, handleSignals: true });
 * const worker = await orchestra.spawn("coder");
 * const { text } = await orchestra.ask(worker.id, "Add a test for the config loader");
 * await orchestra.shutdown();
 * ```
 */
export async function createOrchestra(options: OrchestraOptions): Promise<Orchestra> {
  const logger = options.logger ?? consoleRegistryLogger;
  const registry = openRegistry({
    ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
    logger,
  });
  const lifecycle = await createWorkerLifecycle({
    config: options.config,
    directory: options.directory,
    owner: options.owner ?? "orchestrator",
    registry,
    ...(options.manifestFile === undefined ? {} : { manifestFile: options.manifestFile }),
    ...(options.secretFile === undefined ? {} : { secretFile: options.secretFile }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.warmPoolMaxQueue === undefined ? {} : { warmPoolMaxQueue: options.warmPoolMaxQueue }),
    logger,
  });
  const closing = new AbortController();
  // Every ask is a job of the user's journal beside the registry, opened at the first ask.
  const journal = lazyJournal({
    registryFile: registry.file,
    ownerKind: options.owner ?? "orchestrator",
    logger,
  });
  const { binary, host } = options;
  const given = options.catalog;
  const catalog =
    given !== undefined
      ? async () => ({ catalog: await given() })
      : host === undefined && binary !== undefined
        ? // Read once per project and cached on disk until the OpenCode config changes: no server
          // per spawn. With it the user's default model (`auto`), as a host's `GET /config` gives.
          // A process spawn that finds it stale reads it from the worker it starts (`from`).
          (from?: () => Promise<OpencodeCatalog>) =>
            cachedCatalog({
              binary,
              directory: options.directory,
              env: process.env,
              fetch:
                from ??
                (() =>
                  temporaryCatalog(binary, options.directory, closing.signal, options.workerPlugins ?? [])),
            })
        : undefined;
  const catalogCached =
    given === undefined && host === undefined && binary !== undefined
      ? () => isCatalogCached({ binary, directory: options.directory, env: process.env })
      : undefined;
  const core = new Orchestrator({
    config: options.config,
    directory: options.directory,
    profiles: options.profiles,
    ...(host === undefined ? {} : { host }),
    ...(catalog === undefined ? {} : { catalog }),
    ...(catalogCached === undefined ? {} : { catalogCached }),
    ...(options.workerBaseConfig === undefined ? {} : { workerBaseConfig: options.workerBaseConfig }),
    ...(binary === undefined ? {} : { binary }),
    ...(options.workerPlugins === undefined ? {} : { workerPlugins: options.workerPlugins }),
    // Workers name their registry, so that a corrupt one can be rebuilt from the running workers.
    workerEnv: { ...options.workerEnv, [REGISTRY_FILE_ENV]: registry.file },
    // The provider caps' queue lives beside the registry (the user's data dir): one per user.
    providerSlotsFile: defaultProviderSlotsFile(registry.file),
    journal: journal.get,
    // Fault 3c: workers watch an orchestrator owner and stop once it is gone; CLI-owned ones outlive it.
    ...(lifecycle.owner.kind === "orchestrator"
      ? { workerOwner: { pid: lifecycle.owner.pid, startTime: lifecycle.owner.startTime } }
      : {}),
    hooks: {
      ...lifecycle.hooks,
      ...(options.opencodePermission === undefined ? {} : { opencodePermission: options.opencodePermission }),
      ...(options.workerEnvFor === undefined ? {} : { workerEnv: options.workerEnvFor }),
    },
  });
  lifecycle.attach(core);
  return new OrchestraImpl(options, core, lifecycle, closing, journal);
}
