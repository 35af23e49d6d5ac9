import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { processDescendants } from "@orchestra/process";
import { WORKER_ENV_FLAG } from "@orchestra/runtime";
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
import type { ToastEvent } from "../test-support/toasts.js";
import { TOOL_GROUPS, type ToolDeps, toolsByGroup } from "../tools/index.js";

// One real OpenCode with the plugin and an invalid project `.opencode/orchestrator.json` (two
// errors). The plugin must load anyway, in degraded mode: its tools exist and say what is wrong,
// a toast and an app log line tell the user, and nothing of the config is applied (no worker).
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let configFile = "";
let sessionID = "";
const toasts: ToastEvent[] = [];
const logLines: string[] = [];
const stopEvents = new AbortController();

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

/** Wait until `found` returns something (the event stream and the log are pushed, never polled for long). */
async function eventually<T>(found: () => T | undefined): Promise<T> {
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The names of every tool the plugin registers when its config is valid (from the tool definitions). */
function normalToolNames(): string[] {
  const groups = toolsByGroup(new Proxy({}, { get: () => undefined }) as ToolDeps);
  return TOOL_GROUPS.flatMap((group) => Object.keys(groups[group]));
}

/** True when `pid`'s environment marks it as an orchestra worker. */
function isWorker(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`${WORKER_ENV_FLAG}=1`);
  } catch {
    return false; // gone, or not readable: not a worker we started
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-degraded-e2e-"));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  configFile = join(project, ".opencode", "orchestrator.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      ui: { toasts: "yes" }, // wrong type: so `ui.toasts` cannot decide about the warning toast
      workers: ["coder"], // valid on its own; with an invalid file nothing is spawned
      profiles: [{ id: "coder", temperature: 9 }],
    }),
  );
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
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
    args: ["--print-logs"],
    onOutput: (line) => {
      if (line.includes("level=ERROR")) logLines.push(line);
    },
  });
  let connected = false;
  const events = await opencode.client.event.subscribe(undefined, { signal: stopEvents.signal });
  void (async () => {
    for await (const event of events.stream as AsyncIterable<{ type: string; properties: unknown }>) {
      connected = true;
      if (event.type === "tui.toast.show") toasts.push(event.properties as ToastEvent);
    }
  })().catch(() => undefined);
  await eventually(() => (connected ? true : undefined)); // `server.connected`: the stream is live
  const session = await opencode.client.session.create({ title: "degraded e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  stopEvents.abort();
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("an invalid orchestrator.json in a real OpenCode: the plugin loads in degraded mode", () => {
  it("registers every orchestra tool, under the same names", async () => {
    const ids = (await opencode.client.tool.ids()).data ?? [];
    const names = normalToolNames();
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !ids.includes(name))).toEqual([]);
  });

  it("orchestrator_status lists every config error with its file and JSON path", async () => {
    const status = await callTool("orchestrator_status");
    expect(status).toContain("CONFIG_INVALID");
    expect(status).toContain(configFile);
    expect(status).toContain("ui.toasts: wrong type");
    expect(status).toContain("profiles[0].temperature: too big");
    expect(status).toContain("orchestra config validate");
    const json = JSON.parse(await callTool("orchestrator_status", { format: "json" })) as {
      degraded: boolean;
      code: string;
      errors: { file: string; path: string }[];
    };
    expect(json).toMatchObject({ degraded: true, code: "CONFIG_INVALID" });
    expect(json.errors.map((e) => [e.file, e.path])).toEqual([
      [configFile, "profiles[0].temperature"],
      [configFile, "ui.toasts"],
    ]);
  });

  it("orchestrator_config reports the same errors instead of a config", async () => {
    const out = await callTool("orchestrator_config", { key: "ui" });
    expect(out).toContain("CONFIG_INVALID");
    expect(out).toContain(`${configFile}: ui.toasts: wrong type`);
    expect(out).toContain(`${configFile}: profiles[0].temperature: too big`);
  });

  it("spawn_worker answers CONFIG_INVALID with the JSON paths and what to do next", async () => {
    const out = await callTool("spawn_worker", { profile: "coder" });
    expect(out).toContain("[CONFIG_INVALID]");
    expect(out).toContain("ui.toasts: wrong type");
    expect(out).toContain("profiles[0].temperature: too big");
    expect(out).toContain("orchestra config validate");
    expect(await callTool("list_workers")).toContain("[CONFIG_INVALID]");
  });

  it("warns the user: an error toast on the TUI event stream and an error line in OpenCode's log", async () => {
    const toast = await eventually(() => toasts.find((t) => t.message.includes("CONFIG_INVALID")));
    expect(toast).toMatchObject({ title: "Open Orchestra", variant: "error" });
    expect(toast.message).toContain(configFile);
    // `--print-logs`: `level=ERROR … message="[CONFIG_INVALID] Open Orchestra runs in degraded mode …"`.
    const line = await eventually(() => logLines.find((l) => l.includes('message="[CONFIG_INVALID]')));
    expect(line).toContain("Open Orchestra runs in degraded mode");
    expect(line).toContain(`${configFile}: ui.toasts: wrong type`);
  });

  it("applies nothing of the config: no worker process or session, no orchestrator agent or commands", async () => {
    const workers = processDescendants(opencode.pid).filter((d) => isWorker(d.pid));
    expect(workers).toEqual([]);
    const sessions = (await opencode.client.session.list()).data ?? [];
    expect(sessions.map((s) => s.id)).toEqual([sessionID]);
    const agents = ((await opencode.client.app.agents()).data ?? []).map((a) => a.name);
    expect(agents).toContain("build");
    expect(agents).not.toContain("orchestrator");
    const commands = ((await opencode.client.command.list()).data ?? []).map((c) => c.name);
    expect(commands.filter((n) => n.startsWith("orchestrator."))).toEqual([]);
  });
});
