import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePackageDir } from "@orchestra/process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { opencodeConfigDirs, seedOpencodeConfigDirs } from "./plugin-deps.js";

let root = "";
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-plugin-deps-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("opencodeConfigDirs", () => {
  it("is the global config dir, $OPENCODE_CONFIG_DIR and every existing .opencode from the project up", () => {
    const project = join(root, "repo", "packages", "app");
    mkdirSync(join(root, "repo", ".opencode"), { recursive: true });
    mkdirSync(join(project, ".opencode"), { recursive: true });
    const env = { HOME: join(root, "home"), OPENCODE_CONFIG_DIR: join(root, "extra") };
    const dirs = opencodeConfigDirs(env, project);
    expect(dirs.slice(0, 4)).toEqual([
      join(root, "home", ".config", "opencode"),
      join(root, "extra"),
      join(project, ".opencode"),
      join(root, "repo", ".opencode"),
    ]);
    expect(dirs).not.toContain(join(root, "repo", "packages", ".opencode"));
    expect(opencodeConfigDirs({ HOME: "/h", XDG_CONFIG_HOME: "/x" }, "/")[0]).toBe("/x/opencode");
  });
});

describe("seedOpencodeConfigDirs", () => {
  const binary = () => {
    // A binary inside an opencode-ai package names the version OpenCode installs.
    const pkg = join(root, "opencode-ai");
    mkdirSync(join(pkg, "bin"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "opencode-ai", version: "9.8.7" }));
    writeFileSync(join(pkg, "bin", "opencode"), "");
    return join(pkg, "bin", "opencode");
  };

  it("links the @opencode-ai/plugin found beside the worker's plugin and locks it at the binary's version", () => {
    const installed = resolvePackageDir(
      "@opencode-ai/plugin",
      join(import.meta.dirname, "..", "..", "..", "testkit"),
    );
    expect(installed).toBeDefined();
    const pluginDir = join(root, "plugin");
    mkdirSync(join(pluginDir, "node_modules", "@opencode-ai"), { recursive: true });
    symlinkSync(installed ?? "", join(pluginDir, "node_modules", "@opencode-ai", "plugin"), "dir");
    const project = join(root, "project");
    mkdirSync(join(project, ".opencode"), { recursive: true });
    const env = { HOME: join(root, "home") };
    const seeds = seedOpencodeConfigDirs({
      env,
      directory: project,
      binary: binary(),
      plugins: [`file://${join(pluginDir, "index.js")}`],
    });
    const global = join(root, "home", ".config", "opencode");
    expect(seeds.slice(0, 2)).toEqual([
      { dir: global, result: "seeded" },
      { dir: join(project, ".opencode"), result: "seeded" },
    ]);
    for (const dir of [global, join(project, ".opencode")]) {
      const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
      expect(lock.packages[""].dependencies).toEqual({ "@opencode-ai/plugin": "9.8.7" });
      expect(existsSync(join(dir, "node_modules", "@opencode-ai", "plugin", "package.json"))).toBe(true);
    }
    // Idempotent: a second worker changes nothing.
    const again = seedOpencodeConfigDirs({ env, directory: project, binary: binary(), plugins: [pluginDir] });
    expect(again.slice(0, 2).map((s) => s.result)).toEqual(["already-satisfied", "already-satisfied"]);
  });
});
