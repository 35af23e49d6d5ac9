import {
  echoScript,
  type OpencodeInstance,
  type ScriptedModel,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "../test-support/plugin-server.js";

// One real OpenCode with the plugin and `agent.enabled: false`, `commands.enabled: false`.

let model: ScriptedModel;
let opencode: OpencodeInstance;
let server: PluginServer;

beforeAll(async () => {
  model = await startScriptedModel({ script: echoScript });
  server = await startPluginServer({
    name: "agent-off",
    model,
    orchestrator: { agent: { enabled: false }, commands: { enabled: false } },
  });
  opencode = server.opencode;
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
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
