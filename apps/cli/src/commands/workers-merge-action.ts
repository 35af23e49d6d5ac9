import { changesWarnings, listDeviceWorkers, mergeWorkerWorktree } from "@orchestra/runtime";
import { device } from "./workers-options.js";

/** The options of `orchestra workers merge`. */
export interface MergeOptions {
  rebase?: boolean;
  json?: boolean;
  registry?: string;
}

/** `orchestra workers merge <id>`: merge (or rebase) a stopped worker's branch into the current branch. */
export async function runMerge(id: string, options: MergeOptions): Promise<void> {
  const directory = process.cwd();
  // A worker still in the device registry and alive may still change its branch.
  const running = (await listDeviceWorkers(device(options))).some(
    (w) => w.entry.id === id && w.live !== "dead",
  );
  const merged = await mergeWorkerWorktree({
    directory,
    workerId: id,
    running,
    ...(options.rebase ? { rebase: true } : {}),
  });
  const text = options.json
    ? JSON.stringify(merged)
    : merged.changed
      ? `${merged.mode === "rebase" ? "rebased and fast-forwarded" : "merged"} ${merged.branch} into ${merged.into} (now ${merged.commit.slice(0, 12)})\n${[merged.diffstat, ...changesWarnings(merged)].join("\n")}\nremoved its worktree and branch`
      : `${merged.branch} had no changes to merge; removed its worktree and branch`;
  process.stdout.write(`${text}\n`);
}
