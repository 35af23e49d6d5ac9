import type { MemoryLevels, MemoryTrust } from "./provenance.js";

/** Where a memory lives: `project` memories belong to the store's project, `global` ones to every project. */
export type MemoryScope = "project" | "global";

/** The backends {@link openMemoryStore} can open. */
export type MemoryBackend = "embedded" | "neo4j";

/** Names one memory: its scope (default `project`) and its key. */
export interface MemoryRef {
  /** Scope of the memory; `project` when omitted. */
  scope?: MemoryScope;
  /** Key of the memory, unique within its scope. */
  key: string;
}

/**
 * Where a memory came from (its provenance). Every field is optional on input; see
 * {@link MemoryProvenance} for how a stored memory reports it.
 */
export interface MemorySource {
  /** OpenCode session id that produced the memory. */
  sessionId?: string;
  /** Worker id (for example `coder-2`) that produced the memory. */
  workerId?: string;
  /** OpenCode message id that produced the memory. */
  messageId?: string;
  /** Profile of the worker that produced the memory (for example `reviewer`). */
  profile?: string;
  /**
   * `trusted` only for the user's own session; `untrusted` (the default) for workers and anything
   * else. A trusted source has {@link FULL_LEVELS}: giving other `levels` is refused.
   */
  trust?: MemoryTrust;
  /**
   * The source's permission levels when it wrote the memory. Omitted: unknown, ranked lowest
   * (every category `none`), so such a memory reaches only sessions that are as restricted.
   */
  levels?: MemoryLevels;
}

/** The provenance of a stored memory: `trust` is always set (`untrusted` when none was recorded). */
export interface MemoryProvenance extends MemorySource {
  trust: MemoryTrust;
}

/** A typed, directed link between two memories. */
export interface MemoryLink {
  /** Link type, lower-case, for example `relates_to`, `supersedes`, `derived_from`. */
  type: string;
  /** The memory the link starts from. */
  from: Required<MemoryRef>;
  /** The memory the link points to. */
  to: Required<MemoryRef>;
  /** When the link was first made, ISO 8601. */
  createdAt: string;
}

/** One stored memory. */
export interface Memory {
  /** `project` or `global`. */
  scope: MemoryScope;
  /** Key, unique within the scope (and project, for `project` memories). */
  key: string;
  /** The remembered text. */
  value: string;
  /** Lower-case tags, sorted, without duplicates. */
  tags: string[];
  /** Where it came from; memories stored without provenance read back as `{ trust: "untrusted" }`. */
  source: MemoryProvenance;
  /** First `put`, ISO 8601. */
  createdAt: string;
  /** Last `put`, ISO 8601. */
  updatedAt: string;
  /** Links from and to this memory (both directions; `from`/`to` tell which). */
  links: MemoryLink[];
}

/** A search result: the memory and its relevance (higher is better; comparable within one result list only). */
export interface MemorySearchHit extends Memory {
  /** Relevance score, higher is better. */
  score: number;
}

/** Input of {@link MemoryStore.put}. */
export interface PutMemoryInput {
  /** Scope; the store's default scope (normally `project`) when omitted. */
  scope?: MemoryScope;
  /** Key: 1–200 characters of letters, digits and `_ . : / @ # + -`, starting with a letter, digit or `_`. */
  key: string;
  /** The text to remember; at most `maxValueChars` characters. */
  value: string;
  /** Up to 32 tags of 1–64 characters (letters, digits, `_ . : / -`); stored lower-case. */
  tags?: readonly string[];
  /** Where it came from. */
  source?: MemorySource;
}

/** Filters shared by {@link MemoryStore.search} and {@link MemoryStore.recent}. */
export interface MemoryQueryOptions {
  /** `project`, `global`, or `all` (the default: this project's memories and global ones). */
  scope?: MemoryScope | "all";
  /** Only memories that carry every one of these tags. */
  tags?: readonly string[];
  /** Most results (1–1000, default 10). */
  limit?: number;
  /**
   * The permission levels of the session that will read the results. When set, only memories that
   * may reach it are returned: those whose source is at least as permitted in every category
   * (`mayReach`), trusted ones included; memories of unknown levels only for a reader at `none` everywhere.
   */
  readableBy?: MemoryLevels;
}

/**
 * The memory contract, the same on every backend.
 *
 * Memories are identified by scope + key; `put` upserts. Every method is async and throws
 * {@link MemoryError} on bad input or an unusable store, leaving stored data unchanged.
 */
export interface MemoryStore {
  /** Which backend this is. */
  readonly backend: MemoryBackend;
  /** The project `project`-scoped memories belong to. */
  readonly project: string;
  /** Create or replace the memory at scope + key. `createdAt` and links survive a replace. */
  put(input: PutMemoryInput): Promise<Memory>;
  /**
   * Upsert many memories in one transaction (embedded) or one query (Neo4j), for imports and bulk
   * loads: every input is validated first, and one bad input rejects the whole batch (nothing is
   * written). Later inputs win over earlier ones with the same scope + key. Resolves the count.
   */
  putMany(inputs: readonly PutMemoryInput[]): Promise<number>;
  /** The memory at scope + key with its links, or `undefined`. */
  get(ref: MemoryRef): Promise<Memory | undefined>;
  /** Link two existing memories with a typed link (idempotent). Throws `MEMORY_NOT_FOUND` if either is missing. */
  link(from: MemoryRef, to: MemoryRef, type: string): Promise<MemoryLink>;
  /** Full-text search over key, value and tags, best match first. Any word may match. */
  search(query: string, options?: MemoryQueryOptions): Promise<MemorySearchHit[]>;
  /** The most recently updated memories, newest first. */
  recent(options?: MemoryQueryOptions): Promise<Memory[]>;
  /** Delete a memory and its links. Resolves `true` if it existed. */
  forget(ref: MemoryRef): Promise<boolean>;
  /** Release the store (database handle or driver). Further calls throw `MEMORY_CLOSED`. */
  close(): Promise<void>;
}
