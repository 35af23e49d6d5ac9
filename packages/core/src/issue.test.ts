import { describe, expect, it } from "vitest";
import { formatIssue, formatPath, showValue } from "./issue.js";

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
