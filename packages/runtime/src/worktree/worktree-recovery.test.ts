import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@orchestra/process";
import { git, gitRepo } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildOrchestrator } from "../lifecycle/test-support/child.js";
import { type Home, makeHarness, makeHome, removeHome, waitFor } from "../lifecycle/test-support/harness.js";
import type { WorkerInfo } from "../workers/worker.js";
import { WORKTREES_DIR_ENV } from "./worktree-store.js";
import { projectWorktrees } from "./worktree-workers.js";

// Recovery after an orchestrator crash, on the fake `opencode serve` (the worktree logic is git's and
// ours; a real OpenCode worker adds nothing to it): the crashed orchestrator's workers are gone (a real
// worker's owner watchdog stops it; here they are SIGKILLed), and the next orchestrator's recovery keeps
// the worktree with changes (its edits committed onto the branch) and removes the empty one with its branch.

const config = {
  profiles: [
    { id: "coder", isolation: "worktree" as const },
    { id: "architect", isolation: "worktree" as const },
  ],
};

let h: Home;
const previous = process.env[WORKTREES_DIR_ENV];

/** A test home whose project is a git repository with one commit. */
function gitHome(): Home {
  const home = makeHome();
  gitRepo(home.directory, { "README.md": "project\n" });
  return home;
}

const homes: Home[] = [];
beforeAll(() => {
  h = gitHome();
  homes.push(h);
  process.env[WORKTREES_DIR_ENV] = join(h.root, "worktrees");
});
afterAll(() => {
  for (const home of homes) removeHome(home);
  if (previous === undefined) delete process.env[WORKTREES_DIR_ENV];
  else process.env[WORKTREES_DIR_ENV] = previous;
});

describe("worktrees across an orchestrator crash", () => {
  it("recovery keeps the worktree with changes and removes the empty one with its branch", async () => {
    const crashed = startChildOrchestrator(h, "spawn2", {
      ORCHESTRA_TEST_CONFIG: JSON.stringify(config),
      [WORKTREES_DIR_ENV]: join(h.root, "worktrees"),
    });
    const ready = JSON.parse((await crashed.line("READY ", 60_000)).slice(6)) as WorkerInfo[];
    expect(ready.map((w) => w.id).sort()).toEqual(["architect", "coder"]);
    const before = await projectWorktrees(h.directory);
    expect(before.map((r) => r.branch).sort()).toEqual(["orchestra/architect", "orchestra/coder"]);
    const coder = before.find((r) => r.workerId === "coder");
    const architect = before.find((r) => r.workerId === "architect");
    if (!coder || !architect) throw new Error("worktrees missing");
    // The coder edited a file (uncommitted), the architect nothing; then everything crashes.
    writeFileSync(join(coder.directory, "edit.txt"), "work in progress\n");
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    for (const w of ready) process.kill(-(w.pid ?? 0), "SIGKILL");
    await waitFor(() => ready.every((w) => !isProcessAlive(w.pid ?? 0)), 10_000, "the workers to die");

    const next = await makeHarness({ home: h, config });
    const report = await next.lifecycle.start();
    expect(report.worktrees?.kept.map((k) => [k.workerId, k.branch, k.files])).toEqual([
      ["coder", "orchestra/coder", ["edit.txt"]],
    ]);
    expect(report.worktrees?.removed.map((r) => [r.workerId, r.files])).toEqual([["architect", []]]);
    expect(existsSync(coder.path)).toBe(true);
    expect(git(coder.path, "status", "--porcelain")).toBe("");
    expect(git(h.directory, "show", "orchestra/coder:edit.txt")).toBe("work in progress");
    expect(existsSync(architect.path)).toBe(false);
    expect(git(h.directory, "branch", "--format=%(refname:short)").split("\n").sort()).toEqual([
      "main",
      "orchestra/coder",
    ]);
    // A new coder does not take the id whose branch the kept worktree holds.
    const again = await next.orchestra.spawn("coder");
    expect(again.id).toBe("coder-2");
    expect((await next.orchestra.stop(again.id)).branch).toBe("orchestra/coder-2");
    await next.lifecycle.shutdown();
    expect((await projectWorktrees(h.directory)).map((r) => r.workerId)).toEqual(["coder"]);
  });

  it("a worker reconnected after the crash still reports its branch and changes when it is stopped", async () => {
    const home = gitHome();
    homes.push(home);
    const crashed = startChildOrchestrator(home, "spawn2", {
      ORCHESTRA_TEST_CONFIG: JSON.stringify(config),
      [WORKTREES_DIR_ENV]: join(h.root, "worktrees"),
    });
    await crashed.line("READY ", 60_000);
    const coder = (await projectWorktrees(home.directory)).find((r) => r.workerId === "coder");
    if (!coder) throw new Error("no worktree of coder");
    writeFileSync(join(coder.directory, "later.txt"), "written before the crash\n");
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    // The workers live on: the next orchestrator reconnects them, worktrees untouched.
    const next = await makeHarness({ home, config });
    const report = await next.lifecycle.start();
    expect(report.reconnected.map((r) => r.id).sort()).toEqual(["architect", "coder"]);
    expect(report.worktrees).toEqual({ kept: [], removed: [] });
    const stopped = await next.orchestra.stop("coder");
    expect(stopped).toMatchObject({ branch: "orchestra/coder", changed: true, files: ["later.txt"] });
    const architect = await next.orchestra.stop("architect");
    expect(architect).toMatchObject({ branch: "orchestra/architect", changed: false, worktree: null });
    await next.lifecycle.shutdown();
    expect((await projectWorktrees(home.directory)).map((r) => r.workerId)).toEqual(["coder"]);
  });
});
