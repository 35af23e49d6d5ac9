import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git, gitRepo } from "./git-repo.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe("gitRepo", () => {
  it("makes a repository on main with one commit of the files, nested paths included", () => {
    const root = mkdtempSync(join(tmpdir(), "testkit-git-"));
    roots.push(root);
    const dir = join(root, "project");
    gitRepo(dir, { "a.txt": "one\n", "sub/b.txt": "two\n" });
    expect(git(dir, "branch", "--show-current")).toBe("main");
    expect(git(dir, "log", "--format=%s|%an")).toBe("init|Test User");
    expect(git(dir, "ls-files").split("\n")).toEqual(["a.txt", "sub/b.txt"]);
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(readFileSync(join(dir, "sub", "b.txt"), "utf8")).toBe("two\n");
    expect(existsSync(join(dir, ".git"))).toBe(true);
  });

  it("git throws on a failing command", () => {
    const root = mkdtempSync(join(tmpdir(), "testkit-git-"));
    roots.push(root);
    expect(() => git(root, "rev-parse", "HEAD")).toThrow();
  });
});
