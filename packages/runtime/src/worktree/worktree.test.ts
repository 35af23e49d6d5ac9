import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, gitRepo } from "@orchestra/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktree, finishWorktree, worktreeChanges } from "./worktree.js";
import { WorktreeError } from "./worktree-error.js";
import { mergeWorktree } from "./worktree-merge.js";
import { listRecords, type WorktreeRecord } from "./worktree-store.js";
import { sweepWorktrees } from "./worktree-sweep.js";

let tmp: string;
let project: string;
let root: string;

const makeRepo = (dir: string) => gitRepo(dir, { "shared.txt": "base\n", "orchestrator.json": "{}\n" });

/** The project's HEAD, index tree and status: what an aborted merge must leave unchanged. */
function state(dir: string): string {
  return [git(dir, "rev-parse", "HEAD"), git(dir, "write-tree"), git(dir, "status", "--porcelain")].join("|");
}

function branches(dir: string): string[] {
  return git(dir, "branch", "--format=%(refname:short)").split("\n").filter(Boolean).sort();
}

const create = (workerId: string) => createWorktree({ directory: project, workerId, profile: "coder", root });

/** Make a record look like it was created by a process that is gone (an orchestrator that crashed). */
function orphan(record: WorktreeRecord): void {
  const file = `${record.path}.json`;
  const data = JSON.parse(readFileSync(file, "utf8")) as WorktreeRecord;
  writeFileSync(file, JSON.stringify({ ...data, creator: { pid: data.creator.pid, startTime: "gone" } }));
}

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "orchestra-worktree-"));
  project = join(tmp, "project");
  root = join(tmp, "state", "worktrees");
  makeRepo(project);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("worker worktrees", () => {
  it("two workers write the same file name in parallel without conflict, each on its own branch", async () => {
    const [a, b] = await Promise.all([create("coder"), create("coder-2")]);
    expect(a.branch).toBe("orchestra/coder");
    expect(b.branch).toBe("orchestra/coder-2");
    expect(a.path.startsWith(root) || a.path.includes("state/worktrees")).toBe(true);
    writeFileSync(join(a.directory, "same.txt"), "from a\n");
    writeFileSync(join(b.directory, "same.txt"), "from b\n");
    expect((await worktreeChanges(a)).files).toEqual(["same.txt"]);
    const [ra, rb] = await Promise.all([finishWorktree(a), finishWorktree(b)]);
    expect(ra).toMatchObject({ branch: "orchestra/coder", changed: true, files: ["same.txt"] });
    expect(rb).toMatchObject({ branch: "orchestra/coder-2", changed: true, files: ["same.txt"] });
    expect(ra.diffstat).toContain("same.txt");
    expect(existsSync(a.path)).toBe(true);
    const merged = await mergeWorktree(a);
    expect(merged).toMatchObject({ mode: "merge", into: "main", files: ["same.txt"] });
    expect(readFileSync(join(project, "same.txt"), "utf8")).toBe("from a\n");
    expect(existsSync(a.path)).toBe(false);
    expect(branches(project)).toEqual(["main", "orchestra/coder-2"]);
  });

  it("an unchanged worktree is removed with its branch when its worker stops", async () => {
    const a = await create("coder");
    expect(existsSync(a.path)).toBe(true);
    // OpenCode's plugin-dependency install writes into `.opencode/` (a control dir the worker cannot write).
    mkdirSync(join(a.path, ".opencode", "node_modules"), { recursive: true });
    writeFileSync(join(a.path, ".opencode", "package.json"), "{}\n");
    expect(await finishWorktree(a)).toEqual({
      branch: "orchestra/coder",
      changed: false,
      files: [],
      diffstat: "",
      gitignore: false,
      symlinks: [],
      worktree: null,
    });
    expect(existsSync(a.path)).toBe(false);
    expect(branches(project)).toEqual(["main"]);
    expect(git(project, "worktree", "list").split("\n")).toHaveLength(1);
    expect(await listRecords(root)).toEqual([]);
  });

  it("a conflicting merge reports the conflicted files and leaves HEAD, index and files as before", async () => {
    const a = await create("coder");
    writeFileSync(join(a.directory, "shared.txt"), "worker\n");
    await finishWorktree(a);
    writeFileSync(join(project, "shared.txt"), "user\n");
    git(project, "commit", "-q", "-am", "user edit");
    writeFileSync(join(project, "untracked.txt"), "mine\n");
    const before = state(project);
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect(WorktreeError.isInstance(error) && error.code).toBe("WORKER_MERGE_CONFLICT");
    expect((error as WorktreeError).conflicts).toEqual(["shared.txt"]);
    expect((error as WorktreeError).message).toContain("shared.txt");
    expect(state(project)).toBe(before);
    expect(readFileSync(join(project, "shared.txt"), "utf8")).toBe("user\n");
    expect(existsSync(join(project, ".git", "MERGE_HEAD"))).toBe(false);
    // The rebase mode aborts as cleanly, in the worktree, and leaves the project untouched.
    const rebased = await mergeWorktree(a, { rebase: true }).catch((e: unknown) => e);
    expect((rebased as WorktreeError).conflicts).toEqual(["shared.txt"]);
    expect(state(project)).toBe(before);
    expect(git(a.path, "status", "--porcelain")).toBe("");
    expect(existsSync(a.path)).toBe(true);
  });

  it("rebase mode rebases the branch onto the current branch and fast-forwards it", async () => {
    const a = await create("coder");
    writeFileSync(join(a.directory, "new.txt"), "worker\n");
    await finishWorktree(a);
    writeFileSync(join(project, "other.txt"), "user\n");
    git(project, "add", "other.txt");
    git(project, "commit", "-q", "-m", "user edit");
    const merged = await mergeWorktree(a, { rebase: true });
    expect(merged.mode).toBe("rebase");
    expect(git(project, "log", "--format=%s", "-3").split("\n")).toEqual([
      "orchestra: work of worker coder",
      "user edit",
      "init",
    ]);
    expect(readFileSync(join(project, "new.txt"), "utf8")).toBe("worker\n");
  });

  it("refuses to merge into a project with uncommitted changes to tracked files", async () => {
    const a = await create("coder");
    writeFileSync(join(a.directory, "new.txt"), "worker\n");
    writeFileSync(join(project, "shared.txt"), "dirty\n");
    const error = await mergeWorktree(a).catch((e: unknown) => e);
    expect((error as WorktreeError).code).toBe("WORKER_MERGE_DIRTY");
    expect(readFileSync(join(project, "shared.txt"), "utf8")).toBe("dirty\n");
  });

  it("outside a git repository, or without a commit, creating a worktree is a clear error", async () => {
    const plain = join(tmp, "plain");
    mkdirSync(plain);
    const error = await createWorktree({ directory: plain, workerId: "coder", profile: "coder", root }).catch(
      (e: unknown) => e,
    );
    expect((error as WorktreeError).code).toBe("WORKER_WORKTREE_NO_GIT");
    expect((error as WorktreeError).message).toContain("is not inside a git repository");
    expect((error as WorktreeError).hints.join(" ")).toContain('isolation: "none"');
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    git(empty, "init", "-q");
    const noCommit = await createWorktree({ directory: empty, workerId: "x", profile: "coder", root }).catch(
      (e: unknown) => e,
    );
    expect((noCommit as WorktreeError).message).toContain("has no commit yet");
  });

  it("a kept worktree's branch makes a new worktree of the same worker id fail with what to do", async () => {
    const a = await create("coder");
    writeFileSync(join(a.directory, "x.txt"), "x\n");
    await finishWorktree(a);
    const error = await create("coder").catch((e: unknown) => e);
    expect((error as WorktreeError).code).toBe("WORKER_WORKTREE_FAILED");
    expect((error as WorktreeError).hints.join(" ")).toContain("orchestra workers merge coder");
  });

  it("the sweep keeps worktrees with changes (committing edits), removes empty ones, spares live workers", async () => {
    const [changed, empty, live, merged] = await Promise.all([
      create("changed"),
      create("empty"),
      create("live"),
      create("merged"),
    ]);
    writeFileSync(join(changed.directory, "edit.txt"), "uncommitted\n");
    writeFileSync(join(merged.directory, "m.txt"), "m\n");
    await finishWorktree(merged);
    git(project, "merge", "-q", "--no-edit", "orchestra/merged");
    for (const r of [changed, empty, live, merged]) orphan(r);
    const sweep = await sweepWorktrees({ alive: new Set(["live"]), root });
    expect(sweep.kept.map((k) => [k.workerId, k.files])).toEqual([["changed", ["edit.txt"]]]);
    expect(sweep.removed.map((r) => r.workerId).sort()).toEqual(["empty", "merged"]);
    expect(existsSync(changed.path)).toBe(true);
    expect(git(changed.path, "status", "--porcelain")).toBe("");
    expect(existsSync(empty.path)).toBe(false);
    expect(existsSync(live.path)).toBe(true);
    expect(branches(project)).toEqual(["main", "orchestra/changed", "orchestra/live"]);
    const all = await sweepWorktrees({ alive: new Set(["live"]), root, all: true });
    expect(all.removed.map((r) => [r.workerId, r.tip !== null])).toEqual([["changed", true]]);
    expect(branches(project)).toEqual(["main", "orchestra/live"]);
  });

  it("a worktree created by a live process (a worker being started) is never swept", async () => {
    const a = await create("starting");
    const sweep = await sweepWorktrees({ alive: new Set(), root });
    expect(sweep).toEqual({ kept: [], removed: [] });
    expect(existsSync(a.path)).toBe(true);
  });
});
