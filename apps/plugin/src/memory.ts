import type { Hooks } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";
import {
  findSecrets,
  formatMemoryContext,
  type Memory,
  MemoryError,
  type MemoryStore,
  openMemoryStore,
} from "@orchestra/memory";

/** The config's `memory` section. */
export type MemoryConfig = OrchestratorConfig["memory"];

/** How to turn memory on, shown whenever a memory tool is called while it is off. */
export const ENABLE_MEMORY_HINT =
  'set "memory": { "enabled": true } in .opencode/orchestrator.json (or ~/.config/opencode/orchestrator.json) and restart OpenCode';

/** Tag of the turn summaries auto-recording writes. */
export const AUTO_TAG = "auto";

/** Longest turn summary auto-recording writes (before the store's own `maxValueChars`). */
const SUMMARY_CHARS = 2_000;

/**
 * The plugin instance's memory store: opened lazily on first use (with `project` = the worktree),
 * shared by the tools and the hooks, closed on dispose. A failed open is not cached: the next
 * call tries again (a store that was unreachable may be back).
 */
export class MemoryAccess {
  readonly config: MemoryConfig;
  readonly project: string;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private opening: Promise<MemoryStore> | undefined;
  private closed = false;

  constructor(
    config: MemoryConfig,
    project: string,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.config = config;
    this.project = project;
    this.env = env;
  }

  /** True when `memory.enabled` is on. */
  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The open store; throws `MEMORY_UNAVAILABLE` (with how to enable it) when memory is disabled. */
  store(): Promise<MemoryStore> {
    if (!this.enabled) {
      return Promise.reject(
        new MemoryError(
          "MEMORY_UNAVAILABLE",
          "Memory is disabled in this project (memory.enabled is false).",
          {
            hints: [ENABLE_MEMORY_HINT],
          },
        ),
      );
    }
    if (this.closed) {
      return Promise.reject(
        new MemoryError("MEMORY_CLOSED", "The memory store was closed because OpenCode is shutting down.", {
          hints: ["restart OpenCode"],
        }),
      );
    }
    if (!this.opening) {
      const { neo4j, embedded, scope, maxValueChars } = this.config;
      this.opening = openMemoryStore(
        {
          project: this.project,
          scope,
          maxValueChars,
          ...(embedded.path === undefined ? {} : { embedded: { path: embedded.path } }),
          ...(neo4j === undefined ? {} : { neo4j }),
        },
        this.env,
      );
      this.opening.catch(() => {
        this.opening = undefined;
      });
    }
    return this.opening;
  }

