import type { Command } from "commander";
import type { MergeOptions } from "./workers-merge-action.js";
import { REGISTRY_OPTION } from "./workers-options.js";

/**
 * `orchestra workers merge <id>`: merge a stopped worker's branch (`isolation: worktree`,
 * `orchestra/<id>`) into the current branch of the project in the working directory, or rebase it
 * with `--rebase`. On a conflict nothing is merged: the conflicted files are reported
 * (`WORKER_MERGE_CONFLICT`, exit 1) and the project is left as it was.
 */
export function registerWorkersMergeCommand(workersCommand: Command): void {
  workersCommand
    .command("merge <id>")
    .description(
      "Merge a stopped worker's branch orchestra/<id> (a profile with isolation: worktree) into the project's current branch; on a conflict nothing is merged, the conflicted files are listed and the project is left as it was.",
    )
    .option(
      "--rebase",
      "rebase the branch onto the current branch and fast-forward, instead of a merge commit",
    )
    .option(
      "--json",
      "print one JSON object: { branch, changed, files, diffstat, gitignore, symlinks, mode, into, commit }; a failure as { ok: false, code, message, hints }",
    )
    .option(...REGISTRY_OPTION)
    .action(async (id: string, options: MergeOptions) => {
      const { runMerge } = await import("./workers-merge-action.js");
      await runMerge(id, options);
    });
}
