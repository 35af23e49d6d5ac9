import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { CheckContext, ToolCall } from "./context.js";
import {
  CONTROL_FILE_GLOBS,
  CONTROL_FILE_SUMMARY,
  isControlPath,
  SANDBOX_CONTROL_DIRS,
  SANDBOX_CONTROL_NAMES,
} from "./control-files.js";
import { ctx, profiles } from "./test-fixtures.js";

const CONTROL = [
  ".opencode",
  ".opencode/plugin/evil.js",
  "sub/dir/.opencode/agent/x.md",
  "opencode.json",
  "sub/opencode.jsonc",
  "orchestrator.json",
  ".opencode/orchestrator.json",
  "packages/x/orchestrator.json",
  ".npmrc",
  "sub/.npmrc",
  "bunfig.toml",
  ".git",
  "vendor/lib/.git",
  ".git/config",
  ".git/config.worktree",
  ".git/commondir",
  ".git/hooks",
  ".git/hooks/pre-commit",
  ".git/info",
  ".git/info/attributes",
  ".git/info/exclude",
  ".git/modules",
  ".git/modules/lib/config",
  ".git/modules/lib/hooks/post-checkout",
  ".git/modules/lib/info/attributes",
  ".git/modules/a/modules/b/commondir",
  ".git/worktrees",
  ".git/worktrees/x/gitdir",
  ".git/worktrees/x/config.worktree",
  ".git/objects",
  ".git/objects/info",
  ".git/objects/info/alternates",
  ".git/objects/info/http-alternates",
  ".git/remotes/origin",
  ".git/branches/origin",
  "sub/.git/config",
  "sub/.git/hooks/post-checkout",
  "home/u/proj/.git/commondir",
  "/home/u/proj/.git/commondir",
  "./.git/config",
  "../other/.opencode/plugin/x.js",
  ".git/hooks/",
  // the rest of a git directory: written by git's own commands only (issue 11 review)
  ".git/COMMIT_EDITMSG",
  ".git/HEAD",
  ".git/index",
  ".git/packed-refs",
  ".git/objects/ab/cdef0123",
  ".git/refs/heads/main",
  ".git/rebase-merge/git-rebase-todo",
  ".git/rebase-apply/patch",
  ".git/sequencer/todo",
  "tui.json",
  "tui.jsonc",
  "sub/tui.json",
  // package managers' code-running config (issue 11 re-review 6)
  ".yarnrc.yml",
  ".yarnrc",
  "sub/.yarnrc.yml",
  ".yarn/releases/yarn-4.1.0.cjs",
  ".yarn/plugins/@yarnpkg/plugin-x.cjs",
  ".yarn/plugins",
  ".pnpmfile.cjs",
  ".pnpmfile.mjs",
  "packages/a/.pnpmfile.cjs",
  "pnpm-workspace.yaml",
  ".bunfig.toml",
  // git hooks folders in the working tree (worktree isolation review F1): husky v5-v8 `.husky`, husky v9
  // stubs in `.husky/_` sourcing `.husky/<hook>` (no exec bit needed), and `.githooks`
  ".husky",
  ".husky/post-merge",
  ".husky/_/post-merge",
  ".githooks",
  ".githooks/post-commit",
  "packages/a/.husky/pre-commit",
];

const NOT_CONTROL = [
  "src/a.ts",
  "README.md",
  ".gitignore",
  ".gitattributes",
  ".github/workflows/ci.yml",
  "opencode.json.bak",
  "my-orchestrator.json",
  "docs/.opencode.md",
  "config",
  "hooks/pre-commit",
  ".gitmodules",
  "package.json",
  "packages/a/package.json",
  ".yarn/cache/x.zip",
  ".yarn/install-state.gz",
  "yarn.lock",
  "pnpm-lock.yaml",
  "",
  ".",
];

describe("isControlPath", () => {
  it.each(CONTROL)("%s is a control path", (p) => {
    expect(isControlPath(p)).toBe(true);
  });

  it.each(NOT_CONTROL)("%s is not a control path", (p) => {
    expect(isControlPath(p)).toBe(false);
  });

  it("compares without regard to case only when asked", () => {
    for (const p of [".GIT/Config", "OpenCode.JSON", ".OPENCODE/x", "Orchestrator.json", "sub/TUI.json"]) {
      expect(isControlPath(p)).toBe(false);
      expect(isControlPath(p, { caseInsensitive: true })).toBe(true);
    }
    expect(isControlPath(".GITHUB/x", { caseInsensitive: true })).toBe(false);
  });

  it("names every sandbox entry, and every glob matches some control path", () => {
    for (const name of SANDBOX_CONTROL_NAMES) expect(isControlPath(name)).toBe(true);
    for (const dir of SANDBOX_CONTROL_DIRS) expect(SANDBOX_CONTROL_NAMES).toContain(dir);
    for (const glob of CONTROL_FILE_GLOBS) {
      expect(isControlPath(glob.replace("**/", "").replaceAll("**", "x"))).toBe(true);
    }
  });

  it("has a one-line summary naming the new entries", () => {
    expect(CONTROL_FILE_SUMMARY).not.toContain("\n");
    for (const word of [
      "orchestrator.json",
      "commondir",
      "worktrees",
      "modules",
      "info",
      ".yarnrc",
      "pnpm",
      ".husky/",
      ".githooks/",
    ]) {
      expect(CONTROL_FILE_SUMMARY).toContain(word);
    }
  });
});

describe("check() treats every control path as unwritable by every write route", () => {
  const targets = [
    "orchestrator.json",
    ".opencode/orchestrator.json",
    ".git/commondir",
    ".git/config.worktree",
    ".git/info/attributes",
    ".git/worktrees/x/gitdir",
    ".git/modules/lib/config",
    ".git/objects/info/alternates",
    "sub/.git",
    ".husky/post-merge",
    ".husky/_/post-merge",
    ".githooks/post-commit",
  ];
  const routes = (t: string): ToolCall[] => [
    { tool: "write", args: { filePath: t, content: "x" } },
    { tool: "edit", args: { filePath: t, oldString: "a", newString: "b" } },
    { tool: "apply_patch", args: { patchText: `*** Begin Patch\n*** Add File: ${t}\n+x\n*** End Patch` } },
    { tool: "bash", args: { command: `echo x > ${t}` } },
  ];
  it.each(targets)("denies writing %s", (t) => {
    for (const call of routes(t)) {
      const d = check(profiles.open, call, ctx);
      expect(d.rule, `${call.tool}: ${d.reason}`).toBe("paths.control-file");
      expect(d.reason).toContain("Allowed instead");
    }
  });
  it.each(["src/a.ts", ".gitignore", "docs/tui.md"])("allows writing %s", (t) => {
    for (const call of routes(t)) expect(check(profiles.open, call, ctx).rule).toBe("allowed");
  });
  it("compares without regard to case on case-insensitive filesystems", () => {
    const ci: CheckContext = { ...ctx, caseInsensitiveFs: true };
    expect(check(profiles.open, routes("Orchestrator.JSON")[0] as ToolCall, ci).rule).toBe(
      "paths.control-file",
    );
    expect(check(profiles.open, routes(".GIT/CommonDir")[3] as ToolCall, ci).rule).toBe("paths.control-file");
  });
});
