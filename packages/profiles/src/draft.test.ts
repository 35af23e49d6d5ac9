import { describe, expect, it } from "vitest";
import { resolve } from "./test-registry.js";

describe("root profiles", () => {
  it("fills defaults: unset levels are none, paths unconstrained, provenance says default", () => {
    const { profile, provenance } = resolve([{ id: "bare" }], "bare");
    expect(profile.permissions.categories).toEqual({
      filesystem: "none",
      execution: "none",
      network: "none",
    });
    expect(profile.permissions.paths).toEqual({ allowed: [], denied: [] });
    expect(profile).toMatchObject({ name: "bare", kind: "process", model: "auto", systemPrompt: "" });
    expect(provenance.fields["permissions.categories.execution"]).toEqual({
      from: ["bare"],
      rule: "default",
    });
  });

  it("canonicalises tool ids: Shell is bash, PATCH is apply_patch", () => {
    const { profile } = resolve(
      [{ id: "t", permissions: { tools: { Shell: { enabled: true }, PATCH: { enabled: false } } } }],
      "t",
    );
    expect(Object.keys(profile.permissions.tools)).toEqual(["apply_patch", "bash"]);
  });

  it("folds a v0.2 `tools: { x: false }` switch into permissions, but never a `true`", () => {
    const { profile } = resolve([{ id: "t", tools: { webfetch: false, mcp_x: true } }], "t");
    expect(profile.permissions.tools.webfetch?.enabled).toBe(false);
    expect(profile.permissions.tools.mcp_x).toBeUndefined();
  });
});
