import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { CheckContext, ToolCall } from "./context.js";
import type { RuleId } from "./rules.js";
import { sandboxArgv } from "./sandbox.js";
import { profiles } from "./test-fixtures.js";

// A worker isolated in a git worktree (`isolation: worktree`, issue 17): its project root is the
// worktree, a linked worktree of the user's repository outside the project. The worktree holds the
// project's control files (orchestrator.json, .opencode/) and a `.git` FILE whose `gitdir:` names a
// directory inside the main repository's `.git` (which also holds the hooks and the shared config).
// Real files on disk: paths are resolved as the checker resolves them for a worker.
const root = realpathSync(mkdtempSync(join(tmpdir(), "orchestra-worktree-root-")));
const project = join(root, "project");
const worktree = join(root, "state", "orchestra", "worktrees", "project-0123456789ab", "coder");
const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" }).trim();

mkdirSync(join(project, "src"), { recursive: true });
git("init", "-q", "-b", "main");
writeFileSync(join(project, "orchestrator.json"), "{}\n");
mkdirSync(join(project, ".opencode"));
writeFileSync(join(project, ".opencode", "opencode.json"), "{}\n");
writeFileSync(join(project, "src", "app.ts"), "export {};\n");
git("add", ".");
git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init");
git("worktree", "add", "-q", "-b", "orchestra/coder", worktree);
const gitdir = readFileSync(join(worktree, ".git"), "utf8")
  .trim()
  .replace(/^gitdir: /, "");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ctx: CheckContext = {
  cwd: worktree,
  home: join(root, "home"),
  platform: "linux",
  caseInsensitiveFs: false,
};
const write = (filePath: string): ToolCall => ({ tool: "write", args: { filePath, content: "x" } });
const bash = (command: string): ToolCall => ({ tool: "bash", args: { command } });
const up = (path: string) => relative(worktree, path);

describe("a worktree is the worker's project root: its control files stay protected, the main repository is out of reach", () => {
  const rows: [string, ToolCall, RuleId][] = [
    ["its own file", write("src/app.ts"), "allowed"],
    ["its own new file", write("notes.md"), "allowed"],
    ["the worktree's orchestrator.json", write("orchestrator.json"), "paths.control-file"],
    ["the worktree's .opencode/", write(".opencode/plugins/evil.ts"), "paths.control-file"],
    ["the worktree's .git pointer", write(".git"), "paths.control-file"],
    ["the .git pointer, by shell", bash("echo 'gitdir: /tmp/evil' > .git"), "paths.control-file"],
    ["the main repository's file through ..", write(up(join(project, "src", "app.ts"))), "paths.not-allowed"],
    ["the main repository's file, absolute", write(join(project, "src", "app.ts")), "paths.not-allowed"],
    [
      "the main repository's orchestrator.json",
      write(join(project, "orchestrator.json")),
      "paths.control-file",
    ],
    [
      "the main repository's hooks",
      write(join(project, ".git", "hooks", "pre-commit")),
      "paths.control-file",
    ],
    [
      "the hooks through ..",
      write(up(join(project, ".git", "hooks", "post-checkout"))),
      "paths.control-file",
    ],
    [
      "the hooks by shell redirect",
      bash(`echo x > ${up(join(project, ".git", "hooks", "pre-commit"))}`),
      "paths.control-file",
    ],
    ["the shared git config", write(join(project, ".git", "config")), "paths.control-file"],
    ["the gitdir the pointer names", write(join(gitdir, "HEAD")), "paths.control-file"],
    ["the gitdir's config.worktree", write(join(gitdir, "config.worktree")), "paths.control-file"],
    ["a symlink to the hooks", bash(`ln -s ${join(project, ".git", "hooks")} h`), "paths.control-file"],
    [
      "git config through the worktree (shared config)",
      bash("git -C . config core.hooksPath /tmp/h"),
      "git.config-write",
    ],
    [
      "git on the main repository",
      bash(`git -C ${up(project)} config core.hooksPath x`),
      "git.outside-project",
    ],
  ];
  it.each(rows)("%s", (_what, call, rule) => {
    const decision = check(profiles.coder, call, ctx);
    expect(decision.rule, decision.reason).toBe(rule);
  });

  it("the sandbox mounts the worktree with its .git pointer read-only, and nothing of the main repository", () => {
    const argv = sandboxArgv(profiles.coder, "git status", {
      cwd: worktree,
      home: ctx.home,
      env: { PATH: "/usr/bin:/bin" },
    });
    const pointer = join(worktree, ".git");
    expect(argv.join("\0")).toContain(["--ro-bind", pointer, pointer].join("\0"));
    expect(argv.join("\0")).toContain(
      ["--ro-bind", join(worktree, "orchestrator.json"), join(worktree, "orchestrator.json")].join("\0"),
    );
    expect(argv.filter((a) => a === project || a.startsWith(`${project}/`))).toEqual([]);
  });
});
