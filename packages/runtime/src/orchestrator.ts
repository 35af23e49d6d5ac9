import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import type { OrchestratorConfig } from "@orchestra/config";
import type { ProcessIdentity } from "@orchestra/process";
import {
  type EffectiveProfile,
  findProfile,
  type ProfileMatch,
  type ProfileRegistry,
} from "@orchestra/profiles";
import {
  buildCatalogIndex,
  catalogFromOpencode,
  createResolver,
  type OpencodeProviderList,
  type Resolution,
  type Resolver,
  restrictToUserProviders,
  summarizeResolution,
} from "@orchestra/resolver";
import { BudgetGuard } from "./budget/budget-guard.js";
import { catalogOf, defaultModelOf, type OpencodeCatalog } from "./catalog-server.js";
import { type JobJournal, openJobJournal } from "./journal/journal.js";
import { catalogPrices } from "./ledger/catalog-prices.js";
import type { PriceLookup } from "./ledger/pricing.js";
import { consoleRegistryLogger } from "./registry/logger.js";
import { RuntimeError } from "./runtime-error.js";
import { type Job, JobStore } from "./workers/jobs.js";
import { ModelCooldowns, resolveFallbackModels } from "./workers/model-fallback.js";
import { waitWithProgress } from "./workers/progress-ticker.js";
import { ProviderSlots } from "./workers/provider-slots.js";
import {
  type ProcessWorkerSpec,
  type SpawnProgress,
  startProcessWorker,
  startSessionWorker,
} from "./workers/spawn.js";
import { uncheckedExplicitModel } from "./workers/unchecked-model.js";
import type { AskOptions, AskResult, ModelRef, Worker, WorkerInfo, WorkerKind } from "./workers/worker.js";
import { WorkerPool } from "./workers/worker-pool.js";
import { type StoppedWorker, stoppedWorker } from "./worktree/stopped-worker.js";
import { WorktreeIsolation } from "./worktree/worktree-isolation.js";

/** The host OpenCode server the orchestrator runs in (for session workers and the catalog). */
export interface HostServer {
  client: OpencodeClient;
  url: string;
}

/** Hooks the embedding app provides (registry, permission compilation, logging). */
export interface OrchestratorHooks {
  /**
   * OpenCode `permission` config compiled from a profile (second line of defence); `place` is given
   * for a worker isolated in a worktree of its own (its directory and git worktree), whose paths differ.
   */
  opencodePermission?: (
    profile: EffectiveProfile,
    place?: { directory: string; worktree: string },
  ) => Record<string, unknown> | undefined;
  /** A worker became ready (record it in the device registry). */
  onWorkerReady?: (worker: Worker, extra: { password?: string }) => void | Promise<void>;
  /** A worker is gone (stopped or dead). */
  onWorkerGone?: (info: WorkerInfo, reason: string) => void | Promise<void>;
  /** Worker ids in use elsewhere (other owners' workers in the device registry). */
  takenIds?: () => Iterable<string>;
  /**
   * A process worker's server process exists (pid known), before it is ready: record it, so that
   * a crash now leaves it findable. Called once per launch; a retried launch calls it again.
   */
  onWorkerLaunched?: (workerId: string, launch: { profile: string; pid: number }) => void;
  /** A process worker's start failed (after `onWorkerLaunched`, or before it): forget it. */
  onWorkerLaunchFailed?: (workerId: string, error: unknown) => void | Promise<void>;
  /** The server password of a new process worker (default: random). See `WorkerLifecycle`. */
  workerPassword?: (workerId: string) => string | undefined;
  /** Extra environment of one process worker about to start (its own peer-bridge token). */
  workerEnv?: (worker: { id: string; profile: string }) => Readonly<Record<string, string>>;
  /**
   * A ready warm worker of the profile, handed out from memory, or `undefined` to spawn as usual.
   * `reuse` says whether the caller would accept an existing ready worker instead.
   */
  takeWarmWorker?: (profileId: string, options: { reuse: boolean }) => Worker | undefined;
}

