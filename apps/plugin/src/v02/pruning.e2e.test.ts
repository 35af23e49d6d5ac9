import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  echoScript,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "../test-support/plugin-server.js";
import { callRule } from "../test-support/scripted-calls.js";
import { PRUNED_MARKER_PREFIX } from "./pruning.js";

// One real OpenCode with the plugin and `pruning` on (small limits, `bash` protected). What the model
// receives is read from the scripted model's recorded request bodies; what the session stores from
// OpenCode's own API.
const MAX_OUTPUT = 1_000;
const MAX_INPUT = 500;
/** 300 numbered lines of 60 characters: about 18,000 characters read back (under OpenCode's own limits). */
const BIG = Array.from(
  { length: 300 },
  (_, i) => `line ${String(i + 1).padStart(4, "0")} ${".".repeat(49)}`,
).join("\n");
const OUTPUT_MARKER = `characters of this tool output (pruning.maxToolOutputChars is 1,000); the full output is stored in the session.]`;

let model: ScriptedModel;
let opencode: OpencodeInstance;
let server: PluginServer;
let project = "";
let bigFile = "";
let sessionID = "";

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return server.callTool(tool, args);
}

/** The arguments of the last `tool` call in the assistant messages of a recorded request. */
function sentArguments(
  request: ScriptedModel["requests"][number] | undefined,
  tool: string,
): Record<string, unknown> {
  const calls = (request?.messages ?? []).flatMap((m) =>
    m.role === "assistant" ? (m.tool_calls ?? []) : [],
  );
  const call = calls.filter((c) => c.function.name === tool).at(-1);
  return call ? (JSON.parse(call.function.arguments) as Record<string, unknown>) : {};
}

/** A worker's request carrying the result of its `read` call, among the requests since `from`. */
function workerReadResult(from: number): string | undefined {
  return model.requests.slice(from).find((r) => r.lastToolResult?.name === "read")?.lastToolResult?.content;
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: /.*/, reply: (req) => `answer to: ${req.lastUserText}` },
      ],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "pruning",
    model,
    orchestrator: {
      pruning: {
        enabled: true,
        maxToolOutputChars: MAX_OUTPUT,
        maxToolInputChars: MAX_INPUT,
        protectedTools: ["bash"],
      },
    },
    files: { "big.txt": BIG },
  });
  ({ opencode, project, sessionID } = server);
  bigFile = join(project, "big.txt");
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("pruning in a real OpenCode", () => {
  it("a long read output reaches the model cut to its head and tail, with the marker", async () => {
    const sent = await callTool("read", { filePath: bigFile });
    expect(sent).toContain(PRUNED_MARKER_PREFIX);
    expect(sent).toContain(OUTPUT_MARKER);
    expect(sent).toContain("line 0001");
    expect(sent).toContain("line 0300");
    expect(sent).not.toContain("line 0150");
    const cut = Number(/pruned ([\d,]+) of ([\d,]+) characters/.exec(sent)?.[1]?.replaceAll(",", ""));
    const total = Number(/pruned ([\d,]+) of ([\d,]+) characters/.exec(sent)?.[2]?.replaceAll(",", ""));
    expect(total).toBeGreaterThan(BIG.length);
    expect(total - cut).toBe(MAX_OUTPUT);
  });

  it("the stored session keeps the whole output", async () => {
    const messages = (await opencode.client.session.messages({ sessionID })).data ?? [];
    const outputs = messages.flatMap((m) =>
      m.parts.flatMap((p) =>
        p.type === "tool" && p.tool === "read" && p.state.status === "completed" ? [p.state.output] : [],
      ),
    );
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toContain("line 0150");
    expect(outputs[0]).not.toContain(PRUNED_MARKER_PREFIX);
  });

  it("a protected tool's output (bash) reaches the model whole", async () => {
    const sent = await callTool("bash", { command: "cat big.txt", description: "print the big file" });
    expect(sent).toContain("line 0150");
    expect(sent).not.toContain(PRUNED_MARKER_PREFIX);
    expect(sent.length).toBeGreaterThanOrEqual(BIG.length);
  });

  it("a long tool input runs whole, and is cut in the requests that follow", async () => {
    const content = `${"w".repeat(3_000)}END`;
    const target = join(project, "written.txt");
    await callTool("write", { filePath: target, content });
    expect(readFileSync(target, "utf8")).toBe(content);
    const args = sentArguments(model.requests.at(-1), "write");
    expect(args.filePath).toBe(target);
    expect(String(args.content)).toContain(
      "characters of this tool input (pruning.maxToolInputChars is 500)",
    );
    expect(String(args.content)).toMatch(/END$/);
    expect(String(args.content).length).toBeLessThan(content.length);
  });

  it("a session worker's requests are pruned by the orchestrator's hook", async () => {
    await callTool("spawn_worker", { profile: "explorer" });
    const before = model.requests.length;
    await callTool("ask_worker", {
      id: "explorer",
      message: `call read ${JSON.stringify({ filePath: bigFile })}`,
    });
    const sent = workerReadResult(before);
    expect(sent).toBeDefined();
    expect(sent).toContain(OUTPUT_MARKER);
    expect(sent).not.toContain("line 0150");
  });

  it("a process worker prunes its own requests (it reads the same config files)", async () => {
    const spawned = JSON.parse(await callTool("spawn_worker", { profile: "architect", format: "json" }));
    expect(spawned).toMatchObject({ id: "architect", kind: "process", status: "ready" });
    const before = model.requests.length;
    await callTool("ask_worker", {
      id: "architect",
      message: `call read ${JSON.stringify({ filePath: bigFile })}`,
    });
    const sent = workerReadResult(before);
    expect(sent).toBeDefined();
    expect(sent).toContain(OUTPUT_MARKER);
    expect(sent).not.toContain("line 0150");
  });
});
