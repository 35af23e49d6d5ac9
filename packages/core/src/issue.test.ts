import { describe, expect, it } from "vitest";
import { formatIssue, formatPath, parsePath, showValue } from "./issue.js";

describe("issues", () => {
  it("formats paths with dots, indexes and quoted odd keys", () => {
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["profiles", 0, "permissions", "my key", Symbol("x")])).toBe(
      'profiles[0].permissions["my key"]',
    );
  });

  it("shows values as short JSON", () => {
    expect(showValue(undefined)).toBe("nothing");
    expect(showValue("x".repeat(100))).toHaveLength(60);
    expect(showValue({ a: 1 })).toBe('{"a":1}');
  });

  it("renders an issue, with its file when asked", () => {
    const issue = {
      file: "a.md",
      path: "mode",
      problem: "invalid value",
      got: '"perf"',
      expected: "one of …",
      didYouMean: "performance",
    };
    expect(formatIssue(issue)).toBe(
      'mode: invalid value (got "perf", expected one of …); did you mean "performance"?',
    );
    expect(formatIssue(issue, { file: true })).toBe(
      'a.md: mode: invalid value (got "perf", expected one of …); did you mean "performance"?',
    );
    expect(formatIssue({ path: "(root)", problem: "not an object" }, { file: true })).toBe(
      "(root): not an object",
    );
  });
});

describe("parsePath", () => {
  it("reads back every path formatPath writes, odd keys included", () => {
    const paths: (string | number)[][] = [
      [],
      ["ui"],
      ["profiles", 0, "permissions", "categories"],
      ["capabilityOverrides", "ollama/llava:13b", "vision"],
      ["modelAliases", "gpt-4.1"],
      ["a", 'quote " and \\ backslash', 2, "$ok_1"],
    ];
    for (const path of paths) expect(parsePath(formatPath(path))).toEqual(path);
  });

  it("refuses text formatPath never writes, naming where", () => {
    expect(() => parsePath(".a")).toThrow(/not a path written by formatPath: "\.a" \(at 0\)/);
    expect(() => parsePath("a..b")).toThrow(/\(at 1\)/);
    expect(() => parsePath("a[x]")).toThrow(/\(at 1\)/);
  });
});
