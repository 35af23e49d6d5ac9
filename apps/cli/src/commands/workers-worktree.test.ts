import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { echoScript, git, gitRepo, reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// `orchestra workers stop --json`, `workers merge` and `workers cleanup --worktrees` for workers of a
// profile with `isolation: "worktree"`, with real process workers (OpenCode and the scripted model, which
// makes the worker call `write` when asked `call write {…}`), as an isolated user.
const dirs = cliUserDirs("orchestra-cli-worktree-");
const plain = join(dirs.root, "plain");
const CALL = /^call (\w+) (\{.*\})$/s;
const profiles = {
  profiles: [
    {
      id: "iso",
      isolation: "worktree",
      permissions: { categories: { filesystem: "full", execution: "none", network: "none" } },
    },
  ],
};

let model: ScriptedModel;
let env: NodeJS.ProcessEnv;

function branches(): string[] {
  return git(dirs.project, "branch", "--format=%(refname:short)").split("\n").filter(Boolean).sort();
}

const workers = (args: string[], cwd = dirs.project) => runWorkers(args, { cwd, env });

async function spawnIso(): Promise<string> {
  const spawned = await workers(["spawn", "iso", "--json"]);
  expect(spawned.code, spawned.stdout + spawned.stderr).toBe(0);
  return (JSON.parse(spawned.stdout) as { id: string }).id;
}

async function write(id: string, file: string, content: string): Promise<void> {
  const asked = await workers(["ask", id, `call write ${JSON.stringify({ filePath: file, content })}`]);
  expect(asked.code, asked.stderr).toBe(0);
  expect(asked.stdout).toContain("Done: write");
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        { userText: CALL, reply: (req) => reply.toolCall(...parseCall(req.lastUserText ?? "")) },
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
      ],
      echoScript,
    ),
  }));
  gitRepo(dirs.project, { ".gitignore": ".opencode/\n", "orchestrator.json": JSON.stringify(profiles) });
  mkdirSync(plain);
  writeFileSync(join(plain, "orchestrator.json"), JSON.stringify(profiles));
}, 120_000);

function parseCall(text: string): [string, Record<string, unknown>] {
  const [, name = "", json = "{}"] = CALL.exec(text) ?? [];
  return [name, JSON.parse(json) as Record<string, unknown>];
}

