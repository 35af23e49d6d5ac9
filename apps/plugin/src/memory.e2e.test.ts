import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MemoryStore, openMemoryStore } from "@orchestra/memory";
import {
  echoScript,
  messageText,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMORY_CONTEXT_HEADER } from "./memory.js";
import { callRule } from "./test-support/scripted-calls.js";

// One real OpenCode with the plugin loaded and memory on an embedded store in a temp file (set in
// the project's .opencode/orchestrator.json). The scripted model calls a tool when the user text is
// `call <tool> <json args>`. The test opens the same database file itself to check what was stored.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");
const MAX_VALUE = 500;
// Built at run time so no secret-looking literal sits in the repository.
const FAKE_TOKEN = ["ghp", "_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"].join("");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let dbPath = "";
let sessionID = "";
let store: MemoryStore;

async function newSession(title: string): Promise<string> {
  const session = await opencode.client.session.create({ title });
  const id = session.data?.id;
  expect(id).toBeTruthy();
  return id ?? "";
}

/** Send `text` as a user prompt in `session`; resolves when the turn is over. */
async function prompt(session: string, text: string): Promise<void> {
  const result = await opencode.client.session.prompt({
    sessionID: session,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text }],
  });
  expect(result.error).toBeUndefined();
}

/** Prompt the host so the model calls `tool` with `args`; return the tool's output text. */
async function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  const before = model.requests.length;
  await prompt(sessionID, `call ${tool} ${JSON.stringify(args)}`);
  const followUp = model.requests.slice(before).find((r) => r.lastToolResult?.name === tool);
  expect(followUp, `the model got no result of ${tool}`).toBeDefined();
  return followUp?.lastToolResult?.content ?? "";
}

async function callJson<T>(tool: string, args: Record<string, unknown> = {}): Promise<T> {
  const out = await callTool(tool, { ...args, format: "json" });
  try {
    return JSON.parse(out) as T;
  } catch {
    throw new Error(`${tool} did not answer JSON: ${out}`);
  }
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface StoredMemory {
  scope: string;
  key: string;
  value: string;
  tags: string[];
  source: { sessionId?: string; messageId?: string; workerId?: string; trust?: string };
  links: { type: string; from: { key: string }; to: { key: string } }[];
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-memory-e2e-"));
  const project = join(scratch, "project");
  dbPath = join(scratch, "memory.db");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({ memory: { maxValueChars: MAX_VALUE, embedded: { path: dbPath } } }, null, 2),
  );
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        {
          userText: /which database does the cache use/i,
          reply: "The cache uses SQLite in WAL mode; the team chose it for zero setup.",
        },
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
  });
  // The same file the plugin uses, opened by the test (the embedded store is multi-process safe).
  store = await openMemoryStore({ project: opencode.directory, embedded: { path: dbPath } });
  sessionID = await newSession("memory e2e");
});

