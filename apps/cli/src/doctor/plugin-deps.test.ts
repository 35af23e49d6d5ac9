import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { seedPluginInstall } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { checkPluginDeps, configDirState } from "./plugin-deps.js";
import { tempSetup } from "./test-setup.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function setup() {
  const s = tempSetup("plugin-deps");
  roots.push(s.root);
  return { ...s, global: join(s.env.XDG_CONFIG_HOME as string, "opencode") };
}

describe("configDirState: OpenCode 1.18's install check", () => {
  it("installs where there is no node_modules", () => {
    expect(configDirState(setup().global)).toMatchObject({
      satisfied: false,
      reason: "no node_modules/ (never installed, or the install failed)",
    });
  });

  it("is satisfied by the testkit's pre-seed, as OpenCode is", () => {
    const s = setup();
    expect(seedPluginInstall(s.global, "1.18.33")).toBe("seeded");
    expect(configDirState(s.global)).toEqual({ dir: s.global, satisfied: true });
  });

  it("installs when a dependency of the dir's package.json is not locked", () => {
    const s = setup();
    seedPluginInstall(s.global, "1.18.33");
    s.write(
      join("home", ".config", "opencode", "package.json"),
      JSON.stringify({ dependencies: { "@opencode-ai/plugin": "1.18.33", "left-pad": "1.3.0" } }),
    );
    expect(configDirState(s.global)).toMatchObject({
      satisfied: false,
      reason: "not in package-lock.json: left-pad",
    });
  });
});

describe("checkPluginDeps", () => {
  it("warns for each config dir OpenCode would install into, with the cost and the command that fixes it", () => {
    const s = setup();
    mkdirSync(join(s.projectDir, ".opencode"));
    seedPluginInstall(join(s.projectDir, ".opencode"), "1.18.33");
    const result = checkPluginDeps(s, "1.18.33");
    expect(result.status).toBe("warn");
    expect(result.message.split("\n")).toEqual([
      "1 config dir without OpenCode's plugin dependencies: OpenCode's next start with a plugin waits for an npm install, about 14 s online and about 72 s offline, again on every start while it fails (workers pre-seed these dirs; your own opencode does not):",
      `${s.global}: OpenCode will install @opencode-ai/plugin at its next start: no node_modules/ (never installed, or the install failed)`,
      `${join(s.projectDir, ".opencode")}: installed (pre-seeded)`,
    ]);
    expect(result.hint).toBe(
      `install it once while online: mkdir -p ${s.global} && npm install --prefix ${s.global} @opencode-ai/plugin@1.18.33`,
    );
  });

  it("passes when every config dir is installed, naming the installed version", () => {
    const s = setup();
    seedPluginInstall(s.global, "1.18.33");
    s.write(
      join("home", ".config", "opencode", "node_modules", "@opencode-ai", "plugin", "package.json"),
      '{ "version": "1.18.33" }',
    );
    expect(checkPluginDeps(s, "1.18.33")).toStrictEqual({
      id: "plugin-deps",
      status: "pass",
      message: `${s.global}: installed (@opencode-ai/plugin 1.18.33)`,
    });
  });
});
