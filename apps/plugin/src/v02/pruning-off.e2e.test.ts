import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule, callToolIn } from "../test-support/scripted-calls.js";
import { PRUNED_MARKER_PREFIX } from "./pruning.js";

// One real OpenCode with the plugin and no `pruning` section: pruning is off by default, so the
// model receives every tool output and input whole (the same calls `pruning.e2e.test.ts` sees cut).
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");

/** 300 numbered lines of 60 characters: far over the default maxToolOutputChars (12,000). */
const BIG = Array.from(
  { length: 300 },
  (_, i) => `line ${String(i + 1).padStart(4, "0")} ${".".repeat(49)}`,
).join("\n");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let project = "";
let sessionID = "";

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-pruning-off-e2e-"));
  project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(join(project, "big.txt"), BIG);
  writeFileSync(join(project, ".opencode", "orchestrator.json"), JSON.stringify({}));
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  const session = await opencode.client.session.create({ title: "pruning off e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
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