/** Options of {@link Orchestrator}. */
export interface OrchestratorOptions {
  config: OrchestratorConfig;
  /** The project directory workers work in. */
  directory: string;
  profiles: ProfileRegistry;
  /** The host server; required for session workers and, without `catalog`, for the model catalog. */
  host?: HostServer;
  /**
   * The catalog (`GET /provider` answer) and, without a host, the user's default model (`auto`);
   * default: both read from the host. `from`, when given, is where to read them if they must be
   * read from OpenCode (a process worker being started).
   */
  catalog?: (from?: () => Promise<OpencodeCatalog>) => Promise<OpencodeCatalog>;
  /**
   * Whether `catalog` answers without OpenCode now. When it says no, a process worker starts at
   * once and the catalog is read from it (no other OpenCode is started for the catalog).
   */
  catalogCached?: () => boolean;
  /** Config merged under each process worker's own (default: the host's `provider` blocks). */
  workerBaseConfig?: () => Promise<Record<string, unknown>>;
  /** The `opencode` binary for process workers. */
  binary?: string;
  /** Plugin modules process workers load (the orchestrator plugin, inert there). */
  workerPlugins?: readonly string[];
  /** Extra environment of process workers. */
  workerEnv?: Readonly<Record<string, string | undefined>>;
  /** The owner process workers watch and stop without (the owner watchdog); none for CLI-owned workers. */
  workerOwner?: ProcessIdentity;
  /** The shared state of `modelSelection.maxConcurrent` (default: beside the device registry). */
  providerSlotsFile?: string;
  /** The job journal every ask is recorded in (default: one private to this process, in memory). */
  journal?: () => JobJournal;
  hooks?: OrchestratorHooks;
}

/** Options of `Orchestrator.spawn`. */
export interface SpawnOptions {
  /** A model reference that overrides the profile's. */
  model?: string;
  /** Force a worker kind instead of the profile's. */
  kind?: WorkerKind;
  /** Reuse a ready worker of the profile (default true). */
  reuse?: boolean;
  /** Called at each spawn stage (`spawning`, `listening`, `enforcement`, `session`, `ready`, …), and while one waits. */
  onProgress?: (progress: SpawnProgress) => void;
  signal?: AbortSignal;
  /** Keep the worker out of reuse until revealed (warm-pool workers; see `WorkerPool.reveal`). */
  hidden?: boolean;
}

/** Result of `Orchestrator.delegate`. */
export interface Delegation {
  /** The ranking that chose the profile (absent when the caller named one). */
  match: ProfileMatch<EffectiveProfile> | undefined;
  worker: WorkerInfo;
  /** True when the worker was started for this task. */
  spawned: boolean;
  answer: AskResult;
}

/**
 * The orchestrator core (internal): it resolves profiles and models, spawns process and session
 * workers into one {@link WorkerPool}, and runs sync and async asks. `createOrchestra` wires it to
 * its `WorkerLifecycle` (the hooks, `attach`, `start`); nothing outside the runtime uses it.
 */
export class Orchestrator {
  readonly pool = new WorkerPool();
  /** The git worktrees of workers whose profile has `isolation: worktree`. */
  readonly worktrees: WorktreeIsolation;
  readonly jobs: JobStore;
  readonly profileModels = new Map<string, string>();
  readonly #options: OrchestratorOptions;
  /** When workers' models failed; asks skip a failed model for `modelSelection.fallbackCooldownMs`. */
  readonly #cooldowns: ModelCooldowns;
  #resolver: Promise<Resolver> | undefined;
  /** The catalog's prices, once the resolver has read the catalog (the ledger's fallback). */
  #prices: PriceLookup | undefined;

