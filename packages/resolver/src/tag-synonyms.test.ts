import { describe, expect, it } from "vitest";
import { r } from "./test-world.js";

describe("an auto tag's memoised answer, asked for under another name", () => {
  it("reports the name asked for this time (node:fast after auto:fast)", () => {
    const resolver = r();
    const first = resolver.resolve("auto:fast");
    const second = resolver.resolve("node:fast");
    expect(first.input).toBe("auto:fast");
    expect(second.input).toBe("node:fast");
    expect(second.model).toBe(first.model);
    expect(second.reasons[0]?.startsWith("node:fast: ")).toBe(true);
    expect(resolver.resolve("auto:fast").input).toBe("auto:fast");
  });

  it("reports the name in a chain's fallback too", () => {
    const resolver = r();
    resolver.resolve("node");
    const res = resolver.resolve(["nope/x", "auto"]);
    expect(res.input).toBe("auto");
  });
});
