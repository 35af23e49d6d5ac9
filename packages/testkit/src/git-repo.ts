import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Run `git` in `cwd` and return its trimmed stdout (throws on a non-zero exit).
 *
 * @example
 * ```ts
 * git(project, "branch", "--format=%(refname:short)"); // "main\norchestra/coder"
 * ```
 */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

/**
 * Make `dir` (created if missing) a git repository on branch `main` with one commit, "init", of
 * `files` (path relative to `dir` → text), by a test identity. For tests of worktree isolation
 * and anything else that needs a project under git.
 *
 * @example
 * ```ts
 * gitRepo(project, { ".gitignore": ".opencode/\n", "orchestrator.json": "{}\n" });
 * ```
 */
export function gitRepo(dir: string, files: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Test User");
  git(dir, "config", "user.email", "test@example.com");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
}
