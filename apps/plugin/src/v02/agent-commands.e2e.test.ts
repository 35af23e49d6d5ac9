import {
  echoScript,
  type OpencodeInstance,
  reply,
  rules,
  type ScriptedModel,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "../test-support/plugin-server.js";
import { ORCHESTRATOR_PROMPT } from "./agent.js";

// One real OpenCode with the plugin and a project config naming the agent and the commands' prefix.
// The scripted model follows a command's template ("Call the <tool> tool now …") by calling that tool.
const TEMPLATE = /^Call the (\w+) tool now(?: with arguments (\{.*?\}))?/s;

let model: ScriptedModel;
let opencode: OpencodeInstance;
let server: PluginServer;

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        {
          userText: TEMPLATE,
          reply: (req) => {
            const [, name = "", json] = TEMPLATE.exec(req.lastUserText) ?? [];
            return reply.toolCall(name, json ? (JSON.parse(json) as Record<string, unknown>) : {});
          },
        },
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: /.*/, reply: (req) => `answer to: ${req.lastUserText}` },
      ],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "agent",
    model,
    orchestrator: {
      modelAliases: { fast: "scripted/fake-fast" },
      agent: { name: "conductor", mode: "primary", color: "#7c3aed", model: "fast" },
      commands: { prefix: "orc." },
    },
  });
  opencode = server.opencode;
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("the orchestrator agent and the slash commands in a real OpenCode", () => {
  it("GET /agent lists the agent with the configured mode, colour and model", async () => {
    const agents = (await opencode.client.app.agents()).data ?? [];
    const conductor = agents.find((a) => a.name === "conductor");
    expect(conductor).toMatchObject({ mode: "primary", color: "#7c3aed" });
    expect(conductor?.model).toMatchObject({ providerID: "scripted", modelID: "fake-fast" });
  });

  it("a prompt to the agent reaches the model with the orchestrator prompt in its system message", async () => {
    const session = await opencode.client.session.create({ title: "agent e2e" });
    const before = model.requests.length;
    const result = await opencode.client.session.prompt({
      sessionID: session.data?.id ?? "",
      agent: "conductor",
      parts: [{ type: "text", text: "who are you?" }],
    });
    expect(result.error).toBeUndefined();
    const request = model.requests.slice(before).find((r) => r.lastUserText === "who are you?");
    expect(request?.model).toBe("fake-fast");
    const system = (request?.messages ?? [])
      .filter((m) => m.role === "system")
      .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
      .join("\n");
    expect(system).toContain(ORCHESTRATOR_PROMPT.slice(0, 80));
    expect(system).toContain("spawn_worker");
  });

  it("GET /command lists every command with the prefix, one spawn.<profile> per profile", async () => {
    const names = ((await opencode.client.command.list()).data ?? []).map((c) => c.name);
    for (const name of ["status", "workers", "profiles", "models", "workflows", "output"])
      expect(names).toContain(`orc.${name}`);
    for (const profile of ["coder", "docs", "vision"]) expect(names).toContain(`orc.spawn.${profile}`);
  });

  it("running a command gives the model its template, and the tool it names runs", async () => {
    const session = await opencode.client.session.create({ title: "command e2e" });
    const before = model.requests.length;
    const result = await opencode.client.session.command({
      sessionID: session.data?.id ?? "",
      command: "orc.workers",
      arguments: "",
      model: "scripted/fake-fast",
    });
    expect(result.error).toBeUndefined();
    const requests = model.requests.slice(before);
    expect(requests.some((r) => r.lastUserText.startsWith("Call the list_workers tool now"))).toBe(true);
    const followUp = requests.find((r) => r.lastToolResult?.name === "list_workers");
    expect(followUp?.lastToolResult?.content).toContain("No workers are running");
  });
});
