import { realpath } from "node:fs/promises";
import type { EffectiveProfile } from "@orchestra/profiles";
import type { RegistryLogger } from "../registry/logger.js";
import type { WorkerStarter } from "../workers/worker-pool.js";
import { runGit } from "./git-run.js";
import { PROJECT_DIR_ENV } from "./project-dir-env.js";
import {
  createWorktree,
  finishWorktree,
  removeWorktree,
  type WorktreeChanges,
  type WorktreeStopReport,
  worktreeChanges,
} from "./worktree.js";
import { WorktreeError } from "./worktree-error.js";
import type { WorktreeRecord } from "./worktree-store.js";
import { findWorkerWorktree } from "./worktree-workers.js";

/** Where an isolated worker works, and what it needs to start there. */
export interface IsolatedPlace {
  /** The worker's directory: its project root for permissions and the sandbox. */
  directory: string;
  /** The git worktree's top level (OpenCode's worktree for the worker). */
  worktree: string;
  /** The worker's branch. */
  branch: string;
  /** Extra environment of the worker process. */
  env: Record<string, string>;
}

/**
 * The worktrees of one orchestrator's workers (`isolation: worktree`): created at spawn, finished
 * (edits committed onto the branch; removed when nothing changed) when the worker stops or dies.
 */
export class WorktreeIsolation {
  readonly #directory: string;
  readonly #logger: RegistryLogger;
  readonly #records = new Map<string, WorktreeRecord>();
  readonly #finished = new Map<string, Promise<WorktreeStopReport | undefined>>();
  readonly #isolated: (profile: string) => boolean;

  /**
   * @param isolated - Whether a profile has `isolation: worktree`: a worker of such a profile that
   * this orchestrator did not start (one reconnected after a restart) has its worktree found on disk.
   */
  constructor(directory: string, logger: RegistryLogger, isolated: (profile: string) => boolean) {
    this.#directory = directory;
    this.#logger = logger;
    this.#isolated = isolated;
  }

  /**
   * Worker ids that have a branch `orchestra/<id>` in the project's repository (kept worktrees): a new
   * worker must not take one of them.
   */
  async takenIds(): Promise<string[]> {
    const refs = await runGit(this.#directory, [
      "for-each-ref",
      "--format=%(refname)",
      "refs/heads/orchestra/",
    ]);
    if (refs.code !== 0) return [];
    return refs.stdout
      .split("\n")
      .map((r) => r.replace(/^refs\/heads\/orchestra\//, ""))
      .filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
  }

  /**
   * Create the worktree of a worker of `profile` when its profile asks for one; `undefined` when it
   * does not (`isolation: none`).
   * @throws {WorktreeError} `WORKER_WORKTREE_SESSION` for a session worker, `WORKER_WORKTREE_NO_GIT`
   * outside a git repository, `WORKER_WORKTREE_FAILED`.
   */
  async prepare(
    profile: EffectiveProfile,
    kind: "process" | "session",
    workerId: string,
  ): Promise<IsolatedPlace | undefined> {
    if (profile.isolation !== "worktree") return undefined;
    if (kind === "session")
      throw new WorktreeError(
        "WORKER_WORKTREE_SESSION",
        `profile ${profile.id} has \`isolation: "worktree"\`, but this worker would be a session worker, which runs in the host's directory and cannot be isolated`,
        {
          hints: [
            `spawn it as a process worker (\`kind: "process"\`), or set \`isolation: "none"\` on profile ${profile.id}`,
          ],
        },
      );
    const record = await createWorktree({ directory: this.#directory, workerId, profile: profile.id });
    this.#records.set(workerId, record);
    this.#finished.delete(workerId);
    return {
      directory: record.directory,
      worktree: record.path,
      branch: record.branch,
      env: { [PROJECT_DIR_ENV]: await realpath(this.#directory) },
    };
  }

  /**
   * `start` with its worktree removed when the start fails after the worktree was created (the
   * worker never worked in it).
   */
  guarded(start: WorkerStarter): WorkerStarter {
    return async (id, context) => {
      try {
        return await start(id, context);
      } catch (error) {
        await this.abandon(id);
        throw error;
      }
    };
  }

  /** The changes a worker made so far (job end), without touching its worktree. */
  async changes(workerId: string): Promise<WorktreeChanges | undefined> {
    const record = this.#records.get(workerId);
    return record === undefined ? undefined : worktreeChanges(record);
  }

  /**
   * The worker is gone (stopped or dead): finish its worktree once (see `finishWorktree`). Later
   * calls get the same report.
   */
  finish(worker: { id: string; profile: string }): Promise<WorktreeStopReport | undefined> {
    const workerId = worker.id;
    const known = this.#finished.get(workerId);
    if (known !== undefined) return known;
    const done = this.#recordOf(worker).then(async (record) => {
      if (record === undefined) return undefined;
      return finishWorktree(record).then(
        (report) => {
          if (!report.changed) this.#records.delete(workerId);
          return report;
        },
        (error: unknown) => {
          this.#logger.warn(
            `could not finish the worktree of ${workerId} (${record.path}): ${(error as Error).message}; \`orchestra workers cleanup\` settles it`,
          );
          return undefined;
        },
      );
    });
    this.#finished.set(workerId, done);
    return done;
  }

  /** The worktree of a worker: started here, or (reconnected after a restart) found on disk. */
  async #recordOf(worker: { id: string; profile: string }): Promise<WorktreeRecord | undefined> {
    const known = this.#records.get(worker.id);
    if (known !== undefined || !this.#isolated(worker.profile)) return known;
    return findWorkerWorktree(this.#directory, worker.id).catch(() => undefined);
  }

  /** A spawn failed after its worktree was created: remove it (the worker never worked in it). */
  async abandon(workerId: string): Promise<void> {
    const record = this.#records.get(workerId);
    if (record === undefined) return;
    this.#records.delete(workerId);
    await removeWorktree(record).catch(() => undefined);
  }

  /** Wait for every worktree being finished (shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.#finished.values());
  }
}
