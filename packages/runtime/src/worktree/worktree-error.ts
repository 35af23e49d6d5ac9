import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link WorktreeError}. */
export type WorktreeErrorCode =
  /** `isolation: worktree` outside a git repository (or a repository without a commit, or no `git`). */
  | "WORKER_WORKTREE_NO_GIT"
  /** `isolation: worktree` on a session worker, which runs in the host's directory. */
  | "WORKER_WORKTREE_SESSION"
  /** `git worktree add` (or another git step of a worktree) failed. */
  | "WORKER_WORKTREE_FAILED"
  /** No worktree of that worker. */
  | "WORKER_WORKTREE_NOT_FOUND"
  /** The worker still runs: its worktree cannot be merged (and removed) under it. */
  | "WORKER_MERGE_RUNNING"
  /** The project has uncommitted changes to tracked files, or a merge or rebase in progress. */
  | "WORKER_MERGE_DIRTY"
  /** The merge (or rebase) conflicted; it was aborted and the project is as it was. */
  | "WORKER_MERGE_CONFLICT"
  /** The branch changes files in the project's git hooks folder (`core.hooksPath`, `.husky/`): refused. */
  | "WORKER_MERGE_HOOKS"
  /** The branch adds paths where the project has untracked or ignored files the merge would replace: refused. */
  | "WORKER_MERGE_UNTRACKED";

/**
 * An error of worktree isolation (creating, finishing, merging a worker's git worktree). For
 * `WORKER_MERGE_CONFLICT`, `conflicts` lists the conflicted files (relative to the repository); for
 * `WORKER_MERGE_HOOKS` and `WORKER_MERGE_UNTRACKED`, the files that made the merge refused.
 */
export class WorktreeError extends OrchestraError<WorktreeErrorCode> {
  static override readonly marker = errorMarker("WorktreeError");
  /** The files of a `WORKER_MERGE_CONFLICT`, `WORKER_MERGE_HOOKS` or `WORKER_MERGE_UNTRACKED` (empty otherwise). */
  readonly conflicts: readonly string[];

  constructor(
    code: WorktreeErrorCode,
    message: string,
    options: { hints?: readonly string[]; cause?: unknown; conflicts?: readonly string[] } = {},
  ) {
    super(code, message, {
      ...(options.hints === undefined ? {} : { hints: options.hints }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.conflicts = options.conflicts ?? [];
  }

  /** True for a WorktreeError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is WorktreeError {
    return OrchestraError.hasMarker(value, WorktreeError.marker);
  }
}
