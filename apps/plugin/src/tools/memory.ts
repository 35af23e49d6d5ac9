import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import { type Memory, type MemoryLink, quoteJson, recordSource } from "@orchestra/memory";
import type { Activity } from "../activity.js";
import { type MemoryAccess, sourceOf } from "../memory.js";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

const scopeArg = z
  .enum(["project", "global"])
  .optional()
  .describe("project (this worktree, the default) or global (every project).");
const keyArg = z
  .string()
  .describe(
    "Key, unique within its scope: letters, digits and _ . : / @ # + - (e.g. decision/cache-db), at most 200 characters.",
  );
const filterScopeArg = z
  .enum(["project", "global", "all"])
  .optional()
  .describe("project, global, or all (default: this project's memories and global ones).");
const tagsFilterArg = z
  .array(z.string())
  .optional()
  .describe("Only memories carrying every one of these tags.");
const limitArg = z.number().int().min(1).max(100).optional().describe("Most results (default 10).");

/** Provenance as the tools show it: `user, trusted`, `worker w (profile p), untrusted`, `unknown source, untrusted`. */
function fromLine(m: Memory): string {
  const from = recordSource(m.source);
  if (from.trust === "trusted") return "from the user's session, trusted";
  if (from.source === "unknown") return "unknown source, untrusted";
  const who = [from.worker && `worker ${from.worker}`, from.profile && `profile ${from.profile}`].filter(
    Boolean,
  );
  return `from ${who.join(", ")}, untrusted`;
}

/**
 * One `- [scope] key #tags (updated; provenance): "value"` line; the value is a quoted JSON string
 * (it is data, whoever wrote it).
 */
function memoryLine(m: Memory, valueChars = 300): string {
  const tags = m.tags.length > 0 ? ` ${m.tags.map((t) => `#${t}`).join(" ")}` : "";
  const value = m.value.replace(/\s+/g, " ").trim();
  const shown = value.length <= valueChars ? value : `${value.slice(0, valueChars - 1)}…`;
  return `- [${m.scope}] ${m.key}${tags} (${m.updatedAt}; ${fromLine(m)}): ${quoteJson(shown)}`;
}

function linkLine(l: MemoryLink): string {
  return `[${l.from.scope}] ${l.from.key} -${l.type}-> [${l.to.scope}] ${l.to.key}`;
}

/**
 * The memory tools: put, link, search, recent, forget. `memory_put` records the caller's
 * provenance; `memory_search` and `memory_recent` list only memories that may reach the calling
 * session (unless `memory.allowRestrictedSources`), each with its provenance.
 */
