import { describe, expect, it } from "vitest";
import { validateConfig } from "../load.js";
import { looksLikeV02 } from "./detect.js";
import { migrateV02 } from "./migrate.js";

describe("migrateV02", () => {
  it("moves renamed keys, and brings a value outside v0.3's bounds to the nearest one with a note", () => {
    const r = migrateV02({ startupTimeout: 45_000, healthCheckInterval: 5_000 });
    expect(r.output).toEqual({ spawn: { startupTimeoutMs: 45_000 }, healthCheck: { intervalMs: 10_000 } });
    expect(r.changes).toEqual([
      {
        path: "startupTimeout",
        action: "moved",
        to: "spawn.startupTimeoutMs",
        note: "same setting, v0.3 name",
      },
      {
        path: "healthCheckInterval",
        action: "moved",
        to: "healthCheck.intervalMs",
        note: "same setting, v0.3 name; 5000 is below v0.3's minimum, so it became 10000",
      },
    ]);
    expect(r.ok).toBe(true);
  });

  it("lets a v0.3 key that is already set win over its v0.2 name, and says so", () => {
    const r = migrateV02({ startupTimeout: 45_000, spawn: { startupTimeoutMs: 60_000 } });
    expect(r.output).toEqual({ spawn: { startupTimeoutMs: 60_000 } });
    expect(r.changes[0]).toMatchObject({ path: "startupTimeout", action: "removed" });
    expect(r.changes[0]?.note).toContain("`spawn.startupTimeoutMs` is already set to 60000");
  });

  it("merges providerID into model, drops it when model names it, and cannot place it beside a tag", () => {
    const r = migrateV02({
      profiles: [
        { id: "a", model: "claude-sonnet-4-5", providerID: "anthropic" },
        { id: "b", model: "anthropic/claude-sonnet-4-5", providerID: "anthropic" },
        { id: "c", model: "node:fast", providerID: "openai" },
      ],
    });
    const profiles = r.output.profiles as Record<string, unknown>[];
    expect(profiles.map((p) => p.model)).toEqual([
      "anthropic/claude-sonnet-4-5",
      "anthropic/claude-sonnet-4-5",
      "auto:fast",
    ]);
    expect(profiles.some((p) => "providerID" in p)).toBe(false);
    expect(r.ok).toBe(false);
    expect(r.output["//migrate"]).toEqual([
      {
        path: "profiles[2].providerID",
        value: "openai",
        reason: expect.stringContaining("modelSelection.preferredProviders"),
      },
    ]);
    expect(r.changes.at(-1)).toMatchObject({
      path: "profiles[2].providerID",
      action: "kept",
      to: "//migrate",
    });
  });

  it("never drops an unknown key or a bad value silently: it keeps them under //migrate, and the rest validates", () => {
    const r = migrateV02({
      autoSpawn: true,
      colour: "blue",
      agent: { color: "purple", name: "orchestrator" },
    });
    expect(r.ok).toBe(false);
    expect(r.output["//migrate"]).toEqual([
      { path: "colour", value: "blue", reason: expect.stringContaining("unknown key") },
      { path: "agent.color", value: "purple", reason: expect.stringContaining("#rrggbb") },
    ]);
    const { "//migrate": _kept, ...rest } = r.output;
    expect(validateConfig(rest).ok).toBe(true);
    expect(r.changes.filter((c) => c.to === "//migrate").map((c) => c.path)).toEqual([
      "colour",
      "agent.color",
    ]);
  });

  it("resolves duplicate ids as v0.2 did: the last definition wins, a definition wins over an id", () => {
    const r = migrateV02({
      profiles: [
        { id: "a", model: "openai/gpt-4o", permissions: {} },
        { id: "a", model: "openai/gpt-4.1", permissions: {} },
      ],
      workers: ["docs", { id: "docs", model: "openai/gpt-4o" }],
    });
    expect(r.output.profiles).toEqual([{ id: "a", model: "openai/gpt-4.1", permissions: {} }]);
    expect(r.output.workers).toEqual([{ id: "docs", model: "openai/gpt-4o" }]);
    expect(r.changes.filter((c) => c.action === "removed")).toEqual([
      {
        path: "profiles[0]",
        action: "removed",
        note: 'profiles[1] defines "a" again: v0.2 used the last definition, v0.3 rejects a duplicate id',
      },
      {
        path: "workers[0]",
        action: "removed",
        note: 'workers[1] defines "docs": v0.2 used that definition, v0.3 rejects a duplicate id',
      },
    ]);
    expect(r.ok).toBe(true);
  });

  it("removes a duplicate workers string and notes an id it does not know", () => {
    const r = migrateV02({ workers: ["docs", "docs", "ghost"] });
    expect(r.output.workers).toEqual(["docs", "ghost"]);
    expect(r.changes.map((c) => [c.path, c.action])).toEqual([
      ["workers[1]", "removed"],
      ["workers[2]", "kept"],
      ["workers", "kept"],
    ]);
    expect(r.changes[1]?.note).toContain('"ghost" is neither a built-in nor defined in this file');
  });

  it("names the global entries that v0.3's merge by id now adds", () => {
    const r = migrateV02({ workers: ["docs"] }, { global: { workers: ["vision", "docs", { id: "mine" }] } });
    expect(r.changes).toEqual([
      {
        path: "workers",
        action: "kept",
        note: expect.stringContaining(`the global file's "vision", "mine" now also start here`),
      },
    ]);
  });

  it("gives a custom v0.2 profile every tool, but leaves one in a v0.3 file alone with a note", () => {
    const v02 = migrateV02({ profiles: [{ id: "expert", model: "openai/gpt-4o" }] });
    expect((v02.output.profiles as Record<string, unknown>[])[0]?.permissions).toEqual({
      categories: { filesystem: "full", execution: "full", network: "full" },
    });
    const v03 = migrateV02({ spawn: { startupTimeoutMs: 5000 }, profiles: [{ id: "expert" }] });
    expect(v03.output.profiles).toEqual([{ id: "expert" }]);
    expect(v03.changes[0]).toMatchObject({ path: "profiles[0]", action: "kept" });
  });

  it("changes nothing on its own output", () => {
    const once = migrateV02({
      basePort: 1,
      startupTimeout: 2000,
      agent: { model: "node:reasoning", applyToBuild: true },
      profiles: [{ id: "r", model: "node", tools: { bash: false }, port: 3 }],
    });
    expect(looksLikeV02(once.output)).toBe(false);
    expect(validateConfig(once.output).ok).toBe(true);
    const twice = migrateV02(once.output);
    expect(twice.output).toEqual(once.output);
    expect(twice.changes.every((c) => c.action === "kept")).toBe(true);
  });

  it("keeps an earlier //migrate list and adds to it", () => {
    const r = migrateV02({ "//migrate": [{ path: "x", value: 1, reason: "r" }], y: 2 });
    expect(r.output["//migrate"]).toEqual([
      { path: "x", value: 1, reason: "r" },
      { path: "y", value: 2, reason: expect.stringContaining("unknown key") },
    ]);
    expect(r.changes.filter((c) => c.to === "//migrate").map((c) => c.path)).toEqual(["y"]);
  });

  it("refuses a document that is not an object", () => {
    expect(() => migrateV02([1])).toThrow(/not a JSON object/);
  });
});
