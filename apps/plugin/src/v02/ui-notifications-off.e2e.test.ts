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
import { WORKERS_CONTEXT_HEADER } from "./system-context.js";

// One real OpenCode with `ui.toasts`, `ui.injectSystemContext` and `notifications.idle` off. A marker
// toast the test posts itself (`POST /tui/show-toast`) after the work closes the window: every toast
// the plugin would have shown for that work is on the `/event` stream before it.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");
const MARKER = "test marker: the work before me is done";

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let sessionID = "";
const toasts: { title?: string; message: string }[] = [];
const stopEvents = new AbortController();

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-ui-off-e2e-"));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({
      ui: { toasts: false, injectSystemContext: false },
      // Off, with no delay: were it on, its toast would come right after the session's idle.
      notifications: { idle: { enabled: false, message: "idle but off", delayMs: 0 } },
    }),
  );
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: /.*/, reply: (req) => `worker answer to: ${req.lastUserText}` },
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
  });
  const events = await opencode.client.event.subscribe(undefined, { signal: stopEvents.signal });
  void (async () => {
    for await (const event of events.stream as AsyncIterable<{ type: string; properties: unknown }>)
      if (event.type === "tui.toast.show") toasts.push(event.properties as { message: string });
  })().catch(() => undefined);
  const session = await opencode.client.session.create({ title: "ui off e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  stopEvents.abort();
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("ui and notifications.idle turned off in a real OpenCode", () => {
  it("injectSystemContext false: no worker list in the system prompt, even with a worker running", async () => {
    await callTool("spawn_worker", { profile: "explorer", format: "json" });
    const before = model.requests.length;
    await callTool("list_workers");
    const system = (model.requests[before]?.messages ?? [])
      .filter((m) => m.role === "system")
      .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
      .join("\n");
    expect(system).not.toBe("");
    expect(system).not.toContain(WORKERS_CONTEXT_HEADER);
  });

  it("defaultListFormat (markdown by default): a call without format answers readable text", async () => {
    expect(await callTool("list_workers")).toMatch(/explorer\s+\w+\s+ready/);
  });

  it("toasts false and notifications.idle off: no worker or idle toast before the marker", async () => {
    await opencode.client.tui.showToast({ title: "test", message: MARKER, variant: "info" });
    while (!toasts.some((t) => t.message === MARKER)) await new Promise((r) => setTimeout(r, 50));
    const messages = toasts.map((t) => t.message);
    expect(messages.filter((m) => m.startsWith("Worker ") || m === "idle but off")).toEqual([]);
    expect(messages).toContain(MARKER);
  });
});
