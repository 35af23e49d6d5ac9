import { describe, expect, it } from "vitest";
import { createResolver } from "./resolver.js";
import { catalog, model } from "./test-helpers.js";

const c = catalog({
  p: {
    "no-tools-1": model("no-tools-1", { tools: false }),
    "zero-1": model("zero-1", { cost: [0, 0] }),
    "priced-1": model("priced-1", { cost: [1, 2] }),
    "old-1": model("old-1", { status: "deprecated" }),
  },
});

describe("warnings in every answer", () => {
  it("says a model has no tool calls, though a worker uses tools", () => {
    expect(createResolver(c).resolve("p/no-tools-1").warnings).toContainEqual(
      expect.stringContaining("no tool calls"),
    );
  });
  it("says a price of 0 is unknown", () => {
    expect(createResolver(c).resolve("p/zero-1").warnings).toContainEqual(
      expect.stringContaining("priced at 0"),
    );
  });
  it("says a deprecated model was accepted because allowDeprecated is set (config or modelSelection)", () => {
    const res = createResolver(c, { modelSelection: { allowDeprecated: true } }).resolve("p/old-1");
    expect(res.warnings).toContainEqual(expect.stringContaining("deprecated"));
  });
  it("is empty when there is nothing to say, for explicit references and auto tags alike", () => {
    expect(createResolver(c).resolve("p/priced-1").warnings).toEqual([]);
    expect(createResolver(c).resolve("auto").warnings).toEqual([]);
  });
});
