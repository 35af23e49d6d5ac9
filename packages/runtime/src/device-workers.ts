import { existsSync } from "node:fs";
import { type HealthState, httpProbe } from "@orchestra/health";
import { currentProcessIdentity } from "@orchestra/process";
import { BudgetGuard } from "./budget/budget-guard.js";
import type { Budget } from "./budget/budget-spend.js";
import { type JobJournal, openJobJournal } from "./journal/journal.js";
import { journalledAsk } from "./journal/journalled-ask.js";
import { reconnectedProcessWorker, stopEntryProcess } from "./lifecycle/reconnect.js";
import { type RecoveryReport, recoverWorkers } from "./lifecycle/recovery.js";
import { defaultSecretFile, deriveWorkerPassword, loadWorkerSecret } from "./lifecycle/worker-secret.js";
import { classifyEntry, type EntryClass } from "./registry/classify.js";
import { consoleRegistryLogger, type RegistryLogger } from "./registry/logger.js";
import { verifyPassword } from "./registry/password-hash.js";
import { openRegistry } from "./registry/registry.js";
import type { RegistryEntry } from "./registry/schema.js";
import { RuntimeError } from "./runtime-error.js";
import { defaultProviderSlotsFile, ProviderSlots } from "./workers/provider-slots.js";
import type { AskOptions, AskResult } from "./workers/worker.js";
import { withWorktreeSweep } from "./worktree/worktree-recovery.js";

/** Where the device's workers are recorded. */
export interface DeviceOptions {
  /** The device registry file (default: `$XDG_DATA_HOME/opencode/orchestra/registry.json`). */
  registryFile?: string;
  /** The per-user secret worker passwords are derived from (default: beside the registry). */
  secretFile?: string;
  /** Where repairs of a damaged registry are reported (default: `console.warn`). */
  logger?: RegistryLogger;
}

/** Options of {@link listDeviceWorkers}. */
export interface ListDeviceWorkersOptions extends DeviceOptions {
  /** Probe each live process worker's server now (`GET /global/health`), default false. */
  probe?: boolean;
  /** Timeout of each probe, in ms (default 3 000). */
  probeTimeoutMs?: number;
}

/**
 * A worker's health as one probe sees it: the health monitor's states (`healthy`, `suspect`: no
 * answer in time, `misconfigured`: it refuses our credentials, `dead`: its process is gone), or
 * `unknown` when it cannot be probed from here (a session worker, no URL yet, no password).
 */
interface WorkerHealthView {
  state: HealthState | "unknown";
  /** Why, when it is not `healthy`. */
  reason?: string;
}

/** One worker of the device registry. */
export interface DeviceWorker {
  /** Its registry entry as recorded. */
  entry: RegistryEntry;
  /** Whether its process and its owner are alive (see the runtime README's `classifyEntry`). */
  live: EntryClass;
  /** Its health, when probed. */
  health?: WorkerHealthView;
}

/** A process worker of the device registry, reached from another process (the CLI). */
export interface WorkerConnection {
  /** Its registry entry. */
  readonly entry: RegistryEntry;
  /**
   * Send a message and wait for the answer.
   * @throws `WORKER_UNAVAILABLE` (dead, or its password cannot be derived), `WORKER_ASK_FAILED`.
   */
  ask(
    message: string,
    options?: Pick<
      AskOptions,
      "timeoutMs" | "signal" | "onProgress" | "providerRetries" | "onStream" | "jobId"
    >,
  ): Promise<AskResult>;
  /** Probe its server now. */
  probe(timeoutMs?: number): Promise<WorkerHealthView>;
  /**
   * Stop it (dispose its instance when we can authenticate, then SIGTERM → SIGKILL its process
   * group, identity permitting) and remove its registry entry.
   */
  stop(graceMs?: number): Promise<"exited" | "terminated" | "killed" | "not-ours">;
}

/** The user's worker secret, when it exists (never created here). */
export async function secretIfAny(file: string): Promise<Buffer | undefined> {
  // Never create a secret here: a missing one means no worker can be proven ours.
  if (!existsSync(file)) return undefined;
  return loadWorkerSecret(file).catch(() => undefined);
}

