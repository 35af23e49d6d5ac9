import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { CheckContext, ToolCall } from "./context.js";
import { gitHooksControlDirs } from "./git-hooks-path.js";
import type { RuleId } from "./rules.js";
import { sandboxCommand } from "./sandbox.js";
import type { Permissions } from "./schema.js";
import { profiles } from "./test-fixtures.js";

// A project whose git hooks live in a custom folder (`core.hooksPath=tools/hooks` in `.git/config`):
// git runs those files at the user's next commit, outside any sandbox. A worker must not plant one.
// Real repository on disk; not under /tmp (the sandbox mounts a private /tmp).
const base = existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
const root = realpathSync(mkdtempSync(join(base, "orchestra-hooks-path-")));
const project = join(root, "project");
const home = join(root, "home");
mkdirSync(join(project, "tools", "hooks"), { recursive: true });
mkdirSync(home);
execFileSync("git", ["init", "-q", project]);
execFileSync("git", ["-C", project, "config", "core.hooksPath", "tools/hooks"]);
writeFileSync(join(project, "tools", "hooks", "pre-commit"), "npm test\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

// What a worker's enforcement computes once, at spawn.
const controlDirs = gitHooksControlDirs(project);
const ctx: CheckContext = { cwd: project, home, platform: "linux", caseInsensitiveFs: false, controlDirs };
const write = (filePath: string): ToolCall => ({ tool: "write", args: { filePath, content: "x" } });
const bash = (command: string): ToolCall => ({ tool: "bash", args: { command } });

describe("a project's custom core.hooksPath folder is a control path for its workers", () => {
  const rows: [string, ToolCall, RuleId][] = [
    ["a new hook by the write tool", write("tools/hooks/post-commit"), "paths.control-file"],
    ["a hook by shell redirect", bash("echo x > tools/hooks/pre-commit"), "paths.control-file"],
    ["the folder itself, moved away", bash("mv tools/hooks old"), "paths.control-file"],
    ["a sibling folder stays writable", write("tools/build.sh"), "allowed"],
  ];
  it.each(rows)("%s", (_what, call, rule) => {
    const decision = check(profiles.coder, call, ctx);
    expect(decision.rule, decision.reason).toBe(rule);
  });
});

const full: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "none" } };
describe("the sandbox keeps a custom core.hooksPath folder read-only", () => {
  it("a worker's shell plants no hook and changes none", () => {
    const command =
      "echo evil > tools/hooks/post-commit; echo evil >> tools/hooks/pre-commit; mv tools/hooks old; echo done";
    const line = sandboxCommand(full, command, {
      cwd: project,
      home,
      controlDirs,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const r = spawnSync("/bin/bash", ["-c", line], { encoding: "utf8", timeout: 30_000 });
    expect(r.stdout).toBe("done\n");
    expect(readFileSync(join(project, "tools", "hooks", "pre-commit"), "utf8")).toBe("npm test\n");
    expect(existsSync(join(project, "tools", "hooks", "post-commit"))).toBe(false);
    expect(existsSync(join(project, "old"))).toBe(false);
  });
  it("a missing hooks folder cannot be created: what the worker made there is moved out of the project", () => {
    const dir = join(root, "missing");
    mkdirSync(dir);
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "config", "core.hooksPath", ".hooks"]);
    const dirs = gitHooksControlDirs(dir);
    expect(dirs).toEqual([join(dir, ".hooks")]);
    const line = sandboxCommand(full, "mkdir .hooks && echo evil > .hooks/pre-commit; echo done", {
      cwd: dir,
      home,
      controlDirs: dirs,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const r = spawnSync("/bin/bash", ["-c", line], { encoding: "utf8", timeout: 30_000 });
    expect(r.stdout).toBe("done\n");
    expect(existsSync(join(dir, ".hooks"))).toBe(false);
  });
});

describe("gitHooksControlDirs reads the effective core.hooksPath as git resolves it", () => {
  const repo = (name: string, hooksPath?: string) => {
    const dir = join(root, name);
    mkdirSync(join(dir, "sub"), { recursive: true });
    execFileSync("git", ["init", "-q", dir]);
    if (hooksPath !== undefined) execFileSync("git", ["-C", dir, "config", "core.hooksPath", hooksPath]);
    return dir;
  };

  it("names the folder inside the project, also when asked from a subdirectory (relative to the top level)", () => {
    expect(controlDirs).toEqual([join(project, "tools", "hooks")]);
    // A project in a subdirectory of its repository: git resolves the folder from the top level.
    const dir = repo("from-sub", "sub/hooks");
    expect(gitHooksControlDirs(join(dir, "sub"))).toEqual([join(dir, "sub", "hooks")]);
  });

  it("names nothing without core.hooksPath, outside the project, at the project root, or outside git", () => {
    expect(gitHooksControlDirs(repo("plain"))).toEqual([]);
    expect(gitHooksControlDirs(repo("outside", join(root, "elsewhere")))).toEqual([]);
    expect(gitHooksControlDirs(repo("at-root", "."))).toEqual([]);
    // A project in a subdirectory of its repository, the hooks folder beside it: out of the worker's reach.
    expect(gitHooksControlDirs(join(repo("beside", "hooks"), "sub"))).toEqual([]);
  });

  it("resolves against a linked worktree's own top level: the worktree's copy of the folder", () => {
    execFileSync("git", ["-C", project, "add", "."]);
    execFileSync("git", [
      "-C",
      project,
      "-c",
      "user.name=T",
      "-c",
      "user.email=t@example.com",
      "-c",
      "core.hooksPath=/dev/null",
      "commit",
      "-q",
      "-m",
      "init",
    ]);
    const worktree = join(root, "worktrees", "coder");
    execFileSync("git", ["-C", project, "worktree", "add", "-q", "-b", "orchestra/coder", worktree]);
    expect(gitHooksControlDirs(worktree)).toEqual([join(worktree, "tools", "hooks")]);
    const decision = check(profiles.coder, write("tools/hooks/post-commit"), {
      ...ctx,
      cwd: worktree,
      controlDirs: gitHooksControlDirs(worktree),
    });
    expect(decision.rule, decision.reason).toBe("paths.control-file");
  });
});
