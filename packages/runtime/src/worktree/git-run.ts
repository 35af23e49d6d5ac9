import { execFile } from "node:child_process";

/** The outcome of one `git` command: its exit code and output (never thrown for a non-zero exit). */
export interface GitOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Environment of every `git` this module runs: no prompt (a credential or editor prompt would hang
 * a tool call), no pager, and none of the caller's `GIT_DIR`/`GIT_WORK_TREE`/`GIT_INDEX_FILE`, which
 * would point the command at another repository than `cwd`'s.
 */
function gitEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (/^GIT_(DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|PREFIX)$/.test(key)) delete env[key];
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_EDITOR: "true", GIT_PAGER: "cat", LC_ALL: "C", ...extra };
}

/**
 * `-c` options in front of every `git` this module runs. A worker writes its worktree, which holds
 * the project's files: with a relative `core.hooksPath` (`.githooks`, husky's `.husky` or `.husky/_`)
 * it could write hooks that the orchestrator's own commits, rebases and merges would run outside the
 * sandbox, as the user. So no hook ever runs (`core.hooksPath=/dev/null`) and no fsmonitor program
 * either (the diffs pass `--no-ext-diff --no-textconv`). Residual: a worker-written `.gitattributes`
 * can name a filter or merge driver that the user's own git config defines (e.g. git-lfs); that runs
 * the program the user configured, not one the worker wrote.
 */
const SAFE_GIT_CONFIG: readonly string[] = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/**
 * Run `git <args>` in `cwd` with `execFile` (never a shell) and {@link SAFE_GIT_CONFIG}, and resolve
 * with its exit code and output. A missing `git` binary resolves with code 127.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  options: { env?: Readonly<Record<string, string>> } = {},
): Promise<GitOutcome> {
  return new Promise((resolve) => {
    execFile(
      "git",
      [...SAFE_GIT_CONFIG, ...args],
      { cwd, env: gitEnv(options.env ?? {}), maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof (error as NodeJS.ErrnoException).code === "string"
              ? 127
              : ((error as { code?: number }).code ?? 1);
        resolve({ code, stdout, stderr: stderr || (error && code === 127 ? error.message : "") });
      },
    );
  });
}

/** The first line of a failed command's stderr (or its exit code), for error messages. */
export function gitProblem(outcome: GitOutcome): string {
  const line = outcome.stderr
    .trim()
    .split("\n")
    .find((l) => l.trim() !== "");
  return line ?? `git exited with code ${outcome.code}`;
}