/** The entry's server password, when the user's secret derives one its hash accepts. */
export function passwordOf(entry: RegistryEntry, secret: Buffer | undefined): string | undefined {
  if (secret === undefined || entry.passwordHash === undefined) return undefined;
  const password = deriveWorkerPassword(secret, entry.id, entry.createdAt);
  return verifyPassword(password, entry.passwordHash) ? password : undefined;
}

async function probeEntry(
  entry: RegistryEntry,
  password: string | undefined,
  timeoutMs: number,
): Promise<WorkerHealthView> {
  if (classifyEntry(entry) === "dead") return { state: "dead", reason: "its process is gone" };
  if (entry.kind === "session")
    return { state: "unknown", reason: "a session worker: its orchestrator's health_check probes it" };
  if (entry.url === null) return { state: "unknown", reason: "no server URL yet (starting)" };
  const probe = httpProbe(entry.url, {
    path: "/global/health",
    ...(password === undefined ? {} : { auth: { username: "opencode", password } }),
  });
  const result = await probe(AbortSignal.timeout(timeoutMs));
  if (result.status === "ok") return { state: "healthy" };
  if (result.status === "misconfigured" && password === undefined)
    return {
      state: "unknown",
      reason: "it answers, but its password cannot be derived (the worker secret changed)",
    };
  return { state: result.status === "misconfigured" ? "misconfigured" : "suspect", reason: result.reason };
}

/**
 * Every worker in the device registry (this user's, from every orchestrator and CLI), with whether
 * it is alive and, with `probe`, its health now: a hung server is `suspect` however long its
 * entry has said `ready`.
 */
export async function listDeviceWorkers(options: ListDeviceWorkersOptions = {}): Promise<DeviceWorker[]> {
  const registry = openRegistry({
    ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
    logger: options.logger ?? consoleRegistryLogger,
  });
  const entries = await registry.list();
  if (!options.probe) return entries.map((entry) => ({ entry, live: classifyEntry(entry) }));
  const secret = await secretIfAny(options.secretFile ?? defaultSecretFile());
  return Promise.all(
    entries.map(async (entry) => ({
      entry,
      live: classifyEntry(entry),
      health: await probeEntry(entry, passwordOf(entry, secret), options.probeTimeoutMs ?? 3_000),
    })),
  );
}

/** The user's job journal, or `undefined` (with a warning) when it cannot be opened. */
function tryOpenJournal(registryFile: string | undefined, logger: RegistryLogger): JobJournal | undefined {
  try {
    return openJobJournal({ ...(registryFile === undefined ? {} : { registryFile }), ownerKind: "cli" });
  } catch (error) {
    logger.warn(`${(error as Error).message}; the ask is not recorded as a job`);
    return undefined;
  }
}

/**
 * Reach a process worker of the device registry (one a CLI or another orchestrator started): ask
 * it, probe it, stop it. Its password is re-derived from the user's secret and checked against
 * the entry's hash, so only workers started by this user can be asked.
 * @throws {RuntimeError} `WORKER_UNAVAILABLE` for a session worker (it lives in its orchestrator's
 * OpenCode).
 */