afterAll(async () => {
  await workers(["stop", "--all"]);
  await model?.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe("orchestra workers with worktree isolation", () => {
  it("stop --json reports the branch, changed and files; merge applies the branch to the project", async () => {
    const id = await spawnIso();
    expect(branches()).toContain(`orchestra/${id}`);
    await write(id, "cli.txt", "from the cli worker\n");
    const early = await workers(["merge", id, "--json"]);
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout)).toMatchObject({ ok: false, code: "WORKER_MERGE_RUNNING" });
    const stopped = await workers(["stop", id, "--json"]);
    expect(stopped.code, stopped.stderr).toBe(0);
    const row = JSON.parse(stopped.stdout);
    expect(row).toMatchObject({ id, branch: `orchestra/${id}`, changed: true, files: ["cli.txt"] });
    expect(typeof row.outcome).toBe("string");
    expect(row.diffstat).toContain("cli.txt");
    expect(existsSync(join(dirs.project, "cli.txt"))).toBe(false);
    const merged = await workers(["merge", id, "--json"]);
    expect(merged.code, merged.stdout).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({
      branch: `orchestra/${id}`,
      changed: true,
      files: ["cli.txt"],
      mode: "merge",
      into: "main",
    });
    expect(readFileSync(join(dirs.project, "cli.txt"), "utf8")).toBe("from the cli worker\n");
    expect(branches()).toEqual(["main"]);
  });

  it("an unchanged worktree is gone after stop (directory and branch)", async () => {
    const id = await spawnIso();
    const listed = git(dirs.project, "worktree", "list", "--porcelain");
    const dir = listed
      .split("\n")
      .find((l) => l.startsWith("worktree ") && l.endsWith(`/${id}`))
      ?.slice("worktree ".length);
    expect(dir && existsSync(dir)).toBe(true);
    const stopped = await workers(["stop", id, "--json"]);
    expect(JSON.parse(stopped.stdout)).toMatchObject({
      id,
      branch: `orchestra/${id}`,
      changed: false,
      files: [],
      worktree: null,
    });
    expect(existsSync(dir ?? "")).toBe(false);
    expect(branches()).toEqual(["main"]);
  });

  it("cleanup keeps a worktree with changes; cleanup --worktrees removes it with its branch", async () => {
    const id = await spawnIso();
    await write(id, "kept.txt", "kept\n");
    expect((await workers(["stop", id])).stdout).toContain(`orchestra workers merge ${id}`);
    const kept = JSON.parse((await workers(["cleanup", "--json"])).stdout);
    expect(kept.worktrees.kept.map((k: { workerId: string }) => k.workerId)).toEqual([id]);
    expect(branches()).toEqual(["main", `orchestra/${id}`]);
    const removed = JSON.parse((await workers(["cleanup", "--worktrees", "--json"])).stdout);
    expect(removed.worktrees.removed).toMatchObject([{ workerId: id, files: ["kept.txt"] }]);
    expect(branches()).toEqual(["main"]);
  });

  it("a hook the worker writes with the write tool (husky v9: .husky/_ stubs source .husky/<hook>) never runs", async () => {
    // The project uses husky v9: core.hooksPath .husky/_, whose ignored stubs source .husky/<hook>.
    const log = join(dirs.root, "pwned.log");
    const hooks = ["post-merge", "pre-merge-commit", "prepare-commit-msg", "post-commit", "post-checkout"];
    mkdirSync(join(dirs.project, ".husky", "_"), { recursive: true });
    writeFileSync(join(dirs.project, ".husky", "_", ".gitignore"), "*\n");
    for (const hook of hooks) {
      const stub = join(dirs.project, ".husky", "_", hook);
      writeFileSync(stub, `#!/bin/sh\n[ -f ".husky/${hook}" ] && . ".husky/${hook}"\nexit 0\n`);
      chmodSync(stub, 0o755);
    }
    git(dirs.project, "config", "core.hooksPath", ".husky/_");
    try {
      const id = await spawnIso();
      for (const hook of hooks)
        await workers([
          "ask",
          id,
          `call write ${JSON.stringify({ filePath: `.husky/${hook}`, content: `echo PWNED-${hook} >> ${log}\n` })}`,
        ]);
      await write(id, "husky.txt", "w\n");
      const stopped = JSON.parse((await workers(["stop", id, "--json"])).stdout);
      expect(stopped).toMatchObject({ changed: true, files: ["husky.txt"] });
      const merged = await workers(["merge", id, "--json"]);
      expect(merged.code, merged.stdout).toBe(0);
      expect(JSON.parse(merged.stdout)).toMatchObject({
        files: ["husky.txt"],
        gitignore: false,
        symlinks: [],
      });
      expect(existsSync(join(dirs.project, ".husky", "post-merge"))).toBe(false);
      expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
    } finally {
      git(dirs.project, "config", "--unset", "core.hooksPath");
      rmSync(join(dirs.project, ".husky"), { recursive: true, force: true });
    }
  });

  it("outside a git repository, spawning a worktree worker is a clear error", async () => {
    const spawned = await workers(["spawn", "iso", "--json"], plain);
    expect(spawned.code).toBe(1);
    const failure = JSON.parse(spawned.stdout);
    expect(failure).toMatchObject({ ok: false, code: "WORKER_WORKTREE_NO_GIT" });
    expect(failure.message).toContain(`${plain} is not inside a git repository`);
    expect(failure.hints.join(" ")).toContain("git init");
    expect(failure.hints.join(" ")).toContain('isolation: "none"');
  });
});
