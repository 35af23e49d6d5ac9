import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import { z } from "zod";

type Env = Readonly<Record<string, string | undefined>>;

/** Overrides where worker worktrees are created (an absolute path). */
export const WORKTREES_DIR_ENV = "ORCHESTRA_WORKTREES_DIR";

/**
 * Where worker worktrees live: `$ORCHESTRA_WORKTREES_DIR`, else `$XDG_STATE_HOME/orchestra/worktrees`
 * (`~/.local/state/orchestra/worktrees`). Outside the project, so the project's own tools (watchers,
 * test runners, `tsc`, globbing linters, `git status`) never see a worker's copy; not in Open
 * Orchestra's data or cache dirs, which are control files no worker may write (a worktree there would
 * be read-only to its own worker); and not a cache, because a kept worktree holds unmerged work that a
 * cache cleaner must not delete.
 */
export function worktreesRoot(env: Env = process.env): string {
  const own = env[WORKTREES_DIR_ENV];
  if (own !== undefined && isAbsolute(own)) return own;
  const state = env.XDG_STATE_HOME;
  const base = state !== undefined && isAbsolute(state) ? state : join(homedir(), ".local", "state");
  return join(base, "orchestra", "worktrees");
}

/** The folder of one repository's worktrees: `<repo name>-<hash of its git common dir>`. */
export function repoFolder(root: string, repo: string, commonDir: string): string {
  const name =
    basename(repo)
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 40) || "repo";
  return join(root, `${name}-${createHash("sha256").update(commonDir).digest("hex").slice(0, 12)}`);
}

const recordSchema = z.object({
  workerId: z.string().regex(/^[a-z][a-z0-9-]{0,79}$/),
  branch: z.string().min(1),
  path: z.string().min(1),
  directory: z.string().min(1),
  project: z.string().min(1),
  repo: z.string().min(1),
  commonDir: z.string().min(1),
  base: z.string().regex(/^[0-9a-f]{40,64}$/),
  createdAt: z.number().int().nonnegative(),
  creator: z.object({ pid: z.number().int().positive(), startTime: z.string().min(1) }),
});

/**
 * A worker's worktree, as recorded beside it (`<folder>/<worker id>.json`, outside the worktree, so
 * the worker cannot edit it): what recovery and `orchestra workers cleanup` read to find worktrees
 * whose worker is gone.
 */
export type WorktreeRecord = z.infer<typeof recordSchema>;

/** The record file of a worktree at `path` (`<path>.json`). */
function recordFile(path: string): string {
  return `${path}.json`;
}

/** Write a worktree's record (before the worktree exists, so that a crash in between leaves it findable). */
export async function writeRecord(record: WorktreeRecord): Promise<void> {
  await writeFile(recordFile(record.path), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Delete a worktree's record, and its repository folder when that is empty. */
export async function deleteRecord(record: WorktreeRecord): Promise<void> {
  await rm(recordFile(record.path), { force: true });
  await rmdir(join(record.path, "..")).catch(() => undefined);
}

/** Create the folder of a repository's worktrees (private to the user). */
export async function ensureFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
}

/** Every readable worktree record under `root` (all repositories), unreadable ones skipped. */
export async function listRecords(root: string): Promise<WorktreeRecord[]> {
  const out: WorktreeRecord[] = [];
  const folders = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const folder of folders) {
    if (!folder.isDirectory()) continue;
    const dir = join(root, folder.name);
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files) {
      if (!file.endsWith(".json")) continue;
      const parsed = recordSchema.safeParse(
        await readFile(join(dir, file), "utf8")
          .then((text) => JSON.parse(text) as unknown)
          .catch(() => undefined),
      );
      if (parsed.success) out.push(parsed.data);
    }
  }
  return out;
}