  /** Close the store if it was opened. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const store = await opening.catch(() => undefined);
    await store?.close();
  }
}

/** What the memory hooks need from the host. */
export interface MemoryHookDeps {
  /** Read a session's messages (the host's OpenCode client). */
  messages(sessionID: string): Promise<readonly SessionMessage[]>;
  /** The worker a session belongs to, if any (tags and source of auto-recorded turns). */
  workerOf(sessionID: string): string | undefined;
  /** One log line (the activity log). */
  log(line: string): void;
}

/** The parts of an OpenCode message the hooks read. */
export interface SessionMessage {
  info: { id: string; role: string; time?: { completed?: number } };
  parts: readonly { type: string; text?: string; synthetic?: boolean }[];
}

/** The hooks that inject memories and record turns. */
export interface MemoryHooks {
  "chat.message": NonNullable<Hooks["chat.message"]>;
  "experimental.chat.system.transform": NonNullable<Hooks["experimental.chat.system.transform"]>;
  event: NonNullable<Hooks["event"]>;
}

function textOf(parts: readonly { type: string; text?: string; synthetic?: boolean }[]): string {
  return parts
    .filter((p) => p.type === "text" && typeof p.text === "string" && p.synthetic !== true)
    .map((p) => p.text ?? "")
    .join("\n")
    .trim();
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The header of the injected memory block. */
export const MEMORY_CONTEXT_HEADER = "## Orchestra memory (facts remembered from earlier sessions)";

/** Memories for a session's context: best matches of its first user text, then the most recent. */
export async function memoryContextFor(
  store: MemoryStore,
  config: MemoryConfig,
  firstUserText: string | undefined,
): Promise<string> {
  const { maxChars, maxEntries, includeGlobal } = config.inject;
  if (maxChars <= 0 || maxEntries <= 0) return "";
  const scope = includeGlobal ? "all" : "project";
  const picked = new Map<string, Memory>();
  const query = firstUserText?.trim();
  if (query) {
    for (const m of await store.search(query.slice(0, 500), { scope, limit: maxEntries }).catch(() => [])) {
      picked.set(`${m.scope}:${m.key}`, m);
    }
  }
  if (picked.size < maxEntries) {
    for (const m of await store.recent({ scope, limit: maxEntries })) {
      if (picked.size >= maxEntries) break;
      picked.set(`${m.scope}:${m.key}`, m);
    }
  }
  const header = `${MEMORY_CONTEXT_HEADER}\n`;
  const context = formatMemoryContext([...picked.values()], {
    maxChars: Math.max(0, maxChars - header.length),
    maxEntries,
  });
  return context.text === "" ? "" : header + context.text;
}

/**
 * Injection and auto-recording:
 * - `chat.message` remembers each session's user text until its first model request;
 * - `experimental.chat.system.transform` computes the session's memory block once, on its first
 *   model request, and appends it to every request of the session (a stable system prompt);
 * - `event` records a summary of each finished turn (`session.idle`) under `turn/<session>/<message>`.
 */
export function memoryHooks(access: MemoryAccess, deps: MemoryHookDeps): MemoryHooks {
  const firstText = new Map<string, string>();
  const injected = new Map<string, Promise<string>>();
  const recorded = new Set<string>();
  const queues = new Map<string, Promise<void>>();

  const record = async (sessionID: string): Promise<void> => {
    const messages = await deps.messages(sessionID);
    const lastAssistant = [...messages].reverse().find((m) => m.info.role === "assistant");
    if (!lastAssistant) return;
    const key = `turn/${sessionID}/${lastAssistant.info.id}`;
    if (recorded.has(key)) return;
    const answer = textOf(lastAssistant.parts);
    if (answer === "") return;
    const index = messages.indexOf(lastAssistant);
    const lastUser = messages
      .slice(0, index)
      .reverse()
      .find((m) => m.info.role === "user");
    const asked = lastUser ? textOf(lastUser.parts) : "";
    const room = Math.min(SUMMARY_CHARS, access.config.maxValueChars);
    const summary = clip(`${asked ? `Asked: ${clip(asked, 400)}\n` : ""}Answered: ${answer}`, room);
    const worker = deps.workerOf(sessionID);
    recorded.add(key);
    if (recorded.size > 10_000) recorded.delete(recorded.values().next().value ?? key);
    if (findSecrets(summary).length > 0) {
      deps.log(`memory: turn ${key} not recorded: it looks like it contains a secret`);
      return;
    }
    const store = await access.store();
    await store.put({
      key,
      value: summary,
      tags: worker === undefined ? [AUTO_TAG, "turn"] : [AUTO_TAG, "turn", `worker:${worker}`],
      source: {
        sessionId: sessionID,
        messageId: lastAssistant.info.id,
        ...(worker === undefined ? {} : { workerId: worker }),
      },
    });
  };

  return {
    "chat.message": async (input, output) => {
      // The latest user text before the session's first model request (a worker's noReply system
      // prompt is followed by its task, and the task is what to search for).
      if (!access.enabled || injected.has(input.sessionID)) return;
      const text = textOf(output.parts as SessionMessage["parts"]);
      if (text !== "") firstText.set(input.sessionID, text);
    },
    "experimental.chat.system.transform": async (input, output) => {
      if (!access.enabled || !access.config.autoInject || input.sessionID === undefined) return;
      const sessionID = input.sessionID;
      let block = injected.get(sessionID);
      if (!block) {
        const query = firstText.get(sessionID);
        firstText.delete(sessionID);
        block = access
          .store()
          .then((store) => memoryContextFor(store, access.config, query))
          .catch((error: unknown) => {
            deps.log(`memory: nothing injected into ${sessionID}: ${describe(error)}`);
            return "";
          });
        injected.set(sessionID, block);
      }
      const text = await block;
      if (text !== "") output.system.push(text);
    },
    event: async ({ event }) => {
      if (!access.enabled || !access.config.autoRecord) return;
      const idle =
        event.type === "session.idle" ||
        (event.type === "session.status" && event.properties.status.type === "idle");
      if (!idle) return;
      const sessionID = event.properties.sessionID;
      // Not awaited: reading the session and writing the store must not hold up OpenCode's events.
      // One recording at a time per session (`session.idle` and `session.status` both announce a turn).
      const next = (queues.get(sessionID) ?? Promise.resolve())
        .then(() => record(sessionID))
        .catch((error: unknown) => deps.log(`memory: turn of ${sessionID} not recorded: ${describe(error)}`))
        .finally(() => {
          if (queues.get(sessionID) === next) queues.delete(sessionID);
        });
      queues.set(sessionID, next);
    },
  };
}

function describe(error: unknown): string {
  if (MemoryError.isInstance(error)) return `[${error.code}] ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The id of the session worker that owns `sessionID`, if any. */
export function sessionWorker(
  orchestra: { pool: { list(): readonly { id: string; kind: string; sessionId?: string }[] } },
  sessionID: string,
): string | undefined {
  return orchestra.pool.list().find((w) => w.kind === "session" && w.sessionId === sessionID)?.id;
}

/** The project memories belong to: the worktree, or the directory when there is no repository. */
export function memoryProject(input: { worktree: string; directory: string }): string {
  return input.worktree && input.worktree !== "/" ? input.worktree : input.directory;
}
