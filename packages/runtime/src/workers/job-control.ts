import { type DeviceOptions, passwordOf, secretIfAny } from "../device-workers.js";
import type { JobRecord } from "../journal/job-record.js";
import { type JobJournal, openJobJournal } from "../journal/journal.js";
import { defaultSecretFile } from "../lifecycle/worker-secret.js";
import { classifyEntry } from "../registry/classify.js";
import { consoleRegistryLogger } from "../registry/logger.js";
import { openRegistry } from "../registry/registry.js";
import type { RegistryEntry } from "../registry/schema.js";
import { RuntimeError } from "../runtime-error.js";
import { type CancelResult, cancelTurn, type TurnTarget } from "./cancel.js";
import { type SteerResult, steerTurn } from "./steer.js";
import type { Worker } from "./worker.js";
import { workerClient } from "./worker-client.js";

/** Where {@link cancelJob} and {@link steerJob} look for the job or worker an id names. */
export interface JobControlOptions extends DeviceOptions {
  /** This process's own workers (an orchestrator's pool), reached with their own client. */
  local?: (workerId: string) => Worker | undefined;
  /** Who cancels, for the journal's record (default `orchestra workers cancel`). */
  by?: string;
}

/** A worker's turn, found from a job id or a worker id. */
interface FoundTurn {
  target: TurnTarget;
  /** The worker's queued and running jobs in the journal. */
  jobs: JobRecord[];
}

/** The journal beside the registry, or `undefined` when it cannot be opened (no job ids then). */
function journalOf(options: DeviceOptions): JobJournal | undefined {
  try {
    return openJobJournal({
      ...(options.registryFile === undefined ? {} : { registryFile: options.registryFile }),
    });
  } catch {
    return undefined;
  }
}

/** A process worker of the registry, reached on its own server with its derived password. */
async function remoteTarget(entry: RegistryEntry, options: DeviceOptions): Promise<TurnTarget> {
  if (entry.kind !== "process")
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `worker "${entry.id}" is a session worker of an orchestrator: only that orchestrator reaches its session`,
      { hints: ["cancel or steer it from that OpenCode session (cancel_worker_job, steer_worker)"] },
    );
  if (classifyEntry(entry) === "dead")
    throw new RuntimeError("WORKER_UNAVAILABLE", `worker "${entry.id}" is dead (its process is gone)`, {
      hints: ["remove it with `orchestra workers cleanup`, then spawn a new one"],
    });
  const secretFile = options.secretFile ?? defaultSecretFile();
  const password = passwordOf(entry, await secretIfAny(secretFile));
  if (password === undefined)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `cannot prove worker "${entry.id}" is ours: its password cannot be derived`,
      {
        hints: [
          `the worker secret (${secretFile}) changed or is missing; stop the worker with \`orchestra workers stop\``,
        ],
      },
    );
  if (entry.url === null || entry.sessionId === undefined)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `worker "${entry.id}" has no server URL or session in the device registry (it never became ready)`,
      { hints: ["stop it with `orchestra workers stop`, then spawn a new one"] },
    );
  return {
    workerId: entry.id,
    client: workerClient(entry.url, password), // its own directory (its worktree, if isolated)
    sessionId: entry.sessionId,
  };
}

/**
 * The turn an id names: a worker of this process, a worker of the device registry (its own
 * server, URL and credentials from the registry), or a job of the journal (its worker's turn).
 */