  constructor(options: OrchestratorOptions) {
    this.#options = options;
    this.worktrees = new WorktreeIsolation(options.directory, consoleRegistryLogger, (profile) => {
      try {
        return options.profiles.resolveProfile(profile).profile.isolation === "worktree";
      } catch {
        return false;
      }
    });
    // A worktree worker that stopped or died: its edits are committed, an unchanged worktree removed.
    this.pool.on("worker:stopped", (info) => void this.worktrees.finish(info));
    this.pool.on("worker:dead", (info) => void this.worktrees.finish(info));
    let memory: JobJournal | undefined;
    this.jobs = new JobStore(
      options.journal ?? (() => (memory ??= openJobJournal({ file: ":memory:", ownerKind: "orchestrator" }))),
    );
    // The usage ledger: costs OpenCode does not report come from the catalog; budgets are enforced.
    const budgets = new BudgetGuard({
      budgets: () => this.#options.config.budgets ?? {},
      journal: () => this.jobs.journal,
      prices: () => this.#prices,
      onWarning: (warning) => this.pool.emit("budget:warning", warning),
    });
    this.jobs.useLedger({ prices: () => this.#prices, budgets });
    // A dollar budget over a model with unknown prices is a warning at spawn, not a silent pass.
    this.pool.on("worker:ready", (info) => budgets.checkSpawned(info));
    this.#cooldowns = new ModelCooldowns(options.config.modelSelection.fallbackCooldownMs);
    // Every worker's prompts (spawned, warm or adopted) wait their turn under the provider caps.
    const caps = options.config.modelSelection.maxConcurrent;
    if (Object.keys(caps).length > 0) {
      const slots = new ProviderSlots({
        caps,
        ...(options.providerSlotsFile === undefined ? {} : { file: options.providerSlotsFile }),
      });
      this.pool.on("worker:ready", (info) => this.pool.get(info.id)?.useProviderSlots(slots));
    }
    this.pool.on("worker:dead", (info, reason) => {
      this.jobs.cancelWorker(info.id, `worker ${info.id} died: ${reason}`);
      void options.hooks?.onWorkerGone?.(info, reason);
    });
    this.pool.on("worker:stopped", (info) => {
      this.jobs.cancelWorker(info.id, `worker ${info.id} was stopped`);
      void options.hooks?.onWorkerGone?.(info, "stopped");
    });
  }

  /** The effective config. */
  get config(): OrchestratorConfig {
    return this.#options.config;
  }

  /** The profiles this orchestrator knows. */
  get profiles(): ProfileRegistry {
    return this.#options.profiles;
  }

  /** The resolver over the current catalog (built once, rebuilt by {@link refreshCatalog}). */
  resolver(from?: () => Promise<OpencodeCatalog>): Promise<Resolver> {
    this.#resolver ??= (async () => {
      const read = this.#options.catalog ? await this.#options.catalog(from) : undefined;
      const raw = read?.catalog ?? (await this.#hostCatalog());
      const { modelAliases, modelSelection, capabilityOverrides } = this.#options.config;
      const defaultModel = read?.defaultModel ?? (await this.#hostDefaultModel());
      // Workers use the user's providers: OpenCode's built-in free one only when the user chose it.
      const catalog = restrictToUserProviders(catalogFromOpencode(raw), {
        ...(defaultModel === undefined ? {} : { defaultModel }),
        ...(modelSelection.preferredProviders === undefined
          ? {}
          : { preferredProviders: modelSelection.preferredProviders }),
      });
      const index = buildCatalogIndex(catalog, { capabilityOverrides });
      this.#prices = catalogPrices(index);
      // `auto` is the user's default model when it is usable.
      return createResolver(index, {
        modelAliases,
        modelSelection,
        ...(defaultModel === undefined ? {} : { defaultModel }),
      });
    })();
    this.#resolver.catch(() => {
      this.#resolver = undefined;
    });
    return this.#resolver;
  }

  /** Forget the cached catalog; the next resolve fetches it again. */
  refreshCatalog(): void {
    this.#resolver = undefined;
  }

