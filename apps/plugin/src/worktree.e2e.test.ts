import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  git,
  gitRepo,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule, callToolIn } from "./test-support/scripted-calls.js";

// Worktree isolation in a real OpenCode with the plugin, driven by the scripted model: workers of a
// profile with `isolation: "worktree"` each work in their own git worktree of the project (branch
// orchestra/<id>); stop reports what they changed; merge_worker applies a branch, or reports the
// conflicted files and leaves the project as it was. The project's orchestrator.json defining the
// profile is NOT committed (HEAD has an older one): the worker's plugin must read the project's.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

const root = realpathSync(mkdtempSync(join(tmpdir(), "orchestra-worktree-e2e-")));
const project = join(root, "project");
const worktrees = join(root, "worktrees");

/** A hostile model makes the call even when the tool is not offered. */
const hostileCallRule = { ...callRule, toolsOffered: true, anyTool: true };

const profiles = [
  {
    id: "iso",
    isolation: "worktree",
    model: "scripted/fake-fast",
    purpose: "Edits files in its own worktree",
    permissions: { categories: { filesystem: "full", execution: "none", network: "none" } },
  },
  {
    id: "iso-session",
    kind: "session",
    isolation: "worktree",
    model: "scripted/fake-fast",
    permissions: { categories: { filesystem: "full", execution: "none", network: "none" } },
  },
];

let model: ScriptedModel;
let opencode: OpencodeInstance;
const sessions: string[] = [];

function branches(): string[] {
  return git(project, "branch", "--format=%(refname:short)").split("\n").filter(Boolean).sort();
}

/** HEAD, index tree and status of the project: what a failed merge must leave as it was. */
function projectState(): string {
  return [
    git(project, "rev-parse", "HEAD"),
    git(project, "write-tree"),
    git(project, "status", "--porcelain"),
  ].join("|");
}

/** The worktree of worker `id`, as git lists it. */
function worktreeOf(id: string): string {
  const found = git(project, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length))
    .find((p) => p.endsWith(`/${id}`));
  if (found === undefined) throw new Error(`no worktree of ${id}`);
  return found;
}

function host(tool: string, args: Record<string, unknown>, session = 0): Promise<string> {
  return callToolIn({ model, opencode, sessionID: sessions[session] ?? "" }, tool, args);
}

/** Ask a worker to call `tool` with `args`; return the tool result its model got. */
async function workerCalls(
  worker: string,
  tool: string,
  args: Record<string, unknown>,
  session = 0,
): Promise<string> {
  const message = `call ${tool} ${JSON.stringify(args)}`;
  const answer = await host("ask_worker", { id: worker, message }, session);
  expect(answer).toContain(`Done: ${tool}`);
  const seen = model.requests.filter((r) => r.lastToolResult?.name === tool && r.lastUserText === message);
  expect(seen.length, `the worker's model got no result of ${tool}`).toBeGreaterThan(0);
  return seen.at(-1)?.lastToolResult?.content ?? "";
}

