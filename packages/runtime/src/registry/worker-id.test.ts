import { describe, expect, it } from "vitest";
import { errorCode } from "./test-support/entries.js";
import { nextWorkerId } from "./worker-id.js";

describe("nextWorkerId", () => {
  it("gives the first worker of a profile the profile id", () => {
    expect(nextWorkerId("coder", [])).toBe("coder");
    expect(nextWorkerId("coder", ["docs", "docs-2"])).toBe("coder");
  });

  it("numbers later workers from 2", () => {
    expect(nextWorkerId("coder", ["coder"])).toBe("coder-2");
    expect(nextWorkerId("coder", ["coder", "coder-2"])).toBe("coder-3");
  });

  it("reuses the lowest free id", () => {
    expect(nextWorkerId("coder", ["coder-2", "coder-3"])).toBe("coder");
    expect(nextWorkerId("coder", ["coder", "coder-3"])).toBe("coder-2");
  });

  it("never collides with a profile whose own id looks like a numbered worker", () => {
    // A profile literally named "coder-2" holds the id "coder-2".
    expect(nextWorkerId("coder", ["coder", "coder-2"])).toBe("coder-3");
    expect(nextWorkerId("coder-2", ["coder-2"])).toBe("coder-2-2");
  });

  it("accepts any iterable of ids", () => {
    expect(nextWorkerId("coder", new Set(["coder"]))).toBe("coder-2");
  });

  it("rejects an empty profile id", async () => {
    expect(await errorCode(() => nextWorkerId("", []))).toBe("REGISTRY_INVALID_ARGUMENT");
  });
});