async function findTurn(
  id: string,
  options: JobControlOptions,
  journal: JobJournal | undefined,
): Promise<FoundTurn> {
  const running = (worker: string) => journal?.findRunningByWorker(worker) ?? [];
  const local = options.local?.(id);
  if (local !== undefined)
    return {
      target: { workerId: local.id, client: local.client, sessionId: local.info.sessionId },
      jobs: running(local.id),
    };
  const registry = openRegistry({
    ...(options.registryFile === undefined ? {} : { file: options.registryFile }),
    logger: options.logger ?? consoleRegistryLogger,
  });
  const entries = await registry.list();
  const entry = entries.find((e) => e.id === id);
  if (entry !== undefined) return { target: await remoteTarget(entry, options), jobs: running(entry.id) };
  const job = journal?.get(id);
  if (job === undefined) {
    const workers = entries.map((e) => e.id);
    throw new RuntimeError(
      id.startsWith("job-") ? "JOB_NOT_FOUND" : "WORKER_NOT_FOUND",
      `no job or worker "${id}"; ${workers.length ? `workers: ${workers.join(", ")}` : "no workers are running"}`,
      {
        hints: ["list jobs with list_worker_jobs or `orchestra jobs`, workers with `orchestra workers list`"],
      },
    );
  }
  if (job.status === "queued")
    throw new RuntimeError(
      "JOB_NOT_RUNNING",
      `job ${job.id} of worker "${job.worker}" is queued (waiting for a provider slot or for its worker): it has no turn to abort or steer yet`,
      { hints: ["try again once it runs (`orchestra jobs` shows its state)"] },
    );
  if (job.status !== "running")
    throw new RuntimeError(
      "JOB_NOT_RUNNING",
      `job ${job.id} of worker "${job.worker}" already ended: ${job.status}`,
      {
        hints: ["read its answer with get_worker_job or `orchestra jobs --all`"],
      },
    );
  const own = options.local?.(job.worker);
  const workerEntry = entries.find((e) => e.id === job.worker);
  const target =
    own !== undefined
      ? { workerId: own.id, client: own.client, sessionId: own.info.sessionId }
      : workerEntry !== undefined
        ? await remoteTarget(workerEntry, options)
        : undefined;
  if (target === undefined)
    throw new RuntimeError(
      "WORKER_NOT_FOUND",
      `job ${job.id}'s worker "${job.worker}" is not in the device registry`,
      {
        hints: ["its worker is gone: `orchestra jobs` shows the job's state"],
      },
    );
  return { target: { ...target, jobId: job.id }, jobs: running(job.worker) };
}

/**
 * Cancel a job (by its id) or a worker's current job (by the worker's id): abort the worker's
 * turn on its own server (`session.abort`), then record its running jobs `cancelled` in the
 * journal. A busy worker whose job was `interrupted` (its asking process was killed) has its
 * leftover turn aborted too (`interruptedJobId`). The ask waiting for the turn, in whichever process, ends with `JOB_CANCELLED`; the
 * worker is `ready` again with its session; its siblings are untouched. A hard stop is
 * `stop_worker` / `orchestra workers stop`.
 * @throws {RuntimeError} `JOB_NOT_FOUND` / `WORKER_NOT_FOUND`, `JOB_NOT_RUNNING` (ended, or idle),
 * `WORKER_UNAVAILABLE` (dead, not ours, not answering).
 */
export async function cancelJob(id: string, options: JobControlOptions = {}): Promise<CancelResult> {
  const journal = journalOf(options);
  try {
    const { target, jobs } = await findTurn(id, options, journal);
    const jobId = target.jobId ?? jobs.find((j) => j.status === "running")?.id;
    const result = await cancelTurn({ ...target, ...(jobId === undefined ? {} : { jobId }) });
    const reason = `cancelled by ${options.by ?? "`orchestra workers cancel`"}`;
    for (const job of jobs) if (job.status === "running") journal?.markCancelled(job.id, reason);
    if (jobId !== undefined) return result;
    // A busy worker with no running job: its asking process was killed (the job `interrupted`)
    // while its turn kept running. The turn is aborted all the same; say whose it was.
    const last = journal?.list({ worker: result.workerId, recent: 1 }).at(0);
    return last?.status === "interrupted" ? { ...result, interruptedJobId: last.id } : result;
  } finally {
    journal?.close();
  }
}

/**
 * Give a busy worker (by its id, or by its running job's id) an extra instruction, queued for its
 * next step (see `steerTurn`).
 * @throws {RuntimeError} as {@link cancelJob}.
 */
export async function steerJob(
  id: string,
  message: string,
  options: JobControlOptions = {},
): Promise<SteerResult> {
  const journal = journalOf(options);
  try {
    const { target, jobs } = await findTurn(id, options, journal);
    const jobId = target.jobId ?? jobs.find((j) => j.status === "running")?.id;
    return await steerTurn({ ...target, ...(jobId === undefined ? {} : { jobId }) }, message);
  } finally {
    journal?.close();
  }
}
