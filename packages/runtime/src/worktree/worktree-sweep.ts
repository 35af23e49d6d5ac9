import { existsSync } from "node:fs";
import { isSameProcess } from "@orchestra/process";
import { runGit } from "./git-run.js";
import { branchChanges, commitPending, removeWorktree } from "./worktree.js";
import { listRecords, type WorktreeRecord, worktreesRoot } from "./worktree-store.js";

/** One worktree a sweep kept or removed. */
export interface SweptWorktree {
  workerId: string;
  branch: string;
  /** The worktree's path (gone when removed). */
  path: string;
  /** The changed files (against the commit the worktree was created from). */
  files: string[];
  /** The branch's last commit, to restore a removed branch with `git branch <branch> <tip>`. */
  tip: string | null;
  reason: string;
}

/** What `sweepWorktrees` did. */
export interface WorktreeSweep {
  /** Worktrees with changes not yet in the project's HEAD: kept (edits committed onto their branch). */
  kept: SweptWorktree[];
  /** Worktrees removed with their branch. */
  removed: SweptWorktree[];
}

/** Options of `sweepWorktrees`. */
export interface SweepOptions {
  /** Worker ids still alive (in the device registry): their worktrees are left alone. */
  alive: ReadonlySet<string>;
  /** Only this project's repository (its orchestrator's directory); default every repository. */
  project?: string;
  /** Remove worktrees with changes too (`orchestra workers cleanup --worktrees`). */
  all?: boolean;
  /** Where worktrees live (default `worktreesRoot()`). */
  root?: string;
}

async function tipOf(record: WorktreeRecord): Promise<string | null> {
  const tip = await runGit(record.repo, ["rev-parse", "--verify", "-q", `refs/heads/${record.branch}`]);
  return tip.code === 0 ? tip.stdout.trim() : null;
}

/** Commits of the branch that are neither in its base nor in the project's HEAD (0 once merged). */
async function unmergedCommits(record: WorktreeRecord, tip: string): Promise<number> {
  const count = await runGit(record.repo, ["rev-list", "--count", tip, `^${record.base}`, "^HEAD"]);
  return count.code === 0 ? Number(count.stdout.trim()) : 1;
}

/**
 * Recovery and `orchestra workers cleanup` for worktrees: every recorded worktree whose worker is
 * gone (not in `alive`, and its creating process is gone too, so none is being started) is settled.
 * Uncommitted edits are committed onto its branch; a worktree with commits not yet in the project's
 * HEAD is kept (unless `all`), any other is removed with its branch. A worktree whose repository is
 * gone is left alone.
 */
export async function sweepWorktrees(options: SweepOptions): Promise<WorktreeSweep> {
  const sweep: WorktreeSweep = { kept: [], removed: [] };
  for (const record of await listRecords(options.root ?? worktreesRoot())) {
    if (options.project !== undefined && record.project !== options.project) continue;
    if (options.alive.has(record.workerId)) continue;
    if (isSameProcess(record.creator.pid, record.creator.startTime)) continue;
    if (!existsSync(record.commonDir)) continue;
    await commitPending(record).catch(() => undefined);
    const tip = await tipOf(record);
    const { files } = await branchChanges(record);
    const item = { workerId: record.workerId, branch: record.branch, path: record.path, files, tip };
    const unmerged = tip === null ? 0 : await unmergedCommits(record, tip);
    if (unmerged > 0 && !options.all) {
      sweep.kept.push({
        ...item,
        reason: `${unmerged} commit(s) not in the project's HEAD: merge or clean up`,
      });
      continue;
    }
    await removeWorktree(record);
    sweep.removed.push({
      ...item,
      reason:
        unmerged > 0 ? "removed on request (--worktrees) with unmerged changes" : "no changes left to merge",
    });
  }
  return sweep;
}
