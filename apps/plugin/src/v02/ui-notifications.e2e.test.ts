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
import { recordToasts, type ToastRecorder } from "../test-support/toasts.js";
import { CONSOLE_PREFIX } from "./activity-log.js";
import { WORKERS_CONTEXT_HEADER } from "./system-context.js";

// One real OpenCode with the plugin and every `ui` / `notifications.idle` option turned on. Toasts
// are observed as `tui.toast.show` events on the server's `/event` stream; the injected worker list
// in the scripted model's request bodies; debug lines in OpenCode's own log (`--print-logs`).
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let sessionID = "";
let toasts: ToastRecorder;
const serverLines: string[] = [];

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

const toastMatching = (pattern: RegExp) => toasts.matching(pattern);

function systemOf(request: ScriptedModel["requests"][number] | undefined): string {
  return (request?.messages ?? [])
    .filter((m) => m.role === "system")
    .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
    .join("\n");
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-ui-e2e-"));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({
      ui: {
        toasts: true,
        injectSystemContext: true,
        systemContextMaxWorkers: 1,
        defaultListFormat: "json",
        debug: true,
        logToConsole: true,
      },
      notifications: {
        idle: { enabled: true, title: "Orchestra e2e", message: "Workers are done", delayMs: 100 },
      },
      healthCheck: { respawn: { enabled: true } },
      // A config problem (an alias of a model the catalog lacks) and a profile that falls back.
      modelAliases: { broken: "scripted/does-not-exist" },
      profiles: [
        {
          id: "fallback-explorer",
          extends: "explorer",
          model: "scripted/does-not-exist",
          fallbackModels: ["scripted/fake-fast"],
        },
      ],
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
    args: ["--print-logs", "--log-level", "DEBUG"],
    onOutput: (line) => {
      if (line.includes("spawn: explorer")) serverLines.push(line);
    },
  });
  toasts = await recordToasts(opencode);
  const session = await opencode.client.session.create({ title: "ui e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  toasts?.stop();
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("ui and notifications.idle in a real OpenCode", () => {
  it("injectSystemContext: the user's session gets the (empty) worker list in its system prompt", async () => {
    const before = model.requests.length;
    await callTool("list_workers");
    expect(systemOf(model.requests[before])).toContain(`${WORKERS_CONTEXT_HEADER}\nNo workers are running`);
  });

  it("defaultListFormat json: a call without format answers JSON", async () => {
    const out = await callTool("spawn_worker", { profile: "explorer" });
    expect(JSON.parse(out)).toMatchObject({ id: "explorer", status: "ready" });
    expect(JSON.parse(await callTool("list_workers", { format: "json" }))).toHaveLength(1);
    expect(await callTool("list_workers", { format: "text" })).toMatch(/explorer\s+\w+\s+ready/);
  });

  it("toasts: a spawned worker shows a toast on the TUI event stream", async () => {
    const toast = await toastMatching(/^Worker explorer spawned/);
    expect(toast).toMatchObject({ title: "Open Orchestra", variant: "success" });
  });

  it("injectSystemContext: live workers capped at systemContextMaxWorkers, never in a worker's session", async () => {
    await callTool("spawn_worker", { profile: "memory" });
    const before = model.requests.length;
    await callTool("ask_worker", { id: "explorer", message: "what is in src?" });
    const requests = model.requests.slice(before);
    const user = systemOf(requests[0]);
    expect(user).toMatch(/- explorer: profile explorer, model scripted\/[\w-]+, (ready|busy)/);
    expect(user).toContain("- and 1 more (list_workers shows all)");
    const worker = requests.find((r) => r.lastUserText === "what is in src?");
    expect(worker).toBeDefined();
    expect(systemOf(worker)).not.toContain(WORKERS_CONTEXT_HEADER);
  });

  it("toasts: a killed process worker shows died, then its respawn", async () => {
    const info = JSON.parse(await callTool("spawn_worker", { profile: "coder" })) as { pid: number };
    await toastMatching(/^Worker coder spawned/);
    process.kill(info.pid, "SIGKILL");
    expect(await toastMatching(/^Worker coder died/)).toMatchObject({ variant: "error" });
    expect(await toastMatching(/^Respawning coder/)).toMatchObject({ variant: "info" });
  });

  it("toasts: a config problem shows an error toast naming it", async () => {
    const toast = await toastMatching(/^Config problem: error at modelAliases\.broken/);
    expect(toast).toMatchObject({ title: "Open Orchestra", variant: "error" });
    expect(toast.message).toContain(
      '[RESOLVER_UNKNOWN_MODEL] Provider "scripted" has no model "does-not-exist"',
    );
    expect(toast.message).toContain("And 1 more: orchestrator_status lists them.");
  });

  it("toasts: a worker started on a fallback model shows a warning naming the failed reference", async () => {
    await callTool("spawn_worker", { profile: "fallback-explorer" });
    const toast = await toastMatching(/^Worker fallback-explorer runs on fallback model scripted\/fake-fast/);
    expect(toast).toMatchObject({ variant: "warning" });
    expect(toast.message).toContain("scripted/does-not-exist:");
  });

  it("notifications.idle: a toast with the configured title and message after the session goes idle", async () => {
    const toast = await toastMatching(/^Workers are done$/);
    expect(toast).toMatchObject({ title: "Orchestra e2e", variant: "info" });
  });

  it("debug and logToConsole: activity lines in OpenCode's debug log and on stderr", () => {
    // stderr: `[open-orchestra] spawn: explorer …`; OpenCode's log: `level=DEBUG … message="spawn: explorer …"`.
    expect(serverLines.some((l) => l.startsWith(`${CONSOLE_PREFIX} spawn: explorer`))).toBe(true);
    expect(serverLines.some((l) => /level=DEBUG .*message="spawn: explorer/.test(l))).toBe(true);
  });
});
