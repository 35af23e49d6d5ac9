import {
  changesWarnings,
  finishWorkerWorktree,
  type RegistryEntry,
  type WorktreeStopReport,
} from "@orchestra/runtime";

/** One stopped worker as `orchestra workers stop --json` prints it. */
export interface StopRow extends Partial<WorktreeStopReport> {
  id: string;
  /** How the process ended: `terminated`, `killed`, or `exited` (it was already gone). */
  outcome: string;
}

/**
 * A stopped worker's row: with `isolation: worktree`, its worktree is finished here (edits committed
 * onto its branch, removed when nothing changed) and the row says `branch`, `changed`, `files`,
 * `diffstat` and `worktree`.
 */
export async function stopRow(entry: RegistryEntry, outcome: string): Promise<StopRow> {
  const report = await finishWorkerWorktree(entry.directory, entry.id);
  return { id: entry.id, outcome, ...report };
}

/** The text line(s) of one stopped worker. */
export function stopLines(row: StopRow): string {
  const how = row.outcome === "exited" ? "its process was already gone" : row.outcome;
  const head = `stopped ${row.id} (${how})`;
  if (row.branch === undefined) return head;
  if (!row.changed) return `${head}; it changed nothing: removed its worktree and branch ${row.branch}`;
  return [
    `${head}; branch ${row.branch} changes ${row.files?.length ?? 0} file(s), kept in ${row.worktree}`,
    row.diffstat ?? "",
    ...changesWarnings(row),
    `merge it: orchestra workers merge ${row.id}`,
  ].join("\n");
}
