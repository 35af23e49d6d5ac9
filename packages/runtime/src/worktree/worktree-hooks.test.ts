import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktree, finishWorktree } from "./worktree.js";
import { WorktreeError } from "./worktree-error.js";
import { changesWarnings } from "./worktree-flags.js";
import { mergeWorktree } from "./worktree-merge.js";
import { sweepWorktrees } from "./worktree-sweep.js";

// Attacks of the worktree-isolation review (F1/F2/F3): a worker writes files in its worktree; the
// orchestrator's own git commands (stop commit, rebase, merge) must never run them, and a merge must
// never silently replace or delete the user's untracked or ignored files.

let tmp: string;
let project: string;
let root: string;
let pwned: string;

const HOOKS = [
  "post-commit",
  "post-index-change",
  "prepare-commit-msg",
  "reference-transaction",
  "post-rewrite",
  "post-checkout",
  "pre-merge-commit",
  "commit-msg",
  "post-merge",
  "pre-rebase",
  "pre-commit",
];

/** The test's own git (never the orchestrator's): runs no hook, so the log holds only the orchestrator's. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "core.hooksPath=/dev/null", ...args], { cwd, encoding: "utf8" }).trim();
}

function makeRepo(dir: string, setup: (dir: string) => void): void {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "T");
  git(dir, "config", "user.email", "t@example.com");
  writeFileSync(join(dir, "shared.txt"), "base\n");
  setup(dir);
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
}

/** A hook script that appends its name to the `pwned` log. */
function hook(name: string): string {
  return `#!/bin/sh\necho "${name} $(pwd)" >> "${pwned}"\nexit 0\n`;
}

/** Write every hook (executable) into `dir`, as a `filesystem: full` worker can. */
function plantHooks(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of HOOKS) {
    writeFileSync(join(dir, name), hook(name));
    chmodSync(join(dir, name), 0o755);
  }
}

const ran = (): string => (existsSync(pwned) ? readFileSync(pwned, "utf8") : "");
const create = (workerId: string) =>
  createWorktree({ directory: project, workerId, profile: "feature", root });

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "orchestra-hooks-"));
  project = join(tmp, "project");
  root = join(tmp, "state", "worktrees");
  pwned = join(tmp, "pwned.log");
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("the orchestrator's git commands run no project hook (F1)", () => {
  beforeEach(() =>
    makeRepo(project, (dir) => {
      mkdirSync(join(dir, ".githooks"));
      writeFileSync(join(dir, ".githooks", ".keep"), "");
      git(dir, "config", "core.hooksPath", ".githooks");
    }),
  );

  it("the stop-time commit runs no hook a worker wrote into the relative core.hooksPath", async () => {
    const a = await create("feature");
    plantHooks(join(a.path, ".githooks"));
    writeFileSync(join(a.path, "w.txt"), "w\n");
    const report = await finishWorktree(a);
    expect(report.files).toContain("w.txt");
    expect(ran()).toBe("");
  });

  it("the cleanup sweep's commit runs no hook either", async () => {
    const a = await create("feature");
    plantHooks(join(a.path, ".githooks"));
    writeFileSync(join(a.path, "w.txt"), "w\n");
    // As if the orchestrator that created it had crashed.
    const file = `${a.path}.json`;
    const data = JSON.parse(readFileSync(file, "utf8")) as { creator: { pid: number } };
    writeFileSync(file, JSON.stringify({ ...data, creator: { pid: data.creator.pid, startTime: "gone" } }));
    const swept = await sweepWorktrees({ alive: new Set(), project, root, all: true });
    expect(swept.removed.map((s) => s.workerId)).toEqual(["feature"]);
    expect(ran()).toBe("");
  });

  it("a rebase merge runs no hook in the worktree nor in the project", async () => {
    const a = await create("feature");
    writeFileSync(join(a.path, "w.txt"), "w\n");
    await finishWorktree(a);
    // Hooks that are not part of the branch (ignored), in the worktree and in the project: the
    // rebase (in the worktree) and the fast-forward (in the project) must run neither.
    writeFileSync(join(project, ".git", "info", "exclude"), HOOKS.map((h) => `/.githooks/${h}\n`).join(""));
    plantHooks(join(project, ".githooks"));
    plantHooks(join(a.path, ".githooks"));
    writeFileSync(join(project, "other.txt"), "o\n");
    git(project, "add", "other.txt");
    git(project, "commit", "-q", "-m", "other");
    const merged = await mergeWorktree(a, { rebase: true });
    expect(merged.files).toEqual(["w.txt"]);
    expect(ran()).toBe("");
  });

  it("a merge runs no hook of the project", async () => {
    const a = await create("feature");
    writeFileSync(join(a.path, "w.txt"), "w\n");
    await finishWorktree(a);
    plantHooks(join(project, ".githooks"));
    const merged = await mergeWorktree(a);
    expect(merged.files).toEqual(["w.txt"]);
    expect(ran()).toBe("");
  });

  it("a branch that changes the hooks dir is refused (WORKER_MERGE_HOOKS), nothing runs, the project is unchanged", async () => {
    const a = await create("feature");
    plantHooks(join(a.path, ".githooks"));
    writeFileSync(join(a.path, "w.txt"), "w\n");
    await finishWorktree(a);
    const head = git(project, "rev-parse", "HEAD");
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect(WorktreeError.isInstance(error)).toBe(true);
    expect((error as WorktreeError).code).toBe("WORKER_MERGE_HOOKS");
    expect((error as WorktreeError).message).toContain(".githooks/post-merge");
    const rebase = await mergeWorktree(a, { rebase: true }).catch((e: unknown) => e);
    expect((rebase as WorktreeError).code).toBe("WORKER_MERGE_HOOKS");
    expect(git(project, "rev-parse", "HEAD")).toBe(head);
    expect(existsSync(join(project, ".githooks", "post-merge"))).toBe(false);
    expect(ran()).toBe("");
  });
});

