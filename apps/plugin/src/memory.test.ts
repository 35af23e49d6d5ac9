import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolContext } from "@opencode-ai/plugin";
import { orchestratorConfigSchema } from "@orchestra/config";
import { type MemoryStore, openMemoryStore } from "@orchestra/memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Activity } from "./activity.js";
import {
  MEMORY_CONTEXT_HEADER,
  MemoryAccess,
  type MemoryConfig,
  memoryHooks,
  memoryProject,
  type SessionMessage,
} from "./memory.js";
import { memoryTools } from "./tools/memory.js";

const FAKE_TOKEN = ["ghp", "_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"].join("");

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "orchestra-memory-unit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(memory: Record<string, unknown>): MemoryConfig {
  return orchestratorConfigSchema.parse({ memory }).memory;
}

const ctx = {
  sessionID: "ses_1",
  messageID: "msg_1",
  agent: "build",
  directory: "/p",
  worktree: "/p",
  abort: new AbortController().signal,
  metadata: () => undefined,
  ask: async () => undefined,
} satisfies ToolContext;

async function run(tools: ReturnType<typeof memoryTools>, name: string, args: Record<string, unknown>) {
  const def = tools[name];
  if (!def) throw new Error(`no tool ${name}`);
  return (def.execute as (a: unknown, c: ToolContext) => Promise<string>)(args, ctx);
}

function userMsg(id: string, text: string): SessionMessage {
  return { info: { id, role: "user" }, parts: [{ type: "text", text }] };
}
function assistantMsg(id: string, text: string): SessionMessage {
  return { info: { id, role: "assistant" }, parts: [{ type: "text", text }] };
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition never held");
}

