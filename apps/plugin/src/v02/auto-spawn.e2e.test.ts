import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  resolveOpencode,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule, callToolIn } from "../test-support/scripted-calls.js";
import type { ToastEvent } from "../test-support/toasts.js";

// autoSpawn / workers in a real OpenCode, one server at a time (this file restarts it per config).
// Process workers are started through a gate: ORCHESTRA_OPENCODE_BIN points at a shell script that
// records its pid, waits until the test creates the gate file, then execs the real opencode. While
// the gate is closed the auto-spawn cannot finish, so whatever OpenCode answers then, it answered
// before the spawn was done: ordering, not timing.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");
const realOpencode = resolveOpencode({ resolveFrom: here }).binary;

interface WorkerRow {
  id: string;
  profile: string;
  kind: string;
  status: string;
  model: string;
  pid?: number;
}

/** One OpenCode with the plugin, its project config, and the gated opencode binary for workers. */
interface Server {
  opencode: OpencodeInstance;
  sessionID: string;
  gate: string;
  /** Pids of every worker start (one line each, written before the gate). */
  starts: () => number[];
  toasts: ToastEvent[];
  /** OpenCode's own log lines (`--print-logs`) from the plugin's auto-spawn. */
  logLines: string[];
  stopEvents: AbortController;
}

let model: ScriptedModel;
let scratch = "";
let current: Server | undefined;

