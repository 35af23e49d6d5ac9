import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protectedPaths, toolchainDirs, toolchainSecrets, within } from "./sandbox-mounts.js";

describe("sandbox mounts", () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), "orchestra-mounts-"));
    for (const d of [
      ".nvm/versions/node/v20/bin",
      ".nvm/versions/node/v20/lib",
      ".local/bin",
      ".local/share/opencode/orchestra",
      ".cargo/bin",
      "go/bin",
      "bin",
    ])
      mkdirSync(join(home, d), { recursive: true });
    writeFileSync(join(home, ".cargo/credentials.toml"), "token");
    symlinkSync(join(home, ".nvm/versions/node/v20/bin"), join(home, "current-node"));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("protects the orchestrator's and OpenCode's state, config and credential stores", () => {
    const p = protectedPaths("/home/u", { XDG_DATA_HOME: "/data" });
    expect(p).toContain("/data/opencode");
    expect(p).toContain("/home/u/.local/share/opencode");
    expect(p).toContain("/home/u/.config/opencode");
    expect(p).toContain("/home/u/.ssh");
    expect(protectedPaths("/home/u", { XDG_DATA_HOME: "relative" })).not.toContain("relative/opencode");
  });

  it("mounts a toolchain above its bin, but never the home dir or a dir holding protected state", () => {
    const protect = protectedPaths(home, {});
    const path = [
      "/usr/bin",
      join(home, ".nvm/versions/node/v20/bin"),
      join(home, ".local/bin"),
      join(home, "go/bin"),
      join(home, "bin"),
      join(home, "current-node"),
      join(home, "missing/bin"),
      "relative/bin",
      home,
    ].join(":");
    const dirs = toolchainDirs(path, home, protect);
    expect(dirs).toContain(join(home, ".nvm/versions/node/v20"));
    expect(dirs).toContain(join(home, ".local/bin"));
    expect(dirs).toContain(join(home, "go"));
    expect(dirs).toContain(join(home, "bin"));
    expect(dirs).not.toContain(home);
    expect(dirs).not.toContain(join(home, ".local"));
    expect(dirs.some((d) => d.startsWith("/usr"))).toBe(false);
    for (const d of dirs) for (const p of protect) expect(within(p, d)).toBe(false);
  });

  it("finds credential files at the top of toolchains under the home dir", () => {
    expect(toolchainSecrets([join(home, ".cargo"), "/usr/lib"], home)).toEqual([
      join(home, ".cargo/credentials.toml"),
    ]);
  });
});
