import { describe, expect, it } from "vitest";
import { profilesFromConfig } from "./config-profiles.js";
import { createProfileRegistry } from "./registry.js";
import { validated } from "./test-registry.js";

describe("profilesFromConfig: the config's validated entries, with their origins", () => {
  it("separates enabled ids and definitions, and names one file when there are no origins", () => {
    const r = profilesFromConfig(validated(["coder", { id: "mine", model: "auto:fast" }]), {
      file: "o.json",
    });
    expect(r.enabled).toEqual([{ id: "coder", file: "o.json", path: "profiles[0]" }]);
    expect(r.profiles).toEqual([
      {
        id: "mine",
        source: { kind: "config", index: 1, file: "o.json" },
        definition: { id: "mine", model: "auto:fast" },
        issues: [],
      },
    ]);
    expect(r.issues).toEqual([]);
  });

  it("keeps each entry's own file and index when merged layers renumbered them", () => {
    // Merged: [global profiles[0], project profiles[0], project profiles[1]].
    const origins = [
      { file: "/home/u/.config/opencode/orchestrator.json", index: 0 },
      { file: "/p/orchestrator.json", index: 0 },
      { file: "/p/orchestrator.json", index: 1 },
    ];
    const r = profilesFromConfig(
      validated([{ id: "base" }, "codr", { id: "mine", extends: ["base", "nope"] }]),
      { origins },
    );
    expect(r.enabled).toEqual([{ id: "codr", file: "/p/orchestrator.json", path: "profiles[0]" }]);
    const registry = createProfileRegistry({ builtins: [], sources: [r] });
    const err = registry.tryResolveProfile("mine");
    expect(err.ok).toBe(false);
    if (!err.ok) {
      expect(err.error.issues[0]).toMatchObject({
        code: "PROFILE_UNKNOWN_PARENT",
        file: "/p/orchestrator.json",
        path: "profiles[1].extends[1]",
      });
    }
    expect(registry.issues[0]).toMatchObject({
      code: "PROFILE_NOT_FOUND",
      file: "/p/orchestrator.json",
      path: "profiles[0]",
    });
  });

  it("workers: an object defines a profile named by its workers[i] path; a string enables nothing", () => {
    const r = profilesFromConfig(validated(["coder", { id: "scout", extends: "nope" }]), {
      file: "o.json",
      key: "workers",
    });
    expect(r.enabled).toEqual([]);
    expect(r.profiles[0]?.source).toEqual({ kind: "config", index: 1, file: "o.json", key: "workers" });
    const registry = createProfileRegistry({ builtins: [], sources: [r] });
    const err = registry.tryResolveProfile("scout");
    expect(err.ok).toBe(false);
    if (!err.ok) expect(err.error.issues[0]).toMatchObject({ file: "o.json", path: "workers[1].extends" });
  });
});
