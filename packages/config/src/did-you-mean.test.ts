import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.js";

describe("didYouMean", () => {
  it("prefers a case-insensitive match, then containment, then a small edit distance", () => {
    expect(didYouMean("fileSystem", ["filesystem", "execution"])).toBe("filesystem");
    expect(didYouMean("retries", ["enabled", "maxRetries", "timeoutMs"])).toBe("maxRetries");
    expect(didYouMean("intervalMS", ["intervalMs", "timeoutMs"])).toBe("intervalMs");
    expect(didYouMean("sandbox", ["full", "sandboxed", "none"])).toBe("sandboxed");
    expect(didYouMean("modle", ["model", "mode"])).toBe("mode");
  });

  it("suggests nothing when nothing is close", () => {
    expect(didYouMean("zzz", ["enabled", "intervalMs"])).toBeUndefined();
    expect(didYouMean("cheap", ["performance", "balanced", "economical"])).toBeUndefined();
  });
});
