import type { ToolReferences } from "./reference.js";

/** Reference entry of `merge_worker` (merge-worker.ts). */
export const MERGE_WORKER_TOOL_REFERENCE: ToolReferences = {
  merge_worker: {
    category: "workers",
    whenToUse:
      'Use after stop_worker on a worker whose profile has `isolation: "worktree"`, once its changes are wanted in the project.',
    returns:
      '{ branch: string; into: string; mode: "merge" | "rebase"; changed: boolean; commit: string; files: string[]; diffstat: string; gitignore: boolean; symlinks: string[] }. `gitignore`: the branch changes a `.gitignore`; `symlinks`: symlinks it adds that point outside the repository (`<path> -> <target>`). Text: what was merged into which branch, the files and the diffstat. No git hook runs during the merge.',
    example: {
      args: { id: "coder" },
      output:
        "Merged orchestra/coder into main (now 4be1d0c9a2f3): src/parser.ts.\n src/parser.ts | 4 +++-\n 1 file changed, 3 insertions(+), 1 deletion(-)\nIts worktree and branch were removed.",
    },
    errors: {
      WORKER_MERGE_RUNNING: "the worker still runs: stop it first with stop_worker",
      WORKER_WORKTREE_NOT_FOUND:
        "the worker has no worktree branch (not a worktree profile, or already merged)",
      WORKER_MERGE_DIRTY: "the project has uncommitted changes: commit or stash them first",
      WORKER_MERGE_CONFLICT: "the branch conflicts; nothing was merged and the files are named",
      WORKER_MERGE_HOOKS:
        "the branch changes files in the project's git hooks folder (core.hooksPath, .husky/); refused, nothing was merged, the files are named",
      WORKER_MERGE_UNTRACKED:
        "the branch adds files where the project has untracked or ignored files of the user; refused, nothing was merged, the files are named: move them aside first",
      WORKER_WORKTREE_NO_GIT: "the project is not a git repository",
    },
  },
};
