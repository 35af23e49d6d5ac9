import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { posix } from "node:path";

/**
 * The worktree OpenCode 1.18 computes for `directory`, against which it matches file permissions:
 * it looks upward for a `.git` (file or directory), runs `git rev-parse --show-toplevel` beside it and
 * takes that top level (or the `.git`'s parent when that fails while `--git-dir` works). Outside a git
 * repository (or without git) the worktree is `/`.
 */
export function opencodeWorktree(directory: string): string {
  let dir = posix.resolve(directory);
  for (;;) {
    if (existsSync(posix.join(dir, ".git"))) break;
    const parent = posix.dirname(dir);
    if (parent === dir) return "/";
    dir = parent;
  }
  const git = (...args: string[]) => spawnSync("git", args, { cwd: dir, encoding: "utf8", timeout: 10_000 });
  if (git("rev-parse", "--git-dir").status !== 0 || git("rev-parse", "--git-common-dir").status !== 0)
    return "/";
  const top = git("rev-parse", "--show-toplevel");
  return top.status === 0 && top.stdout.trim() !== "" ? posix.resolve(dir, top.stdout.trim()) : dir;
}
