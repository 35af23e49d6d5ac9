import { join } from "node:path";
import { echoScript, rules, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "../test-support/plugin-server.js";
import { callRule } from "../test-support/scripted-calls.js";
import { PRUNED_MARKER_PREFIX } from "./pruning.js";

// One real OpenCode with the plugin and no `pruning` section: pruning is off by default, so the
// model receives every tool output and input whole (the same calls `pruning.e2e.test.ts` sees cut).
/** 300 numbered lines of 60 characters: far over the default maxToolOutputChars (12,000). */
const BIG = Array.from(
  { length: 300 },
  (_, i) => `line ${String(i + 1).padStart(4, "0")} ${".".repeat(49)}`,
).join("\n");

let model: ScriptedModel;
let server: PluginServer;
let project = "";

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return server.callTool(tool, args);
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "pruning-off",
    model,
    orchestrator: {},
    files: { "big.txt": BIG },
  });
  project = server.project;
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("pruning off (the default) in a real OpenCode", () => {
  it("a long read output reaches the model whole", async () => {
    const sent = await callTool("read", { filePath: join(project, "big.txt") });
    expect(sent).toContain("line 0150");
    expect(sent).not.toContain(PRUNED_MARKER_PREFIX);
    expect(sent.length).toBeGreaterThan(BIG.length);
  });

  it("a long tool input reaches the model whole in the requests that follow", async () => {
    const content = `${"w".repeat(6_000)}END`;
    await callTool("write", { filePath: join(project, "written.txt"), content });
    const calls = (model.requests.at(-1)?.messages ?? []).flatMap((m) => m.tool_calls ?? []);
    const write = calls.find((c) => c.function.name === "write");
    expect(JSON.parse(write?.function.arguments ?? "{}")).toMatchObject({ content });
  });
});
