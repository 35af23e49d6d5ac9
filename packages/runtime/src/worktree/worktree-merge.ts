import { existsSync } from "node:fs";
import { gitProblem, runGit } from "./git-run.js";
import { branchChanges, commitPending, removeWorktree, type WorktreeChanges } from "./worktree.js";
import { WorktreeError } from "./worktree-error.js";
import { guardMerge } from "./worktree-merge-guard.js";
import type { WorktreeRecord } from "./worktree-store.js";

/** What `mergeWorktree` did. */
export interface WorktreeMerge extends WorktreeChanges {
  /** `merge` (a merge commit) or `rebase` (the branch rebased onto the current branch, fast-forwarded). */
  mode: "merge" | "rebase";
  /** The project's current branch, which received the changes. */
  into: string;
  /** The project's HEAD after the merge. */
  commit: string;
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const outcome = await runGit(cwd, args);
  if (outcome.code !== 0)
    throw new WorktreeError(
      "WORKER_WORKTREE_FAILED",
      `git ${args[0]} failed in ${cwd}: ${gitProblem(outcome)}`,
    );
  return outcome.stdout.trim();
}

/** The project's state a failed merge must leave exactly as it was. */
async function snapshot(repo: string): Promise<string> {
  const head = await git(repo, ["rev-parse", "HEAD"]);
  const index = await git(repo, ["write-tree"]).catch(() => "unmerged");
  const status = await git(repo, ["status", "--porcelain=v1", "--untracked-files=all"]);
  return `${head}\n${index}\n${status}`;
}

/** True while `cwd`'s repository is in the middle of a merge, rebase, cherry-pick or revert. */
async function inProgress(cwd: string): Promise<boolean> {
  for (const ref of ["MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"])
    if ((await runGit(cwd, ["rev-parse", "-q", "--verify", ref])).code === 0) return true;
  for (const dir of ["rebase-merge", "rebase-apply"]) {
    const path = await git(cwd, ["rev-parse", "--path-format=absolute", "--git-path", dir]);
    if (existsSync(path)) return true;
  }
  return false;
}

/** The conflicted (unmerged) files of `cwd`'s index. */
async function conflicted(cwd: string): Promise<string[]> {
  const names = await runGit(cwd, ["diff", "--name-only", "--diff-filter=U", "-z"]);
  return [...new Set(names.stdout.split("\0").filter((f) => f !== ""))].sort();
}

function conflictError(record: WorktreeRecord, mode: string, into: string, files: readonly string[]) {
  return new WorktreeError(
    "WORKER_MERGE_CONFLICT",
    `the ${mode} of ${record.branch} into ${into} conflicts in ${files.length} file${files.length === 1 ? "" : "s"}: ${files.join(", ")}; it was aborted and the project is as it was`,
    {
      conflicts: files,
      hints: [
        `resolve it by hand: \`git merge ${record.branch}\` in ${record.repo}, fix the files, commit`,
        `or keep the worker's work aside: its branch ${record.branch} stays until \`orchestra workers cleanup --worktrees\``,
      ],
    },
  );
}

/**
 * Merge a stopped worker's branch into the project's current branch (`git merge --no-ff`), or with
 * `rebase`, rebase the branch onto it in the worktree and fast-forward. Uncommitted edits in the
 * worktree are committed onto the branch first. On a conflict the merge (or rebase) is aborted, the
 * project's HEAD, index and files are checked to be as before, and `WORKER_MERGE_CONFLICT` lists the
 * conflicted files. After a merge the worktree and its branch are removed.
 * Before anything changes, a branch that changes the project's hooks folder, or adds paths where the
 * project has untracked or ignored files, is refused. No git hook runs (see `SAFE_GIT_CONFIG`).
 * @throws {WorktreeError} `WORKER_MERGE_DIRTY` (uncommitted changes to tracked files, a detached HEAD,
 * or an operation in progress in the project), `WORKER_MERGE_HOOKS`, `WORKER_MERGE_UNTRACKED`,
 * `WORKER_MERGE_CONFLICT`, `WORKER_WORKTREE_FAILED`.
 */
export async function mergeWorktree(
  record: WorktreeRecord,
  options: { rebase?: boolean } = {},
): Promise<WorktreeMerge> {
  const mode = options.rebase ? "rebase" : "merge";
  const repo = record.repo;
  const into = (await runGit(repo, ["symbolic-ref", "--short", "-q", "HEAD"])).stdout.trim();
  const notReady = (why: string, hint: string) =>
    new WorktreeError("WORKER_MERGE_DIRTY", `cannot ${mode} ${record.branch} into ${repo}: ${why}`, {
      hints: [hint],
    });
  if (into === "")
    throw notReady("the project has no current branch (detached HEAD)", "check out the branch to merge into");
  if (await inProgress(repo))
    throw notReady("a merge, rebase, cherry-pick or revert is in progress", "finish or abort it first");
  const tracked = await git(repo, ["status", "--porcelain=v1", "--untracked-files=no"]);
  if (tracked !== "")
    throw notReady(
      `the project has uncommitted changes (${tracked.split("\n").length} tracked file(s)), which an aborted merge could not restore`,
      "commit or stash them first",
    );
  await commitPending(record);
  const changes = await branchChanges(record);
  if (!changes.changed) {
    await removeWorktree(record);
    return { ...changes, mode, into, commit: await git(repo, ["rev-parse", "HEAD"]) };
  }
  await guardMerge(record, mode);
  const before = await snapshot(repo);
  if (mode === "merge") {
    const merged = await runGit(repo, [
      "merge",
      "--no-ff",
      "--no-edit",
      "-m",
      `Merge ${record.branch} (Open Orchestra worker ${record.workerId})`,
      record.branch,
    ]);
    if (merged.code !== 0) {
      const files = await conflicted(repo);
      if ((await runGit(repo, ["rev-parse", "-q", "--verify", "MERGE_HEAD"])).code === 0)
        await git(repo, ["merge", "--abort"]);
      await checkRestored(repo, before, mode);
      if (files.length > 0) throw conflictError(record, mode, into, files);
      throw notReady(gitProblem(merged), "see git's message: nothing was changed");
    }
  } else {
    const onto = await git(repo, ["rev-parse", "HEAD"]);
    const rebased = await runGit(record.path, ["rebase", "--quiet", onto]);
    if (rebased.code !== 0) {
      const files = await conflicted(record.path);
      await runGit(record.path, ["rebase", "--abort"]);
      await checkRestored(repo, before, mode);
      if (files.length > 0) throw conflictError(record, mode, into, files);
      throw notReady(gitProblem(rebased), "see git's message: nothing was changed");
    }
    await git(repo, ["merge", "--ff-only", "--quiet", record.branch]);
  }
  const commit = await git(repo, ["rev-parse", "HEAD"]);
  await removeWorktree(record);
  return { ...changes, mode, into, commit };
}

/** After an abort, the project must be exactly as before: otherwise say so loudly. */
async function checkRestored(repo: string, before: string, mode: string): Promise<void> {
  const after = await snapshot(repo);
  if (after !== before)
    throw new WorktreeError(
      "WORKER_WORKTREE_FAILED",
      `the aborted ${mode} did not restore ${repo} exactly (HEAD, index or files differ): check \`git status\``,
    );
}
