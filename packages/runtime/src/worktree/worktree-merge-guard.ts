import { lstat } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { gitProblem, runGit } from "./git-run.js";
import { WorktreeError } from "./worktree-error.js";
import type { WorktreeRecord } from "./worktree-store.js";

/** husky's folder: its hooks (`.husky/<hook>`) are sourced by stubs whatever `core.hooksPath` says. */
const HUSKY = ".husky/";

/**
 * The project's own `core.hooksPath` (the last value of the user's config files, not the
 * `-c core.hooksPath=/dev/null` every orchestrator git command passes), or `null` when unset.
 */
async function configuredHooksPath(repo: string): Promise<string | null> {
  const read = await runGit(repo, ["config", "--show-scope", "--get-all", "core.hooksPath"]);
  const values = read.stdout
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("command\t"))
    .map((line) => line.slice(line.indexOf("\t") + 1));
  return values.at(-1) ?? null;
}

/**
 * The folders of `repo`'s working tree, relative to its top level and ending in `/`, whose files git
 * (or husky) runs as hooks: the effective `core.hooksPath` when it lies inside the working tree, and
 * `.husky/`. A worker must not change them (its worktree's copy runs at the user's next commit).
 */
async function hookFolders(repo: string): Promise<string[]> {
  const folders = [HUSKY];
  const configured = await configuredHooksPath(repo);
  if (configured !== null && configured !== "") {
    const expanded = configured.startsWith("~/") ? join(homedir(), configured.slice(2)) : configured;
    const inside = relative(repo, resolve(repo, expanded)).split(sep).join("/");
    if (inside !== "" && !inside.startsWith("../") && inside !== ".." && !isAbsolute(inside))
      folders.push(`${inside.replace(/\/+$/, "")}/`);
  }
  return [...new Set(folders)];
}

async function lines(cwd: string, args: readonly string[]): Promise<string[]> {
  const outcome = await runGit(cwd, args);
  if (outcome.code !== 0)
    throw new WorktreeError(
      "WORKER_WORKTREE_FAILED",
      `git ${args[0]} failed in ${cwd}: ${gitProblem(outcome)}`,
    );
  return outcome.stdout.split("\0").filter((name) => name !== "");
}

/** True when something (file, folder, symlink) is at `path`. */
async function present(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Refuse a merge that would run or plant code outside the worker's sandbox, or silently destroy the
 * user's files, before anything is changed:
 * - `WORKER_MERGE_HOOKS`: the branch changes files under the project's hooks folder
 *   ({@link hookFolders}), which git or husky would run at the user's next commit;
 * - `WORKER_MERGE_UNTRACKED`: the branch adds or changes paths where the user's working tree has an
 *   untracked or ignored file (a worker can edit `.gitignore` and write `local.cfg` or
 *   `node_modules/…`): a clean merge would overwrite them, an aborted one delete them.
 */
export async function guardMerge(record: WorktreeRecord, mode: string): Promise<void> {
  const repo = record.repo;
  const base = (
    await lines(repo, ["merge-base", "-z", "HEAD", record.branch]).catch(() => [record.base])
  )[0]?.trim();
  const changed = await lines(repo, [
    "diff",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--name-only",
    "-z",
    base ?? record.base,
    record.branch,
  ]);
  const folders = await hookFolders(repo);
  const hooks = changed.filter((file) => folders.some((folder) => file.startsWith(folder)));
  if (hooks.length > 0)
    throw new WorktreeError(
      "WORKER_MERGE_HOOKS",
      `refusing to ${mode} ${record.branch} into ${repo}: it changes ${hooks.length} file(s) in the project's git hooks folder (${folders.join(", ")}), which git would run outside any sandbox: ${hooks.join(", ")}; nothing was changed`,
      {
        conflicts: hooks,
        hints: [
          `review them (\`git diff ${base ?? record.base} ${record.branch} -- ${folders.join(" ")}\` in ${repo}); to take the rest, check out the branch's other files by hand, or drop the worker's work with \`orchestra workers cleanup --worktrees\``,
        ],
      },
    );
  const tracked = new Set(await lines(repo, ["ls-files", "-z", "--full-name"]));
  const clobbered: string[] = [];
  for (const file of changed)
    if (!tracked.has(file) && (await present(join(repo, file)))) clobbered.push(file);
  if (clobbered.length > 0)
    throw new WorktreeError(
      "WORKER_MERGE_UNTRACKED",
      `refusing to ${mode} ${record.branch} into ${repo}: it adds ${clobbered.length} file(s) where the project has untracked or ignored files of yours, which the ${mode} would overwrite (or an aborted one delete): ${clobbered.join(", ")}; nothing was changed`,
      {
        conflicts: clobbered,
        hints: [
          `move those files aside (or delete them if you do not need them), then merge again; review the branch first: \`git diff ${base ?? record.base} ${record.branch}\` in ${repo}`,
        ],
      },
    );
}
