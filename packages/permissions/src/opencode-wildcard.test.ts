import { describe, expect, it } from "vitest";
import { expandBraces, externalDirectories, tailWildcards, worktreeWildcards } from "./opencode-wildcard.js";

describe("expandBraces", () => {
  it("expands nested alternatives and widens ranges", () => {
    expect(expandBraces("a/{b,c{d,e}}/*.ts")).toEqual(["a/b/*.ts", "a/cd/*.ts", "a/ce/*.ts"]);
    expect(expandBraces("f{1..3}")).toEqual(["f*"]);
    expect(expandBraces("plain")).toEqual(["plain"]);
  });

  it("widens to `*` past 32 alternatives", () => {
    const many = `{${Array.from({ length: 40 }, (_, i) => `x${i}`).join(",")}}`;
    expect(expandBraces(`a/${many}`)).toEqual(["a/*"]);
  });
});

describe("tailWildcards", () => {
  it("unfolds a `**` segment into no segment and `*`", () => {
    expect(tailWildcards("**/.opencode/**")).toEqual([
      ".opencode",
      ".opencode/*",
      "*/.opencode",
      "*/.opencode/*",
    ]);
    expect(tailWildcards("**")).toEqual(["", "*"]);
  });

  it("turns classes into `?`, extglobs into `*`, and drops escapes", () => {
    expect(tailWildcards("[ab].json")).toEqual(["?.json"]);
    expect(tailWildcards("@(x|y).md")).toEqual(["*.md"]);
    expect(tailWildcards("a\\*b")).toEqual(["a*b"]);
  });
});

describe("worktreeWildcards", () => {
  it("writes patterns relative to the worktree, including outside it and for worktree /", () => {
    expect(worktreeWildcards("/repo/proj/**/.env", "/repo")).toEqual(["proj/.env", "proj/*/.env"]);
    expect(worktreeWildcards("/repo/proj/**", "/repo/proj")).toEqual(["", "*"]);
    expect(worktreeWildcards("/etc/passwd", "/repo")).toEqual(["../etc/passwd"]);
    expect(worktreeWildcards("/var/tmp/p/src/*.ts", "/")).toEqual(["var/tmp/p/src/*.ts"]);
  });
});

describe("externalDirectories", () => {
  it("names the glob's base, and a plain path's parent too", () => {
    expect(externalDirectories("/data/**")).toEqual(["/data"]);
    expect(externalDirectories("/etc/hosts")).toEqual(["/etc/hosts", "/etc"]);
  });
});
