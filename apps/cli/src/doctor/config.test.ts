import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { checkConfig } from "./config.js";
import { readConfig, readProfiles } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

async function run(files: Record<string, string>) {
  const setup = tempSetup("config");
  roots.push(setup.root);
  for (const [path, text] of Object.entries(files)) setup.write(path, text);
  const config = await readConfig(setup);
  return { setup, result: checkConfig(setup, config, await readProfiles(setup, config)) };
}

describe("checkConfig", () => {
  it("passes with no config file, naming where it looked", async () => {
    const { setup, result } = await run({});
    expect(result).toMatchObject({ id: "config", status: "pass" });
    expect(result.message).toContain(`${setup.home}/.config/opencode/orchestrator.json`);
    expect(result.hint).toBeUndefined();
  });

  it("passes for valid JSONC global and project files, naming both", async () => {
    const { setup, result } = await run({
      "home/.config/opencode/orchestrator.json": '{ "ui": { "toasts": false } }',
      "project/.opencode/orchestrator.json":
        '{\n  // mine\n  "profiles": [{ "id": "mine", "extends": "coder" },],\n}',
    });
    expect(result.status).toBe("pass");
    expect(result.message).toBe(
      `valid: ${setup.home}/.config/opencode/orchestrator.json (global), ${setup.projectDir}/.opencode/orchestrator.json (project)`,
    );
  });

  it("fails with every error of every file and its JSON path", async () => {
    const { setup, result } = await run({
      "home/.config/opencode/orchestrator.json": '{ "ui": { "toasts": "yes" } }',
      "project/.opencode/orchestrator.json": '{ "healthCheck": { "intervalMs": "often" } }',
    });
    expect(result.status).toBe("fail");
    const lines = result.message.split("\n");
    expect(lines[0]).toMatch(/errors; nothing of the config is applied until they are fixed:$/);
    expect(lines).toContain(
      `${setup.home}/.config/opencode/orchestrator.json: ui.toasts: wrong type (got string "yes", expected boolean)`,
    );
    expect(lines).toContain(
      `${setup.projectDir}/.opencode/orchestrator.json: healthCheck.intervalMs: wrong type (got string "often", expected number)`,
    );
    expect(result.hint).toContain("orchestra config validate");
  });

  it("fails for cross-reference errors the schema cannot see (extends of an unknown profile)", async () => {
    const { setup, result } = await run({
      "project/orchestrator.json": '{ "profiles": [{ "id": "mine", "extends": "nope" }] }',
    });
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(/^1 error across the config files:\n/);
    expect(result.message).toContain(`${setup.projectDir}/orchestrator.json: profiles[0].extends`);
  });
});
