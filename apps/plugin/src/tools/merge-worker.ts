import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import {
  changesWarnings,
  mergeWorkerWorktree,
  type Orchestra,
  type StoppedWorker,
  type WorktreeChanges,
  workerWorktreeChanges,
} from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

/** The files of a worktree report, at most 20 named. */
function fileList(files: readonly string[]): string {
  const shown = files.slice(0, 20).join(", ");
  return files.length > 20 ? `${shown}, … (${files.length} files)` : shown;
}

/**
 * `stop_worker` text: the worker stopped, and for a worker with `isolation: worktree` its branch, the
 * files it changed and the diffstat, or that its unchanged worktree was removed.
 */
export function stopText(info: StoppedWorker): string {
  if (info.branch === undefined) return `Worker ${info.id} stopped.`;
  if (!info.changed)
    return `Worker ${info.id} stopped. It changed nothing: its worktree and branch ${info.branch} were removed.`;
  return [
    `Worker ${info.id} stopped. Its branch ${info.branch} changes ${info.files?.length ?? 0} file(s): ${fileList(info.files ?? [])}.`,
    info.diffstat ?? "",
    ...changesWarnings(info),
    `Merge it with merge_worker id=${info.id} (its worktree ${info.worktree} is kept until then).`,
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * Job end of a worker with `isolation: worktree`: what it changed so far in its worktree (`undefined`
 * for any other worker, or when that cannot be read: the answer itself is what matters).
 */
export function worktreeSoFar(directory: string, workerId: string): Promise<WorktreeChanges | undefined> {
  return workerWorktreeChanges(directory, workerId).catch(() => undefined);
}

/** The answer followed by the worktree's branch, changed files and diffstat (job end). */
export function withWorktreeNote(text: string, changes: WorktreeChanges | undefined): string {
  if (changes === undefined) return text;
  const what = changes.changed
    ? `${changes.files.length} file(s) changed so far: ${fileList(changes.files)}\n${changes.diffstat}`
    : "no file changed so far";
  return `${text}\n\n[worktree] branch ${changes.branch}: ${what}`;
}

/** `merge_worker`: merge (or rebase) a stopped worktree worker's branch into the project's current branch. */
export function worktreeTools(orchestra: Orchestra, activity: Activity): Record<string, ToolDefinition> {
  return {
    merge_worker: tool({
      description:
        "Merge a stopped worker's branch (a profile with isolation \"worktree\": branch orchestra/<id>) into the project's current branch, or rebase it onto it with rebase=true. On a conflict nothing is merged: the conflicted files are reported and the project is left as it was.",
      args: {
        id: z.string().describe("Worker id (stop it first with stop_worker)."),
        rebase: z
          .boolean()
          .optional()
          .describe("Rebase the branch onto the current branch and fast-forward, instead of a merge commit."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const running = orchestra
            .workers()
            .some((w) => w.id === args.id && w.status !== "dead" && w.status !== "stopped");
          const merged = await mergeWorkerWorktree({
            directory: ctx.directory,
            workerId: args.id,
            running,
            ...(args.rebase ? { rebase: true } : {}),
          });
          activity.log(
            "info",
            `merged ${merged.branch} into ${merged.into} (${merged.files.length} file(s))`,
          );
          return respond(args.format, merged, () =>
            merged.changed
              ? `${merged.mode === "rebase" ? "Rebased and fast-forwarded" : "Merged"} ${merged.branch} into ${merged.into} (now ${merged.commit.slice(0, 12)}): ${fileList(merged.files)}.\n${[merged.diffstat, ...changesWarnings(merged)].join("\n")}\nIts worktree and branch were removed.`
              : `${merged.branch} had no changes to merge; its worktree and branch were removed.`,
          );
        }),
    }),
  };
}
