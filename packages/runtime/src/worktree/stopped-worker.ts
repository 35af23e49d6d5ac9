import type { WorkerInfo } from "../workers/worker.js";
import type { WorktreeStopReport } from "./worktree.js";

/**
 * A stopped worker as `stop` returns it: its info, and for a worker with `isolation: worktree` what it
 * changed: `branch` (`orchestra/<id>`), `changed`, `files` (relative to the repository), `diffstat`,
 * `gitignore` and `symlinks` (see `WorktreeChanges`), and
 * `worktree` (its path while kept for a merge, `null` once removed because nothing changed).
 */
export type StoppedWorker = WorkerInfo & Partial<WorktreeStopReport>;

/** {@link StoppedWorker} from the worker's info and its worktree's report (none without isolation). */
export function stoppedWorker(info: WorkerInfo, report: WorktreeStopReport | undefined): StoppedWorker {
  if (report === undefined) return info;
  const { branch, changed, files, diffstat, gitignore, symlinks, worktree } = report;
  return { ...info, branch, changed, files, diffstat, gitignore, symlinks, worktree };
}
