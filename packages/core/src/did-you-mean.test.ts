import { describe, expect, it } from "vitest";
import { closeLimit, didYouMean, editDistance, suggestions } from "./did-you-mean.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions, and stops past its limit", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("abcdefgh", "zzzzzzzz", 2)).toBe(3);
    expect(
      editDistance("a-very-long-model-id-".repeat(10), "a-very-long-model-id-".repeat(10).slice(1)),
    ).toBe(1);
  });
});

describe("didYouMean and suggestions", () => {
  it("prefers a case-insensitive match, then containment, then a small edit distance", () => {
    expect(didYouMean("fileSystem", ["filesystem", "execution"])).toBe("filesystem");
    expect(didYouMean("retries", ["enabled", "maxRetries", "timeoutMs"])).toBe("maxRetries");
    expect(didYouMean("intervalMS", ["intervalMs", "timeoutMs"])).toBe("intervalMs");
    expect(didYouMean("sandbox", ["full", "sandboxed", "none"])).toBe("sandboxed");
    expect(didYouMean("readonly", ["full", "read", "none"])).toBe("read");
    expect(didYouMean("exec", ["execution", "network"])).toBe("execution");
    expect(didYouMean("modle", ["model", "mode"])).toBe("mode");
    expect(didYouMean("codr", ["coder", "mine"])).toBe("coder");
  });

  it("suggests nothing when nothing is close, and never the input itself", () => {
    expect(didYouMean("zzz", ["enabled", "intervalMs"])).toBeUndefined();
    expect(didYouMean("cheap", ["performance", "balanced", "economical"])).toBeUndefined();
    expect(suggestions("coder", ["coder"])).toEqual([]);
  });

  it("ranks close candidates, closest first, lexical on ties, at most `limit`", () => {
    expect(
      suggestions("claude-sonet-4-5", ["claude-sonnet-4-5", "claude-opus-4-1", "claude-sonnet-4"]),
    ).toEqual(["claude-sonnet-4-5", "claude-sonnet-4", "claude-opus-4-1"]);
    expect(suggestions("gpt", ["gpt-5", "gpt-4o", "gpt-4.1", "o3"], 2)).toEqual(["gpt-5", "gpt-4o"]);
    expect(didYouMean("abd", ["abe", "abc"])).toBe("abc");
  });

  it("allows about a third of a word's length in edits (1 for three characters or fewer)", () => {
    expect(closeLimit(3)).toBe(1);
    expect(closeLimit(4)).toBe(2);
    expect(closeLimit(16)).toBe(5);
  });
});