export function memoryTools(memory: MemoryAccess, activity: Activity): Record<string, ToolDefinition> {
  return {
    memory_put: tool({
      description:
        "Remember a fact, decision or summary across sessions (upsert by scope + key). Use when you learn something a later session should know: a decision and its reason, a convention, where something lives. Never store secrets (API keys, tokens, passwords): store where they are kept instead.",
      args: {
        key: keyArg,
        value: z.string().describe("The text to remember, self-contained (default limit 20 000 characters)."),
        tags: z
          .array(z.string())
          .optional()
          .describe("Tags such as decision, convention, bug (letters, digits, _ . : / -)."),
        scope: scopeArg,
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const store = await memory.store();
          const stored = await store.put({
            key: args.key,
            value: args.value,
            ...(args.tags === undefined ? {} : { tags: args.tags }),
            ...(args.scope === undefined ? {} : { scope: args.scope }),
            source: sourceOf(memory.identify(ctx.sessionID), {
              sessionId: ctx.sessionID,
              messageId: ctx.messageID,
            }),
          });
          activity.log("memory", `put [${stored.scope}] ${stored.key}`);
          const replaced = stored.createdAt !== stored.updatedAt;
          return respond(
            args.format,
            stored,
            () =>
              `${replaced ? "Updated" : "Remembered"} [${stored.scope}] ${stored.key} (${stored.value.length} characters${stored.tags.length > 0 ? `, tags ${stored.tags.join(", ")}` : ""}).`,
          );
        }),
    }),

    memory_link: tool({
      description:
        "Link two stored memories with a typed, directed link (e.g. supersedes, relates_to, derived_from, caused_by). Use when one memory explains, replaces or depends on another. Both must exist.",
      args: {
        fromKey: z.string().describe("Key of the memory the link starts from."),
        toKey: z.string().describe("Key of the memory the link points to."),
        type: z.string().describe("Link type: lower-case letters, digits and _, e.g. supersedes."),
        fromScope: scopeArg,
        toScope: scopeArg,
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const store = await memory.store();
          const link = await store.link(
            { key: args.fromKey, ...(args.fromScope === undefined ? {} : { scope: args.fromScope }) },
            { key: args.toKey, ...(args.toScope === undefined ? {} : { scope: args.toScope }) },
            args.type,
          );
          activity.log("memory", `link ${linkLine(link)}`);
          return respond(args.format, link, () => `Linked ${linkLine(link)}.`);
        }),
    }),

    memory_search: tool({
      description:
        "Search remembered facts, decisions and summaries by words (full text over key, value and tags, best match first). Use before deciding something that earlier sessions may have settled, or when the user refers to past work.",
      args: {
        query: z.string().min(1).describe("Words to look for; any word may match."),
        scope: filterScopeArg,
        tags: tagsFilterArg,
        limit: limitArg,
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const store = await memory.store();
          const hits = await store.search(args.query, {
            ...memory.readableBy(ctx.sessionID),
            ...(args.scope === undefined ? {} : { scope: args.scope }),
            ...(args.tags === undefined ? {} : { tags: args.tags }),
            ...(args.limit === undefined ? {} : { limit: args.limit }),
          });
          return respond(args.format, hits, () =>
            hits.length === 0
              ? `No memory matches ${JSON.stringify(args.query)}. Try other words, or memory_recent to see the latest.`
              : `${hits.length} memor${hits.length === 1 ? "y" : "ies"}, best first:\n${hits.map((h) => memoryLine(h)).join("\n")}`,
          );
        }),
    }),

    memory_recent: tool({
      description:
        "List the most recently stored or updated memories, newest first. Use at the start of a task to see what was remembered lately, or with tags (e.g. auto) to see recorded turn summaries.",
      args: { scope: filterScopeArg, tags: tagsFilterArg, limit: limitArg, format: formatArg },
      execute: (args, ctx) =>
        guarded(async () => {
          const store = await memory.store();
          const latest = await store.recent({
            ...memory.readableBy(ctx.sessionID),
            ...(args.scope === undefined ? {} : { scope: args.scope }),
            ...(args.tags === undefined ? {} : { tags: args.tags }),
            ...(args.limit === undefined ? {} : { limit: args.limit }),
          });
          return respond(args.format, latest, () =>
            latest.length === 0
              ? "No memories yet. Store one with memory_put."
              : `${latest.length} most recent:\n${latest.map((m) => memoryLine(m)).join("\n")}`,
          );
        }),
    }),

    memory_forget: tool({
      description:
        "Delete one memory and its links. Use when a remembered fact is wrong or obsolete (or store the correction with memory_put under the same key instead).",
      args: { key: keyArg, scope: scopeArg, format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const store = await memory.store();
          const scope = args.scope ?? memory.config.scope;
          const existed = await store.forget({ key: args.key, scope });
          if (existed) activity.log("memory", `forgot [${scope}] ${args.key}`);
          return respond(args.format, { key: args.key, scope, forgotten: existed }, () =>
            existed
              ? `Forgot [${scope}] ${args.key} and its links.`
              : `No memory [${scope}] ${args.key}; nothing was deleted. memory_search or memory_recent show the keys that exist.`,
          );
        }),
    }),
  };
}