describe("memory tools and hooks", () => {
  it("say memory is disabled and how to enable it, when memory.enabled is false", async () => {
    const access = new MemoryAccess(config({ enabled: false }), "/p");
    const tools = memoryTools(access, new Activity(), () => undefined);
    await expect(run(tools, "memory_put", { key: "a", value: "b" })).rejects.toThrow(
      /\[MEMORY_UNAVAILABLE\] Memory is disabled.*\n {2}hint: set "memory": \{ "enabled": true \}/s,
    );
    await expect(run(tools, "memory_recent", {})).rejects.toThrow(/memory\.enabled is false/);
  });

  it("name an unreachable store, and work once it is reachable (a failed open is not cached)", async () => {
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "x");
    const access = new MemoryAccess(config({ embedded: { path: join(blocker, "memory.db") } }), "/p");
    const tools = memoryTools(access, new Activity(), () => undefined);
    await expect(run(tools, "memory_recent", {})).rejects.toThrow(/\[MEMORY_UNAVAILABLE\]/);
    rmSync(blocker);
    mkdirSync(blocker);
    expect(await run(tools, "memory_recent", {})).toBe("No memories yet. Store one with memory_put.");
    await access.close();
    await expect(run(tools, "memory_recent", {})).rejects.toThrow(/\[MEMORY_CLOSED\]/);
  });

  it("fill the source from the tool context and the worker that owns the session", async () => {
    const access = new MemoryAccess(config({ embedded: { path: join(dir, "source.db") } }), "/p");
    const tools = memoryTools(access, new Activity(), (s) => (s === "ses_1" ? "coder" : undefined));
    const out = JSON.parse(await run(tools, "memory_put", { key: "k", value: "v", format: "json" })) as {
      source: unknown;
    };
    expect(out.source).toEqual({ sessionId: "ses_1", messageId: "msg_1", workerId: "coder" });
    await access.close();
  });

  describe("hooks", () => {
    let store: MemoryStore;
    let access: MemoryAccess;
    const path = () => join(dir, "hooks.db");
    const logs: string[] = [];
    let messages: SessionMessage[] = [];

    beforeAll(async () => {
      access = new MemoryAccess(
        config({ embedded: { path: path() }, inject: { maxChars: 300, maxEntries: 3 } }),
        "/p",
      );
      store = await openMemoryStore({ project: "/p", embedded: { path: path() } });
      for (let i = 0; i < 6; i++)
        await store.put({
          key: `note/${i}`,
          value: `Note ${i} about ${i === 2 ? "kafka topics" : "lunch"}.`,
        });
    });
    afterAll(async () => {
      await store.close();
      await access.close();
    });

    const hooks = () =>
      memoryHooks(access, {
        messages: async () => messages,
        workerOf: (s) => (s === "ses_w" ? "docs" : undefined),
        log: (line) => logs.push(line),
      });

    it("inject the best matches of the first user text, then recent ones, within the budget", async () => {
      const h = hooks();
      await h["chat.message"](
        { sessionID: "ses_a" },
        { message: {} as never, parts: [{ type: "text", text: "how are kafka topics named?" }] as never },
      );
      const output = { system: ["base"] };
      await h["experimental.chat.system.transform"]({ sessionID: "ses_a", model: {} as never }, output);
      expect(output.system[0]).toBe("base");
      const block = output.system[1] ?? "";
      expect(
        block.startsWith(`${MEMORY_CONTEXT_HEADER}\n- [project] note/2: Note 2 about kafka topics.`),
      ).toBe(true);
      expect(block.split("\n")).toHaveLength(4); // header + maxEntries 3
      expect(block.length).toBeLessThanOrEqual(300);
      // The same block on every later request of the session, even after new memories.
      await store.put({ key: "note/late", value: "kafka late" });
      const again = { system: [] as string[] };
      await h["experimental.chat.system.transform"]({ sessionID: "ses_a", model: {} as never }, again);
      expect(again.system).toEqual([block]);
    });

    it("inject nothing when autoInject is false", async () => {
      const off = new MemoryAccess(config({ embedded: { path: path() }, autoInject: false }), "/p");
      const h = memoryHooks(off, {
        messages: async () => [],
        workerOf: () => undefined,
        log: () => undefined,
      });
      const output = { system: [] as string[] };
      await h["experimental.chat.system.transform"]({ sessionID: "ses_b", model: {} as never }, output);
      expect(output.system).toEqual([]);
      await off.close();
    });

    it("record a finished turn under turn/<session>/<message>, tagged with the worker", async () => {
      messages = [userMsg("msg_u", "Which queue?"), assistantMsg("msg_a", "  We use   Kafka.  ")];
      await hooks().event({ event: { type: "session.idle", properties: { sessionID: "ses_w" } } });
      const m = await until(() => store.get({ key: "turn/ses_w/msg_a" }));
      expect(m.value).toBe("Asked: Which queue? Answered: We use Kafka.");
      expect(m.tags).toEqual(["auto", "turn", "worker:docs"]);
      expect(m.source).toEqual({ sessionId: "ses_w", messageId: "msg_a", workerId: "docs" });
    });

    it("skip a turn that looks like it holds a secret, quietly, with a log line", async () => {
      messages = [userMsg("msg_u2", "token?"), assistantMsg("msg_s", `It is ${FAKE_TOKEN}`)];
      await hooks().event({ event: { type: "session.idle", properties: { sessionID: "ses_s" } } });
      await until(async () => (logs.some((l) => l.includes("turn/ses_s/msg_s")) ? true : undefined));
      expect(logs.find((l) => l.includes("turn/ses_s/msg_s"))).toMatch(/not recorded: .*secret/);
      expect(logs.join("\n")).not.toContain(FAKE_TOKEN);
      expect(await store.get({ key: "turn/ses_s/msg_s" })).toBeUndefined();
    });

    it("record nothing when autoRecord is false", async () => {
      const off = new MemoryAccess(config({ embedded: { path: path() }, autoRecord: false }), "/p");
      messages = [userMsg("msg_u3", "hi"), assistantMsg("msg_off", "hello")];
      const h = memoryHooks(off, {
        messages: async () => messages,
        workerOf: () => undefined,
        log: () => undefined,
      });
      await h.event({ event: { type: "session.idle", properties: { sessionID: "ses_off" } } });
      expect(await store.get({ key: "turn/ses_off/msg_off" })).toBeUndefined();
      await off.close();
    });
  });

  it("uses the worktree as the project, or the directory outside a repository", () => {
    expect(memoryProject({ worktree: "/repo", directory: "/repo/sub" })).toBe("/repo");
    expect(memoryProject({ worktree: "/", directory: "/tmp/x" })).toBe("/tmp/x");
  });
});