afterAll(async () => {
  await store?.close();
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("memory in a real OpenCode", () => {
  it("registers the memory tools", async () => {
    const ids = await opencode.client.tool.ids();
    for (const name of ["memory_put", "memory_link", "memory_search", "memory_recent", "memory_forget"])
      expect(ids.data).toContain(name);
  });

  it("memory_put stores a memory with its source (session and message)", async () => {
    const stored = await callJson<StoredMemory>("memory_put", {
      key: "decision/cache-db",
      value: "The cache uses SQLite with WAL; chosen for zero setup and multi-process safety.",
      tags: ["decision", "cache"],
    });
    expect(stored).toMatchObject({ scope: "project", key: "decision/cache-db", tags: ["cache", "decision"] });
    expect(stored.source.sessionId).toBe(sessionID);
    expect(stored.source.messageId).toMatch(/^msg_/);
    expect(stored.source.trust).toBe("trusted");
    const read = await store.get({ key: "decision/cache-db" });
    expect(read?.value).toContain("SQLite with WAL");
    expect(read?.source.sessionId).toBe(sessionID);
    // Text answer, global scope.
    const text = await callTool("memory_put", {
      key: "user/style",
      value: "The user prefers small, focused commits.",
      scope: "global",
    });
    expect(text).toBe("Remembered [global] user/style (40 characters).");
  });

  it("memory_link links two memories, and both ends see the link", async () => {
    const link = await callJson<{ type: string; from: { key: string }; to: { key: string; scope: string } }>(
      "memory_link",
      { fromKey: "decision/cache-db", toKey: "user/style", toScope: "global", type: "relates_to" },
    );
    expect(link).toMatchObject({
      type: "relates_to",
      from: { key: "decision/cache-db" },
      to: { key: "user/style", scope: "global" },
    });
    const read = await store.get({ key: "decision/cache-db" });
    expect(read?.links.map((l) => `${l.from.key}-${l.type}->${l.to.key}`)).toEqual([
      "decision/cache-db-relates_to->user/style",
    ]);
    const missing = await callTool("memory_link", { fromKey: "decision/cache-db", toKey: "nope", type: "x" });
    expect(missing).toContain("MEMORY_NOT_FOUND");
  });

  it("memory_search finds memories by words, best first, filtered by tags", async () => {
    const out = await callTool("memory_search", { query: "cache database sqlite" });
    // Best first: the key and tags match too (turn summaries that mention it match only in their value).
    expect(out).toMatch(/^\d+ memor(y|ies), best first:\n- \[project\] decision\/cache-db #cache #decision/);
    const hits = await callJson<StoredMemory[]>("memory_search", { query: "commits", scope: "global" });
    expect(hits.map((h) => h.key)).toEqual(["user/style"]);
    expect(await callTool("memory_search", { query: "kubernetes" })).toContain("No memory matches");
  });

  it("memory_recent lists the newest memories first", async () => {
    const latest = await callJson<StoredMemory[]>("memory_recent", { tags: ["decision"] });
    expect(latest.map((m) => m.key)).toEqual(["decision/cache-db"]);
    expect(await callTool("memory_recent", { tags: ["decision"] })).toMatch(
      /^1 most recent:\n- \[project\] decision\/cache-db #cache #decision \(\d{4}-[^;]+; from the user's session, trusted\): "The cache uses SQLite/,
    );
    const all = await callJson<StoredMemory[]>("memory_recent", { limit: 50 });
    const keys = all.map((m) => m.key);
    expect(keys).toContain("user/style");
    expect(keys.indexOf("user/style")).toBeLessThan(keys.indexOf("decision/cache-db"));
  });

  it("refuses a secret-looking value with a clear message, and stores nothing", async () => {
    const out = await callTool("memory_put", { key: "creds/github", value: `The token is ${FAKE_TOKEN}` });
    expect(out).toContain("MEMORY_SECRET_DETECTED");
    expect(out).not.toContain(FAKE_TOKEN);
    expect(out).toMatch(/hint:/);
    expect(await store.get({ key: "creds/github" })).toBeUndefined();
  });

  it("refuses an oversized value and an invalid key, keeping what was stored", async () => {
    const before = await store.get({ key: "decision/cache-db" });
    const big = await callTool("memory_put", { key: "decision/cache-db", value: "x".repeat(MAX_VALUE + 1) });
    expect(big).toContain("MEMORY_VALUE_TOO_LARGE");
    expect(big).toContain(`the limit is ${MAX_VALUE}`);
    expect((await store.get({ key: "decision/cache-db" }))?.value).toBe(before?.value);
    const bad = await callTool("memory_put", { key: "not a key!", value: "hello" });
    expect(bad).toContain("MEMORY_INVALID_KEY");
  });

  it("injects relevant memories into a new session's system prompt", async () => {
    const session = await newSession("injection");
    const before = model.requests.length;
    await prompt(session, "Remind me how the cache database works");
    const request = model.requests
      .slice(before)
      .find((r) => r.lastUserText === "Remind me how the cache database works");
    expect(request).toBeDefined();
    const system = (request?.messages ?? [])
      .filter((m) => m.role === "system")
      .map(messageText)
      .join("\n");
    expect(system).toContain(MEMORY_CONTEXT_HEADER);
    expect(system).toContain(
      '{"memory":"project:decision/cache-db","tags":["cache","decision"],"from":{"trust":"trusted","session":"user"},"text":"The cache uses SQLite with WAL',
    );
  });

  it("injects memories into workers' context and records their turns: a session and a process worker", async () => {
    for (const profile of ["explorer", "coder"]) {
      const info = await callJson<{ id: string; kind: string }>("spawn_worker", { profile });
      expect(info.kind).toBe(profile === "coder" ? "process" : "session");
      const task = `${profile}: explain the cache database choice`;
      const before = model.requests.length;
      expect(await callTool("ask_worker", { id: info.id, message: task })).toContain(`answer to: ${task}`);
      const request = model.requests.slice(before).find((r) => r.lastUserText === task);
      expect(request, `${profile} sent no request`).toBeDefined();
      const system = (request?.messages ?? [])
        .filter((m) => m.role === "system")
        .map(messageText)
        .join("\n");
      expect(system, `${profile} system prompt`).toContain(MEMORY_CONTEXT_HEADER);
      expect(system, `${profile} system prompt`).toContain('"memory":"project:decision/cache-db"');
      // The worker's turn is recorded too, under its worker id (by the host for a session worker,
      // by the worker's own plugin for a process worker).
      const turn = await eventually(async () => {
        const turns = await store.recent({ tags: ["auto", `worker:${info.id}`], limit: 10 });
        return turns.find((m) => m.value.includes(`Answered: answer to: ${task}`));
      }, `${profile}'s turn summary`);
      expect(turn.source).toMatchObject({ workerId: info.id, profile, trust: "untrusted" });
      expect(await callTool("stop_worker", { id: info.id })).toBe(`Worker ${info.id} stopped.`);
    }
  });

  it("records a summary of each finished turn (autoRecord)", async () => {
    const session = await newSession("auto-record");
    await prompt(session, "Which database does the cache use?");
    const recorded = await eventually(async () => {
      const turns = await store.recent({ tags: ["auto"], limit: 100 });
      return turns.find((m) => m.source.sessionId === session);
    }, "the turn summary in the store");
    expect(recorded.key).toMatch(new RegExp(`^turn/${session}/msg_`));
    expect(recorded.tags).toEqual(["auto", "turn"]);
    expect(recorded.value).toContain("Asked: Which database does the cache use?");
    expect(recorded.value).toContain("Answered: The cache uses SQLite in WAL mode");
    expect(recorded.source.messageId).toBe(recorded.key.split("/")[2]);
  });

  it("memory_forget deletes a memory and its links", async () => {
    expect(await callTool("memory_forget", { key: "decision/cache-db" })).toBe(
      "Forgot [project] decision/cache-db and its links.",
    );
    expect(await store.get({ key: "decision/cache-db" })).toBeUndefined();
    expect((await store.get({ scope: "global", key: "user/style" }))?.links).toEqual([]);
    expect(await callTool("memory_forget", { key: "decision/cache-db" })).toContain("nothing was deleted");
  });
});
