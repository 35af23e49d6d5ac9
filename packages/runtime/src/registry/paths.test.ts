import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultManifestFile, defaultRegistryFile } from "./paths.js";

describe("default file locations", () => {
  it("puts the registry in the XDG data directory", () => {
    expect(defaultRegistryFile({ XDG_DATA_HOME: "/data" })).toBe("/data/opencode/orchestra/registry.json");
    expect(defaultRegistryFile({})).toBe(join(homedir(), ".local/share/opencode/orchestra/registry.json"));
  });

  it("puts the recovery manifest in the XDG config directory", () => {
    expect(defaultManifestFile({ XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/opencode/orchestrator-recovery.json");
    expect(defaultManifestFile({})).toBe(join(homedir(), ".config/opencode/orchestrator-recovery.json"));
  });

  it("ignores empty or relative XDG variables, as the XDG spec requires", () => {
    expect(defaultRegistryFile({ XDG_DATA_HOME: "" })).toBe(defaultRegistryFile({}));
    expect(defaultRegistryFile({ XDG_DATA_HOME: "rel/dir" })).toBe(defaultRegistryFile({}));
    expect(defaultManifestFile({ XDG_CONFIG_HOME: "./cfg" })).toBe(defaultManifestFile({}));
  });
});
