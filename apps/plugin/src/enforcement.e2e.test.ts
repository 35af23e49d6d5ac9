import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  type RecordedRequest,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule } from "./test-support/scripted-calls.js";

// One real OpenCode with the plugin, driven by the scripted model. The host session asks workers;
// a worker's user message `call <tool> <json>` makes the model call that tool inside the worker, so
// the tool result the model receives next shows what the enforcement let through or denied.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

// Not under /tmp: the sandbox gives commands a private /tmp, so a write outside the project must
// land on the (read-only) real filesystem to show that it fails.
const base = existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
const root = mkdtempSync(join(base, "orchestra-enforcement-e2e-"));
const project = join(root, "project");
const outside = join(root, "outside");

const profiles = [
  {
    id: "ro-session",
    kind: "session",
    purpose: "Reads the project",
    permissions: { categories: { filesystem: "read", execution: "sandboxed", network: "none" } },
  },
  {
    id: "sandboxed-proc",
    kind: "process",
    purpose: "Builds inside the sandbox",
    permissions: { categories: { filesystem: "full", execution: "sandboxed", network: "none" } },
  },
];

// Run by a sandboxed worker: a write the validator cannot see (it happens inside a program).
const escapeScript = `import { writeFileSync } from "node:fs";
for (const target of ${JSON.stringify([join(outside, "leak.txt"), join(project, ".opencode", "orchestrator.json"), join(project, "inside.txt")])}) {
  try { writeFileSync(target, "x"); console.log("WROTE " + target); }
  catch (error) { console.log("FAILED " + error.code + " " + target); }
}
`;

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";

/** Ask a worker (through the host's ask_worker) to call `tool`; return the result the model got. */
async function workerCalls(worker: string, tool: string, args: Record<string, unknown>): Promise<string> {
  const before = model.requests.length;
  const message = `call ${tool} ${JSON.stringify(args)}`;
  const result = await opencode.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ask_worker ${JSON.stringify({ id: worker, message })}` }],
  });
  expect(result.error).toBeUndefined();
  const sent = model.requests.slice(before);
  const inWorker = sent.find((r: RecordedRequest) => r.lastToolResult?.name === tool);
  expect(inWorker, `the worker's model got no result of ${tool}`).toBeDefined();
  // The worker answered, and the host got that answer back.
  expect(sent.find((r) => r.lastToolResult?.name === "ask_worker")?.lastToolResult?.content).toContain(
    `Done: ${tool}`,
  );
  return inWorker?.lastToolResult?.content ?? "";
}

async function hostCalls(tool: string, args: Record<string, unknown>): Promise<string> {
  const before = model.requests.length;
  await opencode.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
  });
  return (
    model.requests.slice(before).find((r) => r.lastToolResult?.name === tool)?.lastToolResult?.content ?? ""
  );
}

