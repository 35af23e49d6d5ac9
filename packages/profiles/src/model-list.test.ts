import { describe, expect, it } from "vitest";
import { withModelList } from "./model-list.js";
import { fromConfig } from "./test-registry.js";
import { validateProfileDefinition } from "./validate.js";

describe("a profile's model as an ordered list", () => {
  it("is model + fallbackModels: the first is the model, the rest fall back first, no repeats", () => {
    expect(
      withModelList({ id: "x", model: ["a/one", "b/two"], fallbackModels: ["auto", "b/two"] }),
    ).toMatchObject({ model: "a/one", fallbackModels: ["b/two", "auto"] });
    expect(withModelList({ id: "x", model: "a/one" })).toEqual({ id: "x", model: "a/one" });
  });

  it("validates, and resolves to the same effective profile as model + fallbackModels", () => {
    expect(validateProfileDefinition({ id: "x", model: ["a/one", "b/two"] }).ok).toBe(true);
    expect(validateProfileDefinition({ id: "x", model: [] }).ok).toBe(false);
    const reg = fromConfig([
      { id: "listed", model: ["scripted/a", "scripted/b"] },
      { id: "spelled", model: "scripted/a", fallbackModels: ["scripted/b"] },
      { id: "child", extends: "listed", model: ["scripted/c", "scripted/a"] },
      { id: "heir", extends: "listed", model: "scripted/c" },
    ]);
    const listed = reg.resolveProfile("listed").profile;
    expect(listed.model).toBe("scripted/a");
    expect(listed.fallbackModels).toEqual(["scripted/b"]);
    expect(reg.resolveProfile("spelled").profile.fallbackModels).toEqual(listed.fallbackModels);
    // A child's list replaces the parent's; a child's single model keeps the parent's fallbacks.
    expect(reg.resolveProfile("child").profile).toMatchObject({
      model: "scripted/c",
      fallbackModels: ["scripted/a"],
    });
    expect(reg.resolveProfile("heir").profile).toMatchObject({
      model: "scripted/c",
      fallbackModels: ["scripted/b"],
    });
  });
});