async function startServer(name: string, config: Record<string, unknown>): Promise<Server> {
  const dir = join(scratch, name);
  const project = join(dir, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(join(project, ".opencode", "orchestrator.json"), JSON.stringify(config));
  const gate = join(dir, "gate");
  const startsFile = join(dir, "starts");
  const wrapper = join(dir, "opencode-gated.sh");
  writeFileSync(
    wrapper,
    [
      "#!/bin/sh",
      `echo $$ >> '${startsFile}'`,
      `while [ ! -e '${gate}' ]; do sleep 0.05; done`,
      `exec '${realOpencode}' "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(wrapper, 0o755);
  const logLines: string[] = [];
  const opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
    env: { ORCHESTRA_OPENCODE_BIN: wrapper },
    args: ["--print-logs"],
    onOutput: (line) => {
      if (line.includes("auto-spawn:")) logLines.push(line);
    },
  });
  const stopEvents = new AbortController();
  const toasts: ToastEvent[] = [];
  const events = await opencode.client.event.subscribe(undefined, { signal: stopEvents.signal });
  void (async () => {
    for await (const event of events.stream as AsyncIterable<{ type: string; properties: unknown }>)
      if (event.type === "tui.toast.show") toasts.push(event.properties as ToastEvent);
  })().catch(() => undefined);
  // The first request for the project: OpenCode loads the plugin for it.
  const session = await opencode.client.session.create({ title: "auto-spawn e2e" });
  const starts = () =>
    existsSync(startsFile)
      ? readFileSync(startsFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => Number(line))
      : [];
  current = { opencode, sessionID: session.data?.id ?? "", gate, starts, toasts, logLines, stopEvents };
  return current;
}

async function stopServer(server: Server | undefined): Promise<void> {
  server?.stopEvents.abort();
  await server?.opencode.stop();
}

function callTool(server: Server, tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode: server.opencode, sessionID: server.sessionID }, tool, args);
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when the model was ever asked to call spawn_worker (nobody may have, in this file). */
function spawnWorkerCalled(): boolean {
  return model.requests.some((r) => r.lastToolResult?.name === "spawn_worker");
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-auto-spawn-e2e-"));
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
});

afterAll(async () => {
  await stopServer(current);
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// A process worker (so it goes through the gate), defined inline in `workers`: its own plugin must
// find the profile too, or its enforcement handshake fails and it never becomes ready.
const scout = { id: "scout", extends: "explorer", kind: "process" };

describe("autoSpawn and workers in a real OpenCode", () => {
  let server: Server;

  it("the listed worker starts in the background: OpenCode answers while its spawn is held", async () => {
    server = await startServer("on", {
      workers: [scout],
      ui: { toasts: true },
      spawn: { startupTimeoutMs: 600_000 },
    });
    // The auto-spawn reached the opencode binary: the spawn is in flight, held at the gate.
    const [pid] = await until(() => (server.starts().length > 0 ? server.starts() : undefined));
    expect(pid).toBeGreaterThan(0);
    // OpenCode answers a whole prompt with a tool call meanwhile: its start did not wait for the spawn.
    const rows = JSON.parse(await callTool(server, "list_workers", { format: "json" })) as WorkerRow[];
    expect(rows).toEqual([expect.objectContaining({ id: "scout", profile: "scout", status: "starting" })]);
    const log = await callTool(server, "orchestrator_output", { format: "text" });
    expect(log).toContain("auto-spawn: starting scout (1/1)…");
    expect(log).not.toContain("auto-spawn: scout ready");
    expect(existsSync(server.gate)).toBe(false); // still held: nothing above could have waited for it
  });

  it("once the gate opens the worker is ready, listed by list_workers, without any spawn_worker call", async () => {
    writeFileSync(server.gate, "");
    // OpenCode's own log (the plugin's client.app.log lines) says how the spawn ended, after its start.
    const outcome = await until(() =>
      server.logLines.find((l) => /auto-spawn: scout (ready in|failed to start)/.test(l)),
    );
    expect(outcome).toMatch(/auto-spawn: scout ready in \d+\.\d s on scripted\/[\w-]+ \(worker scout\)/);
    const starting = server.logLines.findIndex((l) => l.includes("auto-spawn: starting scout (1/1)…"));
    expect(starting).toBeGreaterThanOrEqual(0);
    expect(starting).toBeLessThan(server.logLines.indexOf(outcome));
    const rows = JSON.parse(await callTool(server, "list_workers", { format: "json" })) as WorkerRow[];
    expect(rows).toEqual([
      expect.objectContaining({ id: "scout", profile: "scout", kind: "process", status: "ready" }),
    ]);
    expect(rows[0]?.pid).toBe(server.starts()[0]); // the gated start itself (exec keeps the pid)
    expect(server.starts()).toHaveLength(1);
    const log = await callTool(server, "orchestrator_output", { format: "text" });
    expect(log).toMatch(/auto-spawn: scout ready in \d+\.\d s on scripted\/[\w-]+ \(worker scout\)/);
    expect(log.indexOf("auto-spawn: starting scout")).toBeLessThan(log.indexOf("auto-spawn: scout ready"));
    expect(spawnWorkerCalled()).toBe(false);
    // ui.toasts: announced as every spawned worker is (on worker:ready, before the ready line above).
    const toast = await until(() => server.toasts.find((t) => /^Worker scout spawned/.test(t.message)));
    expect(toast.variant).toBe("success");
  });

  it("shutdown while the auto-spawn is held at the gate leaves no process behind", async () => {
    await stopServer(server);
    server = await startServer("shutdown", { workers: [scout], spawn: { startupTimeoutMs: 600_000 } });
    const [pid = 0] = await until(() => (server.starts().length > 0 ? server.starts() : undefined));
    expect(alive(pid)).toBe(true);
    // Only the plugin's dispose (the orchestra's shutdown) runs here, not the server's stop, whose
    // descendant sweep would kill the start too. A leaked start would wait at the gate forever.
    await server.opencode.client.instance.dispose({ directory: server.opencode.directory });
    await until(() => (alive(pid) ? undefined : true));
    expect(alive(pid)).toBe(false);
    expect(existsSync(server.gate)).toBe(false);
    await stopServer(server);
  });

  it("autoSpawn false: nothing is spawned, and the activity log says why", async () => {
    server = await startServer("off", { autoSpawn: false, workers: [scout, "docs"] });
    writeFileSync(server.gate, ""); // open: a start would not be held, so only autoSpawn can stop it
    const log = await callTool(server, "orchestrator_output", { format: "text" });
    expect(log).toContain("auto-spawn: off (autoSpawn is false); not starting scout, docs");
    expect(await callTool(server, "list_workers", { format: "json" })).toBe("[]");
    expect(server.starts()).toEqual([]);
    expect(spawnWorkerCalled()).toBe(false);
  });
});