beforeAll(async () => {
  for (const d of [join(project, ".opencode"), join(project, "keep"), outside])
    mkdirSync(d, { recursive: true });
  writeFileSync(join(project, ".opencode", "orchestrator.json"), JSON.stringify({ profiles }, null, 2));
  writeFileSync(join(project, "keep", "data.txt"), "precious\n");
  writeFileSync(join(project, "README.md"), "# enforcement e2e\n");
  writeFileSync(join(project, "escape.mjs"), escapeScript);
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
  const session = await opencode.client.session.create({ title: "enforcement e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("permissions enforced in a real OpenCode", () => {
  it("a read-only session worker cannot delete files through the shell", async () => {
    const spawned = await hostCalls("spawn_worker", { profile: "ro-session", format: "json" });
    expect(JSON.parse(spawned)).toMatchObject({ id: "ro-session", kind: "session", status: "ready" });
    const out = await workerCalls("ro-session", "bash", { command: "rm -rf keep", description: "delete" });
    expect(out).toContain("Denied by Open Orchestra [shell.not-read-only] for worker ro-session");
    expect(out).toContain("Allowed instead:");
    expect(readFileSync(join(project, "keep", "data.txt"), "utf8")).toBe("precious\n");
  });

  it("a read-only session worker cannot write a file (its session's OpenCode permission hides write)", async () => {
    // The plugin's deny of a write a hostile model makes anyway is proven in src/red-team/.
    const before = model.requests.length;
    const message = `call write ${JSON.stringify({ filePath: join(project, "new.txt"), content: "x" })}`;
    await opencode.client.session.prompt({
      sessionID,
      model: { providerID: "scripted", modelID: "fake-fast" },
      parts: [{ type: "text", text: `call ask_worker ${JSON.stringify({ id: "ro-session", message })}` }],
    });
    const inWorker = model.requests.slice(before).filter((r) => !r.toolNames.includes("ask_worker"));
    expect(inWorker.length).toBeGreaterThan(0);
    for (const r of inWorker) {
      expect(r.toolNames).toContain("read");
      expect(r.toolNames).not.toContain("write");
      expect(r.toolNames).not.toContain("edit");
    }
    expect(existsSync(join(project, "new.txt"))).toBe(false);
  });

  it("benign calls pass: reading, and a read-only command (run in the sandbox)", async () => {
    expect(await workerCalls("ro-session", "read", { filePath: join(project, "README.md") })).toContain(
      "# enforcement e2e",
    );
    const ls = await workerCalls("ro-session", "bash", { command: "ls keep", description: "list" });
    expect(ls).toContain("data.txt");
    expect(ls).not.toContain("Denied");
  });

  it("the user's own session is not restricted by a worker's profile", async () => {
    const out = await hostCalls("read", { filePath: join(project, "README.md") });
    expect(out).toContain("# enforcement e2e");
  });

  it("a sandboxed process worker: statically denied calls are refused by the worker's own plugin", async () => {
    const spawned = await hostCalls("spawn_worker", { profile: "sandboxed-proc", format: "json" });
    expect(JSON.parse(spawned)).toMatchObject({ id: "sandboxed-proc", kind: "process", status: "ready" });
    const out = await workerCalls("sandboxed-proc", "bash", {
      command: `echo leak > ${join(outside, "direct.txt")}`,
      description: "write outside",
    });
    expect(out).toContain("[paths.not-allowed] for worker sandboxed-proc");
    expect(existsSync(join(outside, "direct.txt"))).toBe(false);
    const control = await workerCalls("sandboxed-proc", "write", {
      filePath: join(project, "opencode.json"),
      content: "{}",
    });
    expect(control).toContain("[paths.control-file]");
    expect(existsSync(join(project, "opencode.json"))).toBe(false);
  });

  it("a sandboxed process worker: benign calls pass both lines of defence", async () => {
    // The plugin's check and the worker's compiled OpenCode `permission` both let these through.
    expect(await workerCalls("sandboxed-proc", "read", { filePath: join(project, "README.md") })).toContain(
      "# enforcement e2e",
    );
    const echo = await workerCalls("sandboxed-proc", "bash", {
      command: "echo hello from $0",
      description: "echo",
    });
    expect(echo).toContain("hello from /bin/bash");
  });

  it("a sandboxed process worker: a write outside the project fails inside bubblewrap", async () => {
    const out = await workerCalls("sandboxed-proc", "bash", {
      command: "node escape.mjs",
      description: "run",
    });
    // Outside the project is not even mounted (ENOENT), or read-only (EROFS).
    expect(out).toMatch(
      new RegExp(`FAILED (EROFS|ENOENT) ${join(outside, "leak.txt").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
    expect(out).toContain(`FAILED EROFS ${join(project, ".opencode", "orchestrator.json")}`);
    expect(out).toContain(`WROTE ${join(project, "inside.txt")}`);
    expect(existsSync(join(outside, "leak.txt"))).toBe(false);
    expect(JSON.parse(readFileSync(join(project, ".opencode", "orchestrator.json"), "utf8"))).toEqual({
      profiles,
    });
    expect(readFileSync(join(project, "inside.txt"), "utf8")).toBe("x");
  });

  it("denies are logged in the orchestrator's activity", async () => {
    const out = await hostCalls("orchestrator_output", {});
    expect(out).toContain("denied bash for ro-session [shell.not-read-only]");
  });
});
