import type { ToolReferences } from "./reference.js";

const MEMORY =
  '{ scope: "project" | "global"; key: string; value: string; tags: string[]; source: object; createdAt: string; updatedAt: string }';

/** Reference entries of the memory tools (memory.ts). */
export const MEMORY_TOOL_REFERENCE: ToolReferences = {
  memory_put: {
    category: "memory",
    returns: `Memory ${MEMORY}. Text: remembered or updated, with its length and tags.`,
    example: {
      args: { key: "decision/cache-db", value: "We cache in SQLite: no server to run.", tags: ["decision"] },
      output: "Remembered [project] decision/cache-db (37 characters, tags decision).",
    },
    errors: {
      MEMORY_INVALID_KEY: "the key has other characters or is too long",
      MEMORY_INVALID_INPUT: "a tag has other characters",
      MEMORY_VALUE_TOO_LARGE: "the value passes `memory.maxValueChars`",
      MEMORY_SECRET_DETECTED: "the value looks like a secret (API key, token, password)",
      MEMORY_UNAVAILABLE: "memory is disabled or the store cannot be opened",
    },
  },
  memory_link: {
    category: "memory",
    returns:
      "{ from: { scope: string; key: string }; to: { scope: string; key: string }; type: string; createdAt: string }. Text: the link, `[scope] key -type-> [scope] key`.",
    example: {
      args: { fromKey: "decision/sqlite-wal", toKey: "decision/cache-db", type: "relates_to" },
      output: "Linked [project] decision/sqlite-wal -relates_to-> [project] decision/cache-db.",
    },
    errors: {
      MEMORY_NOT_FOUND: "one of the two memories does not exist",
      MEMORY_INVALID_INPUT: "the link type has other characters",
      MEMORY_UNAVAILABLE: "memory is disabled or the store cannot be opened",
    },
  },
  memory_search: {
    category: "memory",
    returns: `(Memory & { score: number })[] ${MEMORY}, best first. Text: one line per memory with its provenance and its value as quoted JSON.`,
    example: {
      args: { query: "cache" },
      output:
        '1 memory, best first:\n- [project] decision/cache-db #decision (2026-12-04T17:00:00.000Z; from the user\'s session, trusted): "We cache in SQLite: no server to run."',
    },
    errors: { MEMORY_UNAVAILABLE: "memory is disabled or the store cannot be opened" },
  },
  memory_recent: {
    category: "memory",
    returns: `Memory[] ${MEMORY}, newest first. Text: one line per memory.`,
    example: {
      args: { limit: 1 },
      output:
        '1 most recent:\n- [project] decision/cache-db #decision (2026-12-04T17:00:00.000Z; from the user\'s session, trusted): "We cache in SQLite: no server to run."',
    },
    errors: { MEMORY_UNAVAILABLE: "memory is disabled or the store cannot be opened" },
  },
  memory_forget: {
    category: "memory",
    returns:
      '{ key: string; scope: "project" | "global"; forgotten: boolean }. Text: forgotten, or that nothing was deleted.',
    example: {
      args: { key: "decision/cache-db" },
      output: "Forgot [project] decision/cache-db and its links.",
    },
    errors: {
      MEMORY_INVALID_KEY: "the key has other characters or is too long",
      MEMORY_UNAVAILABLE: "memory is disabled or the store cannot be opened",
    },
  },
};
