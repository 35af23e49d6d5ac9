import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { posix } from "node:path";

function gitValue(directory: string, args: readonly string[]): string | undefined {
  try {
    // Reading config runs no hook; `core.fsmonitor=false` keeps any configured monitor from starting.
    const out = execFileSync("git", ["-c", "core.fsmonitor=false", "-C", directory, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    }).trim();
    return out === "" ? undefined : out;
  } catch {
    return undefined;
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The git hooks folder `directory`'s repository runs, when it is a custom one inside `directory`:
 * the effective `core.hooksPath` (the repository's `.git/config`, the user's or the system's git
 * config; `~` expanded), resolved against the working tree's top level as git resolves it. git runs
 * its files at the user's next commit, merge or checkout, outside any sandbox, so a worker running in
 * `directory` must not write there: pass the result as `controlDirs` to `check()` (the
 * {@link CheckContext}) and to `sandboxArgv()`/`sandboxCommand()`. Empty when no `core.hooksPath` is set,
 * when it points outside `directory` (outside a worker's reach anyway) or at `directory` itself, or
 * when `directory` is not in a git working tree. Runs `git` twice (a few milliseconds): call it once
 * per worker, at spawn, not per tool call.
 */
export function gitHooksControlDirs(directory: string): string[] {
  const hooksPath = gitValue(directory, ["config", "--type=path", "--get", "core.hooksPath"]);
  if (hooksPath === undefined) return [];
  const top = gitValue(directory, ["rev-parse", "--show-toplevel"]);
  if (top === undefined) return [];
  const dir = real(posix.resolve(real(top), hooksPath));
  const root = real(posix.resolve(directory));
  return dir.startsWith(`${root}/`) ? [dir] : [];
}