export async function connectWorker(
  entry: RegistryEntry,
  options: DeviceOptions & {
    /** `modelSelection.maxConcurrent`: its asks wait their turn with every other process's. */
    maxConcurrent?: Readonly<Record<string, number>>;
    /** `budgets`: its asks are held to the worker's profile budget (warnings go to the logger). */
    budgets?: Readonly<Record<string, Budget>>;
  } = {},
): Promise<WorkerConnection> {
  if (entry.kind !== "process")
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `worker "${entry.id}" is a session worker of an orchestrator`,
      {
        hints: ["ask or stop it from that OpenCode session (ask_worker, stop_worker)"],
      },
    );
  const secretFile = options.secretFile ?? defaultSecretFile();
  const password = passwordOf(entry, await secretIfAny(secretFile));
  return {
    entry,
    async ask(message, askOptions = {}) {
      if (classifyEntry(entry) === "dead")
        throw new RuntimeError("WORKER_UNAVAILABLE", `worker "${entry.id}" is dead (its process is gone)`, {
          hints: ["remove it with `orchestra workers cleanup`, then spawn a new one"],
        });
      if (password === undefined)
        throw new RuntimeError(
          "WORKER_UNAVAILABLE",
          `cannot prove worker "${entry.id}" is ours: its password cannot be derived`,
          {
            hints: [
              `the worker secret (${secretFile}) changed or is missing; stop the worker and spawn a new one`,
            ],
          },
        );
      const worker = reconnectedProcessWorker(entry, password);
      if (worker === undefined)
        throw new RuntimeError(
          "WORKER_UNAVAILABLE",
          `worker "${entry.id}" has no server URL, session or model in the device registry (it never became ready)`,
          { hints: ["stop it with `orchestra workers stop`, then spawn a new one"] },
        );
      if (options.maxConcurrent !== undefined && Object.keys(options.maxConcurrent).length > 0)
        worker.useProviderSlots(
          new ProviderSlots({
            caps: options.maxConcurrent,
            ...(options.registryFile === undefined
              ? {}
              : { file: defaultProviderSlotsFile(options.registryFile) }),
          }),
        );
      // The ask is a job of the user's journal, owned by this process (swept while it runs).
      const journal = tryOpenJournal(options.registryFile, options.logger ?? consoleRegistryLogger);
      if (journal === undefined) return worker.ask(message, askOptions);
      journal.startSweeping();
      try {
        const budgets = options.budgets;
        const logger = options.logger ?? consoleRegistryLogger;
        return await journalledAsk(
          journal,
          worker,
          message,
          askOptions,
          budgets === undefined || Object.keys(budgets).length === 0
            ? {}
            : {
                budgets: new BudgetGuard({
                  budgets: () => budgets,
                  journal: () => journal,
                  // A budget's warning is not the registry's: without a logger, `orchestra: …` on stderr.
                  onWarning: (warning) =>
                    options.logger === undefined
                      ? console.warn(`orchestra: ${warning.message}`)
                      : logger.warn(warning.message),
                }),
              },
        );
      } finally {
        journal.close();
      }
    },
    probe: (timeoutMs = 3_000) => probeEntry(entry, password, timeoutMs),
    async stop(graceMs = 5_000) {
      const outcome = await stopEntryProcess(entry, graceMs, password);
      const registry = openRegistry({
        ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
        logger: options.logger ?? consoleRegistryLogger,
      });
      await registry.remove(entry.id);
      return outcome;
    },
  };
}

/** Options of {@link cleanupWorkers}. */
interface CleanupOptions extends DeviceOptions {
  /** The recovery manifest (default: `$XDG_CONFIG_HOME/opencode/orchestrator-recovery.json`). */
  manifestFile?: string;
  /** SIGTERM → SIGKILL grace per worker, in ms (default 5 000). */
  graceMs?: number;
  /**
   * Also remove the worktrees of gone workers that hold changes, with their branches (`--worktrees`).
   * Without it those are kept and only worktrees without changes are removed.
   */
  worktrees?: boolean;
}

/**
 * Run the recovery protocol on demand (`orchestra workers cleanup`): entries whose process is gone
 * are removed; live workers whose owner orchestrator is dead (or stopped renewing them) are
 * stopped by process group; live CLI-owned workers and workers of live orchestrators are left
 * alone; a session worker's host server is never signalled; the recovery manifest is deleted.
 * Then the worktrees of gone workers are settled: removed with their branch when they hold no
 * changes (all of them with `worktrees`), kept otherwise (`RecoveryReport.worktrees`).
 */
export async function cleanupWorkers(options: CleanupOptions = {}): Promise<RecoveryReport> {
  const logger = options.logger ?? consoleRegistryLogger;
  const registry = openRegistry({
    ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
    logger,
  });
  // With the user's secret, orphans can be disposed first (their bash-tool children die too).
  const secret = await secretIfAny(options.secretFile ?? defaultSecretFile());
  const me = currentProcessIdentity();
  const report = await recoverWorkers({
    registry,
    // Claims are recorded as an orchestrator's: should cleanup die half-way, the next recovery
    // still sees them as orphans (a `cli` owner would protect them).
    owner: { kind: "orchestrator", pid: me.pid, startTime: me.startTime },
    ...(options.manifestFile === undefined ? {} : { manifestFile: options.manifestFile }),
    ...(secret === undefined ? {} : { secret }),
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
    logger,
  });
  // The worktrees of gone workers, in every repository (`isolation: worktree`).
  return withWorktreeSweep(report, { registry, logger, ...(options.worktrees ? { all: true } : {}) });
}
