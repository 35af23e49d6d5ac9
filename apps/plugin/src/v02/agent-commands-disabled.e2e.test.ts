import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One real OpenCode with the plugin and `agent.enabled: false`, `commands.enabled: false`.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-agent-off-e2e-"));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({ agent: { enabled: false }, commands: { enabled: false } }),
  );
  model = await startScriptedModel({ script: echoScript });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("agent and commands switched off", () => {
  it("GET /agent does not list the orchestrator agent (but the plugin is loaded)", async () => {
    const names = ((await opencode.client.app.agents()).data ?? []).map((a) => a.name);
    expect(names).toContain("build");
    expect(names).not.toContain("orchestrator");
    expect((await opencode.client.tool.ids()).data).toContain("orchestrator_status");
  });

  it("GET /command lists no orchestrator command", async () => {
    const names = ((await opencode.client.command.list()).data ?? []).map((c) => c.name);
    expect(names.filter((n) => n.startsWith("orchestrator."))).toEqual([]);
  });
});
