import Database from "libsql";
import { backendError } from "./embedded-errors.js";
import { iso, type LinkRow, levelFilter, MEMORY_COLUMNS, type MemoryRow, toMemory } from "./embedded-rows.js";
import { migrate } from "./embedded-schema.js";
import { MemoryError } from "./memory-error.js";
import {
  monotonicClock,
  type NormalizedPut,
  type NormalizedQuery,
  normalizeBatch,
  normalizeLinkType,
  normalizeMaxValueChars,
  normalizePut,
  normalizeQuery,
  normalizeRef,
  normalizeScope,
} from "./memory-input.js";
import type {
  Memory,
  MemoryLink,
  MemoryQueryOptions,
  MemoryRef,
  MemoryScope,
  MemorySearchHit,
  MemoryStore,
  PutMemoryInput,
} from "./memory-store.js";
import { createPrivately, restrictModes } from "./private-file.js";
import { indexText, queryTerms } from "./search-text.js";

/** Options of {@link openEmbeddedStore}. */
export interface EmbeddedStoreOptions {
  /** Database file (created with its folder if missing), or `:memory:` for a private in-memory store. */
  path: string;
  /** The project `project`-scoped memories belong to (for example the worktree path). */
  project: string;
  /** Scope of `put`/`get`/`link`/`forget` when a call omits it (default `project`). */
  defaultScope?: MemoryScope;
  /** Longest accepted value, in characters (default 20 000). */
  maxValueChars?: number;
  /** How long a write waits for another process's write lock, in milliseconds (default 10 000). */
  busyTimeoutMs?: number;
}

// Column weights of bm25(): a match in the key counts most, then tags, then the value.
const RANK = "bm25(memory_fts, 4.0, 1.0, 2.0)";

/**
 * Most documents bm25 ranks for one query. Ranking costs a few microseconds per matching
 * document, so a query made only of very common words (in tens of thousands of memories) is
 * ranked within its CANDIDATE_CAP most recently created matches instead of all of them.
 */
const CANDIDATE_CAP = 1_000;

/** An FTS5 expression matching any of `terms` (letters and digits only, so quoting is safe). */
const anyOf = (terms: readonly string[]): string => terms.map((t) => `"${t}"`).join(" OR ");

/**
 * Open (creating if needed) the embedded store: one SQLite file through libSQL, with an FTS5
 * full-text index. WAL mode and a busy timeout let several processes (Node or Bun) read and
 * write the same file at once; each write is one `BEGIN IMMEDIATE` transaction.
 *
 * Throws `MEMORY_UNAVAILABLE` when the file cannot be opened or created.
 */
