import { realpath } from "node:fs/promises";
import { runGit } from "./git-run.js";
import {
  finishWorktree,
  type WorktreeChanges,
  type WorktreeStopReport,
  worktreeChanges,
} from "./worktree.js";
import { WorktreeError } from "./worktree-error.js";
import { mergeWorktree, type WorktreeMerge } from "./worktree-merge.js";
import { listRecords, type WorktreeRecord, worktreesRoot } from "./worktree-store.js";

/** The repository's common git dir for `directory`, or `undefined` outside a repository. */
async function commonDirOf(directory: string): Promise<string | undefined> {
  const out = await runGit(directory, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  if (out.code !== 0) return undefined;
  return realpath(out.stdout.trim()).catch(() => undefined);
}

/** The recorded worktrees of the repository `directory` is in (none outside a repository). */
export async function projectWorktrees(directory: string, root = worktreesRoot()): Promise<WorktreeRecord[]> {
  const common = await commonDirOf(directory);
  if (common === undefined) return [];
  return (await listRecords(root)).filter((r) => r.commonDir === common);
}

/** The recorded worktree of worker `workerId` in `directory`'s repository, if any. */
export async function findWorkerWorktree(
  directory: string,
  workerId: string,
  root = worktreesRoot(),
): Promise<WorktreeRecord | undefined> {
  // Most workers have no worktree: no git process unless a record of this worker id exists.
  const candidates = (await listRecords(root)).filter((r) => r.workerId === workerId);
  if (candidates.length === 0) return undefined;
  const common = await commonDirOf(directory);
  return candidates.find((r) => r.commonDir === common);
}

/**
 * Finish the worktree of a worker that was stopped from another process (`orchestra workers stop`):
 * see `finishWorktree`. `undefined` when the worker has no worktree.
 */
export async function finishWorkerWorktree(
  directory: string,
  workerId: string,
): Promise<WorktreeStopReport | undefined> {
  const record = await findWorkerWorktree(directory, workerId);
  return record === undefined ? undefined : finishWorktree(record);
}

/** Options of {@link mergeWorkerWorktree}. */
export interface MergeWorkerOptions {
  /** The project directory (its repository's current branch receives the changes). */
  directory: string;
  workerId: string;
  /** Rebase the branch onto the current branch and fast-forward, instead of a merge commit. */
  rebase?: boolean;
  /** True while the worker still runs (then nothing is merged). */
  running: boolean;
}

/**
 * Merge a stopped worker's branch into the project's current branch (`merge_worker`, `orchestra
 * workers merge`): see `mergeWorktree`.
 * @throws {WorktreeError} `WORKER_WORKTREE_NOT_FOUND`, `WORKER_MERGE_RUNNING`, `WORKER_MERGE_DIRTY`,
 * `WORKER_MERGE_CONFLICT` (with `conflicts`), `WORKER_WORKTREE_FAILED`.
 */
export async function mergeWorkerWorktree(options: MergeWorkerOptions): Promise<WorktreeMerge> {
  const { directory, workerId } = options;
  const all = await projectWorktrees(directory);
  const record = all.find((r) => r.workerId === workerId);
  if (record === undefined)
    throw new WorktreeError(
      "WORKER_WORKTREE_NOT_FOUND",
      `worker ${workerId} has no worktree in the repository of ${directory}; ${all.length ? `worktrees: ${all.map((r) => r.workerId).join(", ")}` : "no worker worktree is kept"}`,
      {
        hints: [
          'only workers of a profile with `isolation: "worktree"` have one, and a worktree without changes is removed when its worker stops',
        ],
      },
    );
  if (options.running)
    throw new WorktreeError(
      "WORKER_MERGE_RUNNING",
      `worker ${workerId} is still running: its branch ${record.branch} may still change`,
      {
        hints: [
          `stop it first (stop_worker / \`orchestra workers stop ${workerId}\`), which commits its edits onto the branch`,
        ],
      },
    );
  return mergeWorktree(record, options.rebase ? { rebase: true } : {});
}

/**
 * What worker `workerId` changed so far in its worktree (job end: its commits and uncommitted edits,
 * read without touching the worktree), or `undefined` when it has no worktree in `directory`'s repository.
 */
export async function workerWorktreeChanges(
  directory: string,
  workerId: string,
): Promise<WorktreeChanges | undefined> {
  const record = await findWorkerWorktree(directory, workerId);
  return record === undefined ? undefined : worktreeChanges(record);
}
