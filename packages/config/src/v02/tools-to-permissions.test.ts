import { describe, expect, it } from "vitest";
import { convertToolsMap } from "./tools-to-permissions.js";

describe("convertToolsMap", () => {
  it("gives a custom profile every category full with each switch off: the same effect as v0.2", () => {
    const r = convertToolsMap({ webfetch: false, Shell: false }, { id: "reviewer" });
    expect(r.permissions).toEqual({
      categories: { filesystem: "full", execution: "none", network: "full" },
      tools: { bash: { enabled: false }, webfetch: { enabled: false } },
    });
    expect(r.effect).toBe("same");
    expect(r.note).toMatch(/^same effect: every tool on except `bash`, `webfetch`, as in v0\.2/);
  });

  it("turns write and edit off into filesystem read, the closest safe effect, and says so", () => {
    const r = convertToolsMap({ write: false, edit: false, patch: true }, { id: "reader" });
    expect(r.permissions.categories).toEqual({ filesystem: "read", execution: "full", network: "full" });
    expect(r.effect).toBe("closest-safe");
    expect(r.note).toContain("closest safe effect");
    expect(r.note).toContain("`write` and `edit` off became `filesystem: read`");
    expect(r.note).toContain("`apply_patch: true` stays off under `filesystem: read`");
  });

  it("enables a tool no category covers when the map switched it on", () => {
    const r = convertToolsMap({ task: true, mymcp_search: true, read: true }, { id: "planner" });
    expect(r.permissions.tools).toEqual({ mymcp_search: { enabled: true }, task: { enabled: true } });
  });

  it("keeps the safe reading when a tool is named twice with both values", () => {
    const r = convertToolsMap({ bash: true, shell: false }, { id: "x" });
    expect(r.permissions.categories).toMatchObject({ execution: "none" });
  });

  it("expands a wildcard switched off, and cannot place one switched on", () => {
    const r = convertToolsMap({ "web*": false, "mcp_*": true }, { id: "x" });
    expect(r.permissions.tools).toEqual({ webfetch: { enabled: false }, websearch: { enabled: false } });
    expect(r.effect).toBe("closest-safe");
    expect(r.note).toContain("the tools `mcp_*` switched on stay off until named under `permissions.tools`");
    expect(r.unplaced).toEqual([
      expect.objectContaining({ key: "mcp_*", value: true, reason: expect.stringContaining("wildcard") }),
    ]);
  });

  it("puts the switches on top of a built-in override's inherited permissions, naming the built-in's levels", () => {
    const r = convertToolsMap({ write: false, edit: false }, { id: "docs" });
    expect(r.permissions).toEqual({ tools: { edit: { enabled: false }, write: { enabled: false } } });
    expect(r.effect).toBe("closest-safe");
    expect(r.note).toContain("the v0.3 built-in `docs` (filesystem read, execution none, network full)");
  });

  it("merges into a profile's own permissions without overriding its entries", () => {
    const r = convertToolsMap(
      { bash: false, webfetch: false },
      { id: "x", permissions: { categories: { filesystem: "read" }, tools: { bash: { enabled: true } } } },
    );
    expect(r.permissions).toEqual({
      categories: { filesystem: "read" },
      tools: { bash: { enabled: true }, webfetch: { enabled: false } },
    });
  });
});