export function openEmbeddedStore(options: EmbeddedStoreOptions): MemoryStore {
  const defaultScope = normalizeScope(options.defaultScope, "project");
  const maxValueChars = normalizeMaxValueChars(options.maxValueChars);
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  const project = options.project;
  if (typeof project !== "string" || project.length === 0) {
    throw new MemoryError(
      "MEMORY_CONFIG_INVALID",
      "The embedded memory store needs a non-empty project id.",
      {
        hints: ["pass project: the project's worktree path"],
      },
    );
  }
  let db: Database.Database;
  try {
    if (options.path !== ":memory:") createPrivately(options.path);
    db = new Database(options.path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new MemoryError(
      "MEMORY_UNAVAILABLE",
      `Cannot open the memory database at ${options.path}: ${String((error as Error).message ?? error)}`,
      { cause: error, hints: ["check the path (memory.embedded.path) and that its folder is writable"] },
    );
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db);
    if (options.path !== ":memory:") restrictModes(options.path);
  } catch (error) {
    db.close();
    const mapped = backendError(error, "opening the database");
    throw mapped.code === "MEMORY_BACKEND_FAILED"
      ? new MemoryError(
          "MEMORY_UNAVAILABLE",
          `Cannot open the memory database at ${options.path}: ${mapped.message}`,
          {
            cause: error,
            hints: ["check that the path is a memory database (or a new file) and that it is writable"],
          },
        )
      : mapped;
  }

  const clock = monotonicClock();
  let closed = false;
  const stmt = {
    find: db.prepare(
      `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.scope = ? AND m.project = ? AND m.key = ?`,
    ),
    findId: db.prepare("SELECT id FROM memories WHERE scope = ? AND project = ? AND key = ?"),
    upsert: db.prepare(
      `INSERT INTO memories (scope, project, key, value, tags, source_session, source_worker, source_message,
         source_profile, source_trust, source_filesystem, source_execution, source_network, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, project, key) DO UPDATE SET
         value = excluded.value, tags = excluded.tags, source_session = excluded.source_session,
         source_worker = excluded.source_worker, source_message = excluded.source_message,
         source_profile = excluded.source_profile, source_trust = excluded.source_trust,
         source_filesystem = excluded.source_filesystem, source_execution = excluded.source_execution,
         source_network = excluded.source_network, updated_at = excluded.updated_at
       RETURNING id`,
    ),
    ftsDelete: db.prepare("DELETE FROM memory_fts WHERE rowid = ?"),
    ftsInsert: db.prepare(
      "INSERT INTO memory_fts (rowid, key_text, value_text, tags_text) VALUES (?, ?, ?, ?)",
    ),
    tagsDelete: db.prepare("DELETE FROM memory_tags WHERE memory_id = ?"),
    tagInsert: db.prepare("INSERT INTO memory_tags (tag, memory_id) VALUES (?, ?)"),
    linkInsert: db.prepare(
      "INSERT INTO memory_links (from_id, to_id, type, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    linkGet: db.prepare("SELECT created_at FROM memory_links WHERE from_id = ? AND to_id = ? AND type = ?"),
    delete: db.prepare("DELETE FROM memories WHERE id = ?"),
    df: db.prepare("SELECT doc FROM memory_fts_vocab WHERE term = ?"),
    floor: db.prepare(
      "SELECT rowid AS id FROM memory_fts WHERE memory_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
    ),
    ranked: db.prepare(
      `SELECT rowid AS id, -${RANK} AS score FROM memory_fts WHERE memory_fts MATCH ? AND rowid >= ? ORDER BY ${RANK} LIMIT ?`,
    ),
  };

  const ensureOpen = (): void => {
    if (closed) {
      throw new MemoryError("MEMORY_CLOSED", "This memory store was closed.", {
        hints: ["open a new store with openMemoryStore()"],
      });
    }
  };
  const ns = (scope: MemoryScope): string => (scope === "project" ? project : "");

  const write = <T>(doing: string, fn: () => T): T => {
    ensureOpen();
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw backendError(error, doing);
    }
    try {
      const result = fn();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw backendError(error, doing);
    }
  };
  const read = <T>(doing: string, fn: () => T): T => {
    ensureOpen();
    try {
      return fn();
    } catch (error) {
      throw backendError(error, doing);
    }
  };

  const linksOf = (ids: readonly number[]): Map<number, MemoryLink[]> => {
    const byId = new Map<number, MemoryLink[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const marks = ids.map(() => "?").join(", ");
    const rows = db
      .prepare(
        `SELECT l.from_id, l.to_id, l.type, l.created_at, f.scope AS from_scope, f.key AS from_key, t.scope AS to_scope, t.key AS to_key
         FROM memory_links l JOIN memories f ON f.id = l.from_id JOIN memories t ON t.id = l.to_id
         WHERE l.from_id IN (${marks}) OR l.to_id IN (${marks})
         ORDER BY l.created_at, l.type`,
      )
      .all(...ids, ...ids) as LinkRow[];
    for (const r of rows) {
      const link: MemoryLink = {
        type: r.type,
        from: { scope: r.from_scope, key: r.from_key },
        to: { scope: r.to_scope, key: r.to_key },
        createdAt: iso(r.created_at),
      };
      byId.get(r.from_id)?.push(link);
      if (r.to_id !== r.from_id) byId.get(r.to_id)?.push(link);
    }
    return byId;
  };
  const withLinks = (rows: readonly MemoryRow[]): Memory[] => {
    const links = linksOf(rows.map((r) => r.id));
    return rows.map((r) => toMemory(r, links.get(r.id) ?? []));
  };
  /** `scope`/`project` pairs a query covers: `all` is this project's memories plus global ones. */
  const scopesOf = (q: NormalizedQuery): [MemoryScope, string][] =>
    q.scope === "all"
      ? [
          ["project", project],
          ["global", ""],
        ]
      : [[q.scope, ns(q.scope)]];
  const tagFilter = (q: NormalizedQuery): { sql: string; params: (string | number)[] } => {
    const levels = levelFilter(q);
    return q.tags.length === 0
      ? levels
      : {
          // Checked per candidate row through the (tag, memory_id) primary key.
          sql: `${levels.sql} AND (SELECT count(*) FROM memory_tags t WHERE t.memory_id = m.id AND t.tag IN (${q.tags.map(() => "?").join(", ")})) = ?`,
          params: [...levels.params, ...q.tags, q.tags.length],
        };
  };

  /**
   * Rank the memories matching `expr` by bm25, keep those passing the filters, best first.
   * Asks FTS5 for a few more ids than needed and widens until enough pass or none are left.
   */
  const rankFiltered = (
    expr: string,
    floorId: number,
    q: NormalizedQuery,
    exclude: ReadonlySet<number>,
  ): { row: MemoryRow; score: number }[] => {
    const scopes = scopesOf(q);
    const tags = tagFilter(q);
    // Tags are indexed too: requiring them inside FTS5 keeps untagged candidates out of the
    // ranking. The exact check (memory_tags) still runs on every row below.
    const tagTerms = q.tags.map(indexText).filter((t) => t.length > 0);
    const match =
      tagTerms.length === 0 ? expr : `(${expr}) ${tagTerms.map((t) => `AND tags_text : "${t}"`).join(" ")}`;
    const scopeSql = scopes.map(() => "(m.scope = ? AND m.project = ?)").join(" OR ");
    const fetch = db.prepare(
      // CROSS JOIN pins the plan: look the ranked ids up by primary key, never scan a scope index.
      `SELECT ${MEMORY_COLUMNS} FROM json_each(?) AS j CROSS JOIN memories m ON m.id = j.value WHERE (${scopeSql})${tags.sql}`,
    );
    for (let k = q.limit * 4 + 40; ; k *= 8) {
      const ranked = (stmt.ranked.all(match, floorId, k) as { id: number; score: number }[]).filter(
        (r) => !exclude.has(r.id),
      );
      const rows = fetch.all(
        JSON.stringify(ranked.map((r) => r.id)),
        ...scopes.flat(),
        ...tags.params,
      ) as MemoryRow[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out: { row: MemoryRow; score: number }[] = [];
      for (const r of ranked) {
        const row = byId.get(r.id);
        if (row) out.push({ row, score: r.score });
        if (out.length === q.limit) return out;
      }
      if (ranked.length + exclude.size < k) return out; // FTS5 had no more matches
    }
  };
  /** The lowest rowid among the CANDIDATE_CAP most recent matches of `expr` (0 when fewer match). */
  const floorOf = (expr: string): number =>
    (stmt.floor.get(expr, CANDIDATE_CAP - 1) as { id: number } | undefined)?.id ?? 0;

  const searchRows = (terms: readonly string[], q: NormalizedQuery): { row: MemoryRow; score: number }[] => {
    // Rarest words first. Words are kept while their matches add up to at most CANDIDATE_CAP;
    // candidates must contain a kept word, and every word (common ones too) counts in the score.
    const byDf = terms
      .map((term) => ({ term, df: (stmt.df.get(term) as { doc: number } | undefined)?.doc ?? 0 }))
      .sort((a, b) => a.df - b.df);
    const kept: string[] = [];
    let matches = 0;
    for (const { term, df } of byDf) {
      if (kept.length > 0 && matches + df > CANDIDATE_CAP) break;
      kept.push(term);
      matches += df;
    }
    const dropped = byDf.slice(kept.length).map((x) => x.term);
    const expr = dropped.length === 0 ? anyOf(kept) : `(${anyOf(kept)}) AND (${anyOf(terms)})`;
    const hits = rankFiltered(expr, matches > CANDIDATE_CAP ? floorOf(expr) : 0, q, new Set());
    if (hits.length === q.limit || dropped.length === 0) return hits;
    // Too few: fill up with memories matching only the common words, ranked after the others.
    const onlyCommon = anyOf(dropped);
    const seen = new Set(hits.map((h) => h.row.id));
    const floorScore = hits.length > 0 ? Math.min(...hits.map((h) => h.score)) : Number.POSITIVE_INFINITY;
    const more = rankFiltered(onlyCommon, floorOf(onlyCommon), { ...q, limit: q.limit - hits.length }, seen);
    return [...hits, ...more.map((h) => ({ row: h.row, score: Math.min(h.score, floorScore) }))];
  };

  const idOf = (ref: Required<MemoryRef>): number | undefined =>
    (stmt.findId.get(ref.scope, ns(ref.scope), ref.key) as { id: number } | undefined)?.id;

  const upsert = (p: NormalizedPut, now: number): void => {
    const { id } = stmt.upsert.get(
      p.scope,
      ns(p.scope),
      p.key,
      p.value,
      JSON.stringify(p.tags),
      p.source.sessionId ?? null,
      p.source.workerId ?? null,
      p.source.messageId ?? null,
      p.source.profile ?? null,
      p.source.trust,
      p.source.levels?.filesystem ?? null,
      p.source.levels?.execution ?? null,
      p.source.levels?.network ?? null,
      now,
      now,
    ) as { id: number };
    stmt.ftsDelete.run(id);
    stmt.ftsInsert.run(id, indexText(p.key), indexText(p.value), p.tags.map(indexText).join(" "));
    stmt.tagsDelete.run(id);
    for (const tag of p.tags) stmt.tagInsert.run(tag, id);
  };

  const store: MemoryStore = {
    backend: "embedded",
    project,

    async put(input: PutMemoryInput): Promise<Memory> {
      const p = normalizePut(input, defaultScope, maxValueChars);
      const now = clock();
      return write(`storing memory ${JSON.stringify(p.key)}`, () => {
        upsert(p, now);
        const row = stmt.find.get(p.scope, ns(p.scope), p.key) as MemoryRow;
        return withLinks([row])[0] as Memory;
      });
    },

    async putMany(inputs: readonly PutMemoryInput[]): Promise<number> {
      const batch = normalizeBatch(inputs, defaultScope, maxValueChars);
      if (batch.length === 0) return 0;
      return write(`storing ${batch.length} memories`, () => {
        for (const p of batch) upsert(p, clock());
        return batch.length;
      });
    },

    async get(ref: MemoryRef): Promise<Memory | undefined> {
      const r = normalizeRef(ref, defaultScope);
      return read("reading a memory", () => {
        const row = stmt.find.get(r.scope, ns(r.scope), r.key) as MemoryRow | undefined;
        return row ? withLinks([row])[0] : undefined;
      });
    },

    async link(from: MemoryRef, to: MemoryRef, type: string): Promise<MemoryLink> {
      const a = normalizeRef(from, defaultScope);
      const b = normalizeRef(to, defaultScope);
      const t = normalizeLinkType(type);
      if (a.scope === b.scope && a.key === b.key) {
        throw new MemoryError(
          "MEMORY_INVALID_INPUT",
          `A memory cannot link to itself (${a.scope}:${a.key}).`,
          {
            hints: ["link two different memories"],
          },
        );
      }
      const now = clock();
      const createdAt = write("linking memories", () => {
        const fromId = idOf(a);
        const toId = idOf(b);
        const missing = [fromId === undefined ? a : undefined, toId === undefined ? b : undefined].filter(
          (m): m is Required<MemoryRef> => m !== undefined,
        );
        if (fromId === undefined || toId === undefined) {
          throw new MemoryError(
            "MEMORY_NOT_FOUND",
            `Cannot link: no memory ${missing.map((m) => `${m.scope}:${m.key}`).join(" or ")}.`,
            { hints: ["put() both memories before linking them"] },
          );
        }
        stmt.linkInsert.run(fromId, toId, t, now);
        return (stmt.linkGet.get(fromId, toId, t) as { created_at: number }).created_at;
      });
      return { type: t, from: a, to: b, createdAt: iso(createdAt) };
    },

    async search(query: string, options?: MemoryQueryOptions): Promise<MemorySearchHit[]> {
      if (typeof query !== "string") {
        throw new MemoryError("MEMORY_INVALID_INPUT", "search() takes a query string.", {
          hints: ["use recent() to list memories without a query"],
        });
      }
      const q = normalizeQuery(options);
      const terms = queryTerms(query);
      if (terms.length === 0) {
        throw new MemoryError("MEMORY_INVALID_INPUT", "The search query has no words to search for.", {
          hints: ["pass some words, or use recent() to list memories"],
        });
      }
      return read("searching memories", () => {
        const hits = searchRows(terms, q);
        const memories = withLinks(hits.map((h) => h.row));
        return memories.map((m, i) => ({ ...m, score: hits[i]?.score ?? 0 }));
      });
    },

    async recent(options?: MemoryQueryOptions): Promise<Memory[]> {
      const q = normalizeQuery(options);
      const scopes = scopesOf(q);
      const tags = tagFilter(q);
      // One index-ordered scan per scope (memories_scope_recent), merged: no sort of the whole table.
      const part = `SELECT * FROM (SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.scope = ? AND m.project = ?${tags.sql} ORDER BY m.updated_at DESC LIMIT ?)`;
      const params = scopes.flatMap(([scope, p]) => [scope, p, ...tags.params, q.limit]);
      return read("listing recent memories", () => {
        const rows = db
          .prepare(`${scopes.map(() => part).join(" UNION ALL ")} ORDER BY updated_at DESC, id DESC LIMIT ?`)
          .all(...params, q.limit) as MemoryRow[];
        return withLinks(rows);
      });
    },

    async forget(ref: MemoryRef): Promise<boolean> {
      const r = normalizeRef(ref, defaultScope);
      return write(`forgetting memory ${JSON.stringify(r.key)}`, () => {
        const id = idOf(r);
        if (id === undefined) return false;
        stmt.ftsDelete.run(id);
        stmt.delete.run(id);
        return true;
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
  return store;
}