describe("husky v9 (core.hooksPath .husky/_ with stubs sourcing .husky/<hook>)", () => {
  beforeEach(() =>
    makeRepo(project, (dir) => {
      mkdirSync(join(dir, ".husky", "_"), { recursive: true });
      writeFileSync(join(dir, ".husky", "_", ".gitignore"), "*\n");
      writeFileSync(join(dir, ".husky", "pre-commit"), "true\n");
      git(dir, "config", "core.hooksPath", ".husky/_");
    }),
  );

  /** Husky's stubs, ignored and not committed: each sources `.husky/<hook>` when it exists. */
  function stubs(dir: string): void {
    mkdirSync(join(dir, ".husky", "_"), { recursive: true });
    for (const name of HOOKS) {
      const stub = join(dir, ".husky", "_", name);
      writeFileSync(stub, `#!/bin/sh\n[ -f ".husky/${name}" ] && . ".husky/${name}"\nexit 0\n`);
      chmodSync(stub, 0o755);
    }
  }

  it("a hook written without exec bit (write tool) runs neither at stop nor at merge; the merge is refused", async () => {
    stubs(project);
    const a = await create("feature");
    stubs(a.path);
    for (const name of HOOKS) writeFileSync(join(a.path, ".husky", name), hook(name));
    writeFileSync(join(a.path, "w.txt"), "w\n");
    await finishWorktree(a);
    expect(ran()).toBe("");
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect((error as WorktreeError).code).toBe("WORKER_MERGE_HOOKS");
    expect((error as WorktreeError).message).toContain(".husky/post-merge");
    expect(ran()).toBe("");
  });
});

describe("a merge never replaces or deletes the user's untracked or ignored files (F2)", () => {
  beforeEach(() =>
    makeRepo(project, (dir) => {
      writeFileSync(join(dir, ".gitignore"), "local.cfg\nnode_modules/\n");
    }),
  );

  function userFiles(): void {
    writeFileSync(join(project, "local.cfg"), "user secret\n");
    mkdirSync(join(project, "node_modules", "pkg"), { recursive: true });
    writeFileSync(join(project, "node_modules", "pkg", "index.js"), "module.exports = 'user';\n");
  }

  it("a clean merge that would overwrite ignored files is refused (WORKER_MERGE_UNTRACKED) and lists them", async () => {
    userFiles();
    const a = await create("feature");
    writeFileSync(join(a.path, ".gitignore"), "\n");
    writeFileSync(join(a.path, "local.cfg"), "attacker\n");
    mkdirSync(join(a.path, "node_modules", "pkg"), { recursive: true });
    writeFileSync(join(a.path, "node_modules", "pkg", "index.js"), "require('child_process');\n");
    const report = await finishWorktree(a);
    expect(report.gitignore).toBe(true);
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect(WorktreeError.isInstance(error)).toBe(true);
    expect((error as WorktreeError).code).toBe("WORKER_MERGE_UNTRACKED");
    expect((error as WorktreeError).message).toContain("local.cfg");
    expect((error as WorktreeError).message).toContain("node_modules/pkg/index.js");
    expect(readFileSync(join(project, "local.cfg"), "utf8")).toBe("user secret\n");
    expect(readFileSync(join(project, "node_modules", "pkg", "index.js"), "utf8")).toBe(
      "module.exports = 'user';\n",
    );
  });

  it("a conflicting merge with ignored files at the branch's paths is refused before any abort deletes them", async () => {
    userFiles();
    const a = await create("feature");
    writeFileSync(join(a.path, ".gitignore"), "\n");
    writeFileSync(join(a.path, "local.cfg"), "attacker\n");
    writeFileSync(join(a.path, "shared.txt"), "from worker\n");
    await finishWorktree(a);
    writeFileSync(join(project, "shared.txt"), "from user\n");
    git(project, "commit", "-q", "-am", "user edit");
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect((error as WorktreeError).code).toBe("WORKER_MERGE_UNTRACKED");
    expect(readFileSync(join(project, "local.cfg"), "utf8")).toBe("user secret\n");
  });

  it("a merge that changes .gitignore but touches no existing file merges and says so", async () => {
    const a = await create("feature");
    writeFileSync(join(a.path, ".gitignore"), "local.cfg\n");
    writeFileSync(join(a.path, "new.txt"), "n\n");
    const merged = await mergeWorktree(a);
    expect(merged.gitignore).toBe(true);
    expect(changesWarnings(merged).join("\n")).toContain("edit a .gitignore");
    expect(merged.files).toEqual([".gitignore", "new.txt"]);
  });
});

describe("symlinks in the branch (F3)", () => {
  beforeEach(() => makeRepo(project, () => undefined));

  it("a symlink pointing outside the repository is listed in symlinks", async () => {
    const a = await create("feature");
    execFileSync("ln", ["-s", "/etc/passwd", join(a.path, "leak")]);
    execFileSync("ln", ["-s", "shared.txt", join(a.path, "inside")]);
    const report = await finishWorktree(a);
    expect(report.symlinks).toEqual(["leak -> /etc/passwd"]);
    expect(report.gitignore).toBe(false);
    expect(changesWarnings(report)).toEqual([
      "warning: symlinks pointing outside the repository: leak -> /etc/passwd",
    ]);
  });
});
