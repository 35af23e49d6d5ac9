import { copyFile, mkdir, mkdtemp, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { currentProcessIdentity } from "@orchestra/process";
import { gitProblem, runGit } from "./git-run.js";
import { WorktreeError } from "./worktree-error.js";
import { outsideSymlinks, touchesGitignore } from "./worktree-flags.js";
import {
  deleteRecord,
  ensureFolder,
  repoFolder,
  type WorktreeRecord,
  worktreesRoot,
  writeRecord,
} from "./worktree-store.js";

/** The branch of a worker's worktree. */
function worktreeBranch(workerId: string): string {
  return `orchestra/${workerId}`;
}

/** A repository as git sees it from a directory. */
interface GitRepo {
  /** The top level of the working tree the directory is in. */
  top: string;
  /** The repository's common git dir (shared by all its worktrees). */
  commonDir: string;
  /** The commit HEAD points at. */
  head: string;
}

/**
 * The git repository `directory` is in, with its HEAD commit.
 * @throws {WorktreeError} `WORKER_WORKTREE_NO_GIT` outside a repository, without a commit, or without git.
 */
async function gitRepoOf(directory: string, profile: string): Promise<GitRepo> {
  const fix = `or set \`isolation: "none"\` on profile ${profile}`;
  const where = await runGit(directory, [
    "rev-parse",
    "--path-format=absolute",
    "--show-toplevel",
    "--git-common-dir",
  ]);
  if (where.code === 127)
    throw new WorktreeError(
      "WORKER_WORKTREE_NO_GIT",
      `profile ${profile} has \`isolation: "worktree"\`, but git could not be run (${gitProblem(where)})`,
      { hints: [`install git and put it on PATH, ${fix}`] },
    );
  const [top, commonDir] = where.stdout.trim().split("\n");
  if (where.code !== 0 || !top || !commonDir)
    throw new WorktreeError(
      "WORKER_WORKTREE_NO_GIT",
      `profile ${profile} has \`isolation: "worktree"\`, but ${directory} is not inside a git repository (git: ${gitProblem(where)})`,
      { hints: [`run \`git init\` and commit the project first, ${fix}`] },
    );
  const head = await runGit(directory, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
  if (head.code !== 0)
    throw new WorktreeError(
      "WORKER_WORKTREE_NO_GIT",
      `profile ${profile} has \`isolation: "worktree"\`, but the git repository ${top} has no commit yet (a worktree is created from HEAD)`,
      { hints: [`commit once (\`git commit --allow-empty -m init\`), ${fix}`] },
    );
  return { top: await realpath(top), commonDir: await realpath(commonDir), head: head.stdout.trim() };
}

/** Options of {@link createWorktree}. */
export interface CreateWorktreeOptions {
  /** The orchestrator's project directory. */
  directory: string;
  workerId: string;
  /** The profile, for error messages. */
  profile: string;
  /** Where worktrees live (default {@link worktreesRoot}). */
  root?: string;
}

/**
 * Create a worker's worktree: `git worktree add -b orchestra/<worker id> <root>/<repo>/<worker id>
 * <HEAD>`, recorded beside it first. The worker's directory is the project directory's place in it
 * (the worktree itself when the project is the repository's top level).
 * @throws {WorktreeError} `WORKER_WORKTREE_NO_GIT`, or `WORKER_WORKTREE_FAILED` (the branch exists: a
 * kept worktree of an earlier worker with this id).
 */
export async function createWorktree(options: CreateWorktreeOptions): Promise<WorktreeRecord> {
  const { workerId, profile } = options;
  const project = await realpath(options.directory);
  const repo = await gitRepoOf(project, profile);
  const folder = repoFolder(options.root ?? worktreesRoot(), repo.top, repo.commonDir);
  await ensureFolder(folder);
  const path = join(await realpath(folder), workerId);
  const branch = worktreeBranch(workerId);
  const me = currentProcessIdentity();
  const record: WorktreeRecord = {
    workerId,
    branch,
    path,
    directory: join(path, relative(repo.top, project)),
    project,
    repo: repo.top,
    commonDir: repo.commonDir,
    base: repo.head,
    createdAt: Date.now(),
    creator: { pid: me.pid, startTime: me.startTime },
  };
  await writeRecord(record);
  const added = await runGit(repo.top, ["worktree", "add", "--quiet", "-b", branch, path, repo.head]);
  if (added.code !== 0) {
    await deleteRecord(record);
    throw new WorktreeError(
      "WORKER_WORKTREE_FAILED",
      `could not create the worktree of ${workerId} (branch ${branch} at ${path}): ${gitProblem(added)}`,
      {
        hints: [
          `a kept worktree of an earlier worker ${workerId} may hold the branch: merge it (\`orchestra workers merge ${workerId}\`) or remove it (\`orchestra workers cleanup --worktrees\`)`,
        ],
      },
    );
  }
  await mkdir(record.directory, { recursive: true });
  return record;
}

/**
 * The worker's work: everything but `.opencode/` at any depth, which the worker cannot write (a control
 * file) and which OpenCode and its plugin-dependency install write into (`node_modules/`, lock files).
 */
const WORK = ["--", ".", ":(exclude,glob)**/.opencode/**"];

/** True when `path` exists. */
async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Run git and throw `WORKER_WORKTREE_FAILED` when it fails. */
async function gitOk(cwd: string, args: readonly string[], what: string, env?: Record<string, string>) {
  const outcome = await runGit(cwd, args, env === undefined ? {} : { env });
  if (outcome.code !== 0)
    throw new WorktreeError("WORKER_WORKTREE_FAILED", `could not ${what}: ${gitProblem(outcome)}`);
  return outcome.stdout;
}

/** `-c` options for a commit made by Open Orchestra: no signing prompt, an identity when the user has none. */
async function commitConfig(cwd: string): Promise<string[]> {
  const args = ["-c", "commit.gpgsign=false"];
  if ((await runGit(cwd, ["var", "GIT_COMMITTER_IDENT"])).code !== 0)
    args.push("-c", "user.name=Open Orchestra", "-c", "user.email=orchestra@localhost");
  return args;
}

/**
 * Commit the worktree's uncommitted edits (new files included) onto its branch, so that a merge
 * applies them; `--no-verify`, because the project's commit hooks are the user's gate for the user's
 * commits. Returns whether anything was committed.
 */
export async function commitPending(record: WorktreeRecord): Promise<boolean> {
  if (!(await exists(record.path))) return false;
  const status = await gitOk(
    record.path,
    ["status", "--porcelain", "--untracked-files=all", ...WORK],
    "read the worktree's status",
  );
  if (status.trim() === "") return false;
  await gitOk(record.path, ["add", "--all", ...WORK], `stage the edits of ${record.workerId}`);
  const config = await commitConfig(record.path);
  await gitOk(
    record.path,
    [...config, "commit", "--no-verify", "--quiet", "-m", `orchestra: work of worker ${record.workerId}`],
    `commit the edits of ${record.workerId} onto ${record.branch}`,
  );
  return true;
}

/** What a worker changed in its worktree. */
export interface WorktreeChanges {
  /** The worker's branch, `orchestra/<worker id>`. */
  branch: string;
  /** True when any file differs from the commit the worktree was created from. */
  changed: boolean;
  /** The changed files, relative to the repository, sorted. */
  files: string[];
  /** `git diff --stat` of those changes (empty when none). */
  diffstat: string;
  /** True when the changes include a `.gitignore`: files the user's tree ignores may be replaced. */
  gitignore: boolean;
  /** Symlinks the changes add that point outside the repository, as `<path> -> <target>`. */
  symlinks: string[];
}

/**
 * The worker's changes so far (its commits and its uncommitted edits, new files included) against the
 * commit its worktree was created from, read through a scratch index so that neither the worktree
 * nor its index is touched (the worker may still be running).
 */
export async function worktreeChanges(record: WorktreeRecord): Promise<WorktreeChanges> {
  if (!(await exists(record.path))) return branchChanges(record);
  const scratch = await mkdtemp(join(tmpdir(), "orchestra-index-"));
  try {
    const index = join(scratch, "index");
    const real = (
      await gitOk(
        record.path,
        ["rev-parse", "--path-format=absolute", "--git-path", "index"],
        "find the index",
      )
    ).trim();
    await copyFile(real, index).catch(() => undefined);
    const env = { GIT_INDEX_FILE: index };
    await gitOk(record.path, ["add", "--all", ...WORK], "read the worktree's edits", env);
    const names = await gitOk(
      record.path,
      ["diff", "--cached", "--name-only", "-z", record.base],
      "list the changes",
      env,
    );
    const diffstat = await gitOk(
      record.path,
      ["diff", "--no-ext-diff", "--no-textconv", "--cached", "--stat", record.base],
      "summarise the changes",
      env,
    );
    return changesOf(
      record,
      names,
      diffstat,
      await outsideSymlinks(record.path, ["--cached", record.base], env),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The changes committed on the worker's branch (after {@link commitPending}, everything). */
export async function branchChanges(record: WorktreeRecord): Promise<WorktreeChanges> {
  const tip = await runGit(record.repo, ["rev-parse", "--verify", "-q", `refs/heads/${record.branch}`]);
  if (tip.code !== 0)
    return { branch: record.branch, changed: false, files: [], diffstat: "", gitignore: false, symlinks: [] };
  const range = [record.base, tip.stdout.trim()];
  const names = await gitOk(record.repo, ["diff", "--name-only", "-z", ...range], "list the changes");
  const diffstat = await gitOk(
    record.repo,
    ["diff", "--no-ext-diff", "--no-textconv", "--stat", ...range],
    "summarise the changes",
  );
  return changesOf(record, names, diffstat, await outsideSymlinks(record.repo, range));
}

function changesOf(
  record: WorktreeRecord,
  names: string,
  diffstat: string,
  symlinks: string[],
): WorktreeChanges {
  const files = names
    .split("\0")
    .filter((f) => f !== "")
    .sort();
  return {
    branch: record.branch,
    changed: files.length > 0,
    files,
    diffstat: diffstat.trimEnd(),
    gitignore: touchesGitignore(files),
    symlinks,
  };
}

/** Remove a worktree, its branch and its record (whatever of them is left). */
export async function removeWorktree(record: WorktreeRecord): Promise<void> {
  if (await exists(record.path))
    await runGit(record.repo, ["worktree", "remove", "--force", "--force", record.path]);
  await rm(record.path, { recursive: true, force: true });
  await runGit(record.repo, ["worktree", "prune"]);
  await runGit(record.repo, ["branch", "-D", "--quiet", record.branch]);
  await deleteRecord(record);
}

/** What happened to a worker's worktree when the worker stopped. */
export interface WorktreeStopReport extends WorktreeChanges {
  /** The worktree's path while it is kept (changes to merge), `null` once removed. */
  worktree: string | null;
}

/**
 * The end of a worker's worktree (its worker stopped or died): uncommitted edits are committed onto
 * the branch; without changes the worktree and its branch are removed, with changes both are kept
 * (`merge_worker`, `orchestra workers merge`, or `orchestra workers cleanup --worktrees`).
 */
export async function finishWorktree(record: WorktreeRecord): Promise<WorktreeStopReport> {
  await commitPending(record);
  const changes = await branchChanges(record);
  if (changes.changed) return { ...changes, worktree: record.path };
  await removeWorktree(record);
  return { ...changes, worktree: null };
}
