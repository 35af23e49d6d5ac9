import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opencodeWorktree } from "./opencode-worktree.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "oc-worktree-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("opencodeWorktree", () => {
  it("is the git top level for the root and for a subdirectory", () => {
    const repo = join(root, "repo");
    mkdirSync(join(repo, "pkg", "deep"), { recursive: true });
    execFileSync("git", ["init", "-q", repo]);
    expect(opencodeWorktree(repo)).toBe(repo);
    expect(opencodeWorktree(join(repo, "pkg", "deep"))).toBe(repo);
  });

  it("is / outside any repository, and for a `.git` that is not a repository", () => {
    const plain = join(root, "plain");
    mkdirSync(join(plain, ".git"), { recursive: true });
    expect(opencodeWorktree(plain)).toBe("/");
    expect(opencodeWorktree("/")).toBe("/");
  });
});