beforeAll(async () => {
  gitRepo(project, { ".gitignore": ".opencode/\n", "orchestrator.json": "{}\n", "src/app.txt": "app\n" });
  // The profile exists only in the working copy of orchestrator.json, not at HEAD.
  writeFileSync(join(project, "orchestrator.json"), JSON.stringify({ profiles }, null, 2));
  git(project, "update-index", "--assume-unchanged", "orchestrator.json");
  model = await startScriptedModel({
    script: rules(
      [hostileCallRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    env: { ORCHESTRA_WORKTREES_DIR: worktrees },
  });
  for (const title of ["worktree e2e a", "worktree e2e b"]) {
    const session = await opencode.client.session.create({ title });
    sessions.push(session.data?.id ?? "");
  }
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("workers isolated in git worktrees", () => {
  it("two worktree workers write the same file name in parallel without conflict; each reports its branch, and a merge applies one of them", async () => {
    const a = JSON.parse(await host("spawn_worker", { profile: "iso", format: "json" })) as { id: string };
    const b = JSON.parse(await host("spawn_worker", { profile: "iso", new: true, format: "json" })) as {
      id: string;
    };
    expect([a.id, b.id]).toEqual(["iso", "iso-2"]);
    const [wa, wb] = await Promise.all([
      workerCalls("iso", "write", { filePath: "same.txt", content: "from iso\n" }, 0),
      workerCalls("iso-2", "write", { filePath: "same.txt", content: "from iso-2\n" }, 1),
    ]);
    expect(wa).not.toMatch(/Denied by Open Orchestra/);
    expect(wb).not.toMatch(/Denied by Open Orchestra/);
    expect(existsSync(join(project, "same.txt"))).toBe(false);
    // Job end: each answer says the worker's branch and what it changed so far (the two host
    // sessions ran at once, so the answers are found among everything the host's model received).
    const asked = model.requests
      .filter((r) => r.lastToolResult?.name === "ask_worker")
      .map((r) => r.lastToolResult?.content ?? "");
    for (const id of ["iso", "iso-2"])
      expect(
        asked.some((c) =>
          c.includes(`[worktree] branch orchestra/${id}: 1 file(s) changed so far: same.txt`),
        ),
      ).toBe(true);

    const stopA = JSON.parse(await host("stop_worker", { id: "iso", format: "json" }));
    const stopB = JSON.parse(await host("stop_worker", { id: "iso-2", format: "json" }));
    expect(stopA).toMatchObject({ id: "iso", branch: "orchestra/iso", changed: true, files: ["same.txt"] });
    expect(stopB).toMatchObject({
      id: "iso-2",
      branch: "orchestra/iso-2",
      changed: true,
      files: ["same.txt"],
    });
    expect(stopA.diffstat).toContain("same.txt");
    expect(stopA.worktree.startsWith(worktrees)).toBe(true);
    expect(git(project, "show", "orchestra/iso:same.txt")).toBe("from iso");
    expect(git(project, "show", "orchestra/iso-2:same.txt")).toBe("from iso-2");

    const merged = await host("merge_worker", { id: "iso" });
    expect(merged).toContain("Merged orchestra/iso into main");
    expect(readFileSync(join(project, "same.txt"), "utf8")).toBe("from iso\n");
    expect(branches()).toEqual(["main", "orchestra/iso-2"]);
    expect(existsSync(stopA.worktree)).toBe(false);

    // The other branch now conflicts: the merge is aborted, the files reported, the project unchanged.
    const before = projectState();
    const conflict = await host("merge_worker", { id: "iso-2" });
    expect(conflict).toContain("WORKER_MERGE_CONFLICT");
    expect(conflict).toContain("same.txt");
    expect(projectState()).toBe(before);
    expect(readFileSync(join(project, "same.txt"), "utf8")).toBe("from iso\n");
    expect(existsSync(join(project, ".git", "MERGE_HEAD"))).toBe(false);
    expect(branches()).toEqual(["main", "orchestra/iso-2"]);
  });

  it("an unchanged worktree is gone after stop, directory and branch", async () => {
    const spawned = await host("spawn_worker", { profile: "iso", new: true, format: "json" });
    const { id } = JSON.parse(spawned) as { id: string };
    const dir = worktreeOf(id);
    expect(existsSync(dir)).toBe(true);
    expect(branches()).toContain(`orchestra/${id}`);
    const stopped = await host("stop_worker", { id });
    expect(stopped).toContain("changed nothing");
    expect(existsSync(dir)).toBe(false);
    expect(branches()).not.toContain(`orchestra/${id}`);
    expect(git(project, "worktree", "list", "--porcelain").split("\n")).not.toContain(`worktree ${dir}`);
  });

  it("a hostile worktree worker cannot write its control files nor the main repository (files, .git, hooks)", async () => {
    const { id } = JSON.parse(await host("spawn_worker", { profile: "iso", new: true, format: "json" })) as {
      id: string;
    };
    const tree = JSON.parse(await host("list_workers", { format: "json" })) as { id: string }[];
    expect(tree.map((w) => w.id)).toContain(id);
    const wt = worktreeOf(id);
    const gitdir = readFileSync(join(wt, ".git"), "utf8")
      .trim()
      .replace(/^gitdir: /, "");
    const attacks: Record<string, string> = {
      "the worktree's orchestrator.json": "orchestrator.json",
      "the worktree's .opencode/": ".opencode/plugins/evil.ts",
      "the worktree's .git pointer file": ".git",
      "the main repository's file through ..": relative(wt, join(project, "src", "app.txt")),
      "the main repository's file by absolute path": join(project, "src", "app.txt"),
      "the main repository's hooks": join(project, ".git", "hooks", "pre-commit"),
      "the main repository's git config": join(project, ".git", "config"),
      "the worktree's own git dir (where .git points)": join(gitdir, "HEAD"),
      "the worktree's git dir, through ..": relative(wt, join(gitdir, "config.worktree")),
    };
    const hooks = join(project, ".git", "hooks");
    const before = {
      app: readFileSync(join(project, "src", "app.txt"), "utf8"),
      config: readFileSync(join(project, ".git", "config"), "utf8"),
      head: readFileSync(join(gitdir, "HEAD"), "utf8"),
      pointer: readFileSync(join(wt, ".git"), "utf8"),
      orchestrator: readFileSync(join(wt, "orchestrator.json"), "utf8"),
    };
    // Its own work is allowed: the worker enforces the profile the orchestrator resolved (which only
    // the project's uncommitted orchestrator.json defines), not a deny-everything fallback.
    const own = await workerCalls(id, "write", { filePath: "notes.txt", content: "mine\n" });
    expect(own).not.toMatch(/Denied by Open Orchestra/);
    expect(readFileSync(join(wt, "notes.txt"), "utf8")).toBe("mine\n");
    for (const [what, filePath] of Object.entries(attacks)) {
      const out = await workerCalls(id, "write", { filePath, content: "#!/bin/sh\necho pwned\n" });
      expect(out, what).toMatch(/Denied by Open Orchestra/);
      expect(out, what).toMatch(/control file|outside|not allowed/i);
    }
    expect(existsSync(join(hooks, "pre-commit"))).toBe(false);
    expect(existsSync(join(wt, ".opencode", "plugins", "evil.ts"))).toBe(false);
    expect(readFileSync(join(project, "src", "app.txt"), "utf8")).toBe(before.app);
    expect(readFileSync(join(project, ".git", "config"), "utf8")).toBe(before.config);
    expect(readFileSync(join(gitdir, "HEAD"), "utf8")).toBe(before.head);
    expect(readFileSync(join(wt, ".git"), "utf8")).toBe(before.pointer);
    expect(readFileSync(join(wt, "orchestrator.json"), "utf8")).toBe(before.orchestrator);
    // Only its own file changed.
    const stopped = JSON.parse(await host("stop_worker", { id, format: "json" }));
    expect(stopped).toMatchObject({ branch: `orchestra/${id}`, changed: true, files: ["notes.txt"] });
  });

  it("a session worker cannot be isolated: a clear spawn error", async () => {
    const out = await host("spawn_worker", { profile: "iso-session" });
    expect(out).toContain("WORKER_WORKTREE_SESSION");
    expect(out).toContain('isolation: "none"');
  });
});