  /** The user's default model (`model` in the host's OpenCode config), when there is a host and one is set. */
  async #hostDefaultModel(): Promise<string | undefined> {
    const host = this.#options.host;
    if (!host) return undefined;
    return defaultModelOf((await host.client.config.get()).data);
  }

  async #hostCatalog(): Promise<OpencodeProviderList> {
    const host = this.#options.host;
    if (!host)
      throw new RuntimeError(
        "WORKER_UNAVAILABLE",
        "no host OpenCode server and no catalog: cannot resolve models",
      );
    const result = await host.client.provider.list();
    if (!result.data)
      throw new RuntimeError("WORKER_UNAVAILABLE", `GET /provider failed: ${JSON.stringify(result.error)}`);
    return result.data as unknown as OpencodeProviderList;
  }

  /**
   * Resolve the model a worker of `profile` would get (override > set_profile_model > profile);
   * `from`: where to read the catalog if it must be read (see {@link resolver}).
   */
  async resolveModel(
    profile: EffectiveProfile,
    override?: string,
    from?: () => Promise<OpencodeCatalog>,
  ): Promise<Resolution> {
    const resolver = await this.resolver(from);
    const chosen = override ?? this.profileModels.get(profile.id);
    if (chosen !== undefined) return resolver.resolve(chosen);
    return resolver.resolveProfile({
      model: profile.model,
      fallbackModels: profile.fallbackModels,
      supportsVision: profile.supportsVision,
    });
  }

  /**
   * Spawn (or reuse) a worker of `profileId`. Process workers need a binary; session workers
   * need the host server.
   */
  async spawn(profileId: string, options: SpawnOptions = {}): Promise<Worker> {
    const profile = this.#options.profiles.resolveProfile(profileId).profile;
    const kind = options.kind ?? profile.kind;
    if (options.model === undefined && options.kind === undefined && !options.hidden) {
      const warm = this.#options.hooks?.takeWarmWorker?.(profile.id, { reuse: options.reuse !== false });
      if (warm) return warm;
    }
    // Ids whose branch `orchestra/<id>` a kept worktree holds are taken.
    const kept = profile.isolation === "worktree" ? await this.worktrees.takenIds() : [];
    return this.pool.spawn(
      profile.id,
      this.worktrees.guarded(async (id, ctx) => {
        ctx.onProgress({
          workerId: id,
          stage: "spawning",
          message: `resolving a model for ${profile.id}`,
          elapsedMs: 0,
        });
        let chosen: ModelRef | undefined;
        const resolve = async (from?: () => Promise<OpencodeCatalog>): Promise<ModelRef> => {
          const resolution = await waitWithProgress(
            this.resolveModel(profile, options.model, from),
            "the model catalog",
            (message, elapsedMs) => ctx.onProgress({ workerId: id, stage: "waiting", message, elapsedMs }),
          );
          ctx.onProgress({
            workerId: id,
            stage: "spawning",
            message: `model ${summarizeResolution(resolution)}`,
            elapsedMs: 0,
          });
          chosen = { providerID: resolution.providerId, modelID: resolution.modelId };
          return chosen;
        };
        // A process worker with the catalog not cached (no host): the worker starts at once and its
        // model is chosen from the worker's own catalog, so no other OpenCode starts first.
        const fromWorker =
          kind === "process" && this.#resolver === undefined && this.#options.catalogCached?.() === false;
        // Nothing to choose (an explicit `provider/model`, no dollar budget): no catalog is read at
        // all; OpenCode checks the model at the worker's first ask.
        const unchecked = fromWorker
          ? uncheckedExplicitModel({
              override: options.model,
              aliases: this.#options.config.modelAliases,
              budget: this.#options.config.budgets?.[profile.id],
            })
          : undefined;
        if (unchecked)
          ctx.onProgress({
            workerId: id,
            stage: "spawning",
            message: `model ${unchecked.providerID}/${unchecked.modelID} (explicit): used as given, not checked against a catalog (none is cached for this project yet); OpenCode checks it at the worker's first ask`,
            elapsedMs: 0,
          });
        const place = await this.worktrees.prepare(profile, kind, id);
        if (place)
          ctx.onProgress({
            workerId: id,
            stage: "spawning",
            message: `worktree ${place.worktree} on branch ${place.branch}`,
            elapsedMs: 0,
          });
        const permission = this.#options.hooks?.opencodePermission?.(profile, place);
        const spec: ProcessWorkerSpec = {
          id,
          profile: profile.id,
          kind,
          model:
            unchecked ??
            (fromWorker ? (client) => resolve(() => catalogOf(client, ctx.signal)) : await resolve()),
          ...(profile.systemPrompt ? { systemPrompt: profile.systemPrompt } : {}),
          directory: place?.directory ?? this.#options.directory,
          ...(permission ? { permission } : {}),
          ...(Object.keys(profile.tools).length ? { tools: { ...profile.tools } } : {}),
          ...(profile.temperature === undefined ? {} : { temperature: profile.temperature }),
        };
        // The profile's other models, for when this one fails at run time (not for an explicit model).
        const withFallbacks = async (worker: Worker): Promise<void> =>
          worker.useFallbackModels({
            models:
              options.model === undefined && !this.profileModels.has(profile.id) && chosen
                ? resolveFallbackModels(await this.resolver(), profile, chosen)
                : [],
            cooldowns: this.#cooldowns,
            onFallback: (fallback) => this.pool.emit("model:fallback", fallback),
          });
        if (kind === "session") {
          const host = this.#options.host;
          if (!host)
            throw new RuntimeError(
              "WORKER_UNAVAILABLE",
              `profile ${profile.id} runs as a session worker, but there is no host server`,
            );
          const model = spec.model as ModelRef;
          const worker = await startSessionWorker({ ...spec, model }, host, {
            onProgress: ctx.onProgress,
            signal: ctx.signal,
          });
          await withFallbacks(worker);
          await this.#options.hooks?.onWorkerReady?.(worker, {});
          return worker;
        }
        const binary = this.#options.binary;
        if (!binary)
          throw new RuntimeError(
            "WORKER_OPENCODE_NOT_FOUND",
            "no opencode binary to start a process worker",
            {
              hints: ["set ORCHESTRA_OPENCODE_BIN"],
            },
          );
        const baseConfig = (await this.#options.workerBaseConfig?.()) ?? (await this.#hostProviders());
        const hooks = this.#options.hooks;
        const fixedPassword = hooks?.workerPassword?.(id);
        const started = startProcessWorker(spec, {
          ...(fixedPassword === undefined ? {} : { password: fixedPassword }),
          binary,
          baseConfig,
          ...(this.#options.workerPlugins ? { plugins: this.#options.workerPlugins } : {}),
          env: {
            ...this.#options.workerEnv,
            ...place?.env,
            ...hooks?.workerEnv?.({ id, profile: profile.id }),
          },
          ...(this.#options.workerOwner ? { owner: this.#options.workerOwner } : {}),
          startupTimeoutMs: this.#options.config.spawn.startupTimeoutMs,
          signal: ctx.signal,
          onProgress: ctx.onProgress,
          onExit: (reason) => this.pool.markDead(id, reason),
          onSpawn: (pid) => hooks?.onWorkerLaunched?.(id, { profile: profile.id, pid }),
        });
        const { worker, password } = await started.catch(async (error: unknown) => {
          await hooks?.onWorkerLaunchFailed?.(id, error);
          throw error;
        });
        await withFallbacks(worker);
        await hooks?.onWorkerReady?.(worker, { password });
        return worker;
      }),
      {
        ...(options.reuse === undefined ? {} : { reuse: options.reuse }),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.hidden ? { hidden: true } : {}),
        takenIds: [...(this.#options.hooks?.takenIds?.() ?? []), ...kept],
      },
    );
  }

  async #hostProviders(): Promise<Record<string, unknown>> {
    const host = this.#options.host;
    if (!host) return {};
    const result = await host.client.config.get();
    const config = (result.data ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of ["provider", "enabled_providers", "disabled_providers"])
      if (config[key] !== undefined) out[key] = config[key];
    return out;
  }

  /** Ask a worker and wait for its answer. */
  ask(workerId: string, message: string, options: AskOptions = {}): Promise<AskResult> {
    return this.jobs.ask(this.pool.require(workerId), message, options);
  }

  /** Ask a worker in the background; returns the job at once. */
  askAsync(workerId: string, message: string, options: Omit<AskOptions, "signal"> = {}): Job {
    return this.jobs.start(this.pool.require(workerId), message, options);
  }

  /** Rank profiles for a task description (the discovery behind `suggest_worker`). */
  suggest(task: string, limit = 3): ProfileMatch<EffectiveProfile>[] {
    const candidates = this.#options.profiles
      .enabledIds()
      .map((id) => this.#options.profiles.resolveProfile(id).profile);
    return findProfile(task, candidates, { limit });
  }

  /**
   * Delegate a task: use the given profile or the best-ranked one, reuse a ready worker of it or
   * spawn one, then ask it.
   */
  async delegate(
    task: string,
    options: {
      profile?: string;
      onProgress?: (p: SpawnProgress) => void;
      timeoutMs?: number;
      onStream?: AskOptions["onStream"];
    } = {},
  ): Promise<Delegation> {
    const match = options.profile === undefined ? this.suggest(task, 1)[0] : undefined;
    const profileId = options.profile ?? match?.profile.id;
    if (profileId === undefined) {
      throw new RuntimeError("WORKER_NOT_FOUND", "no profile fits this task", {
        hints: ["name one with profile=<id>; list_profiles shows them"],
      });
    }
    const existing = this.pool.findByProfile(profileId);
    const worker =
      existing ?? (await this.spawn(profileId, options.onProgress ? { onProgress: options.onProgress } : {}));
    const answer = await this.jobs.ask(worker, task, {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.onStream === undefined ? {} : { onStream: options.onStream }),
    });
    return { match, worker: worker.info, spawned: existing === undefined, answer };
  }

  /** Stop one worker; a worktree worker's result says what it changed (see `StoppedWorker`). */
  async stop(workerId: string): Promise<StoppedWorker> {
    const info = await this.pool.stop(workerId, this.#options.config.spawn.shutdownGraceMs);
    return stoppedWorker(info, await this.worktrees.finish(info));
  }

  /** Stop taking work and stop every worker (graceful shutdown); worktrees are finished. */
  async shutdown(): Promise<WorkerInfo[]> {
    const stopped = await this.pool.close(this.#options.config.spawn.shutdownGraceMs);
    await this.worktrees.drain();
    return stopped;
  }
}
