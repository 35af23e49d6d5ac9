import type { Driver } from "neo4j-driver";
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
import { mapError, neo4jCode } from "./neo4j-errors.js";
import { iso, type LinkRecord, type MemoryRecord, toMemory } from "./neo4j-rows.js";
import { readableSourceLevels } from "./provenance.js";
import { indexText, queryTerms } from "./search-text.js";

/** Connection settings of a Neo4j server (5.x or later). */
export interface Neo4jConnection {
  /** Bolt URI, for example `bolt://127.0.0.1:7687` or `neo4j+s://xyz.databases.neo4j.io`. */
  uri: string;
  /** User name (default `neo4j`). */
  user?: string;
  /** Password; without one the driver connects with no authentication. */
  password?: string;
  /** Database name; the server's default database when omitted. */
  database?: string;
}

/** Options of {@link openNeo4jStore}. */
export interface Neo4jStoreOptions extends Neo4jConnection {
  /** The project `project`-scoped memories belong to (for example the worktree path). */
  project: string;
  /** Scope of `put`/`get`/`link`/`forget` when a call omits it (default `project`). */
  defaultScope?: MemoryScope;
  /** Longest accepted value, in characters (default 20 000). */
  maxValueChars?: number;
  /** How long to wait for a connection, in milliseconds (default 5 000). */
  connectionTimeoutMs?: number;
  /** How long the driver retries a failing write, in milliseconds (default 5 000). */
  maxRetryTimeMs?: number;
}

/** Names of the schema objects the Neo4j store creates (idempotently) when it opens. */
export const NEO4J_SCHEMA = {
  /** Uniqueness of `scopeKey` (scope + project + key), which works on Community edition. */
  constraint: "memory_scope_key",
  /** Full-text index over the normalised key, value and tags. */
  fulltext: "memory_text",
  /** Range index over scope, project and updatedAt: `recent` reads it in order and stops at the limit. */
  recent: "memory_scope_recent",
} as const;

const SCHEMA_STATEMENTS = [
  `CREATE CONSTRAINT ${NEO4J_SCHEMA.constraint} IF NOT EXISTS FOR (m:Memory) REQUIRE m.scopeKey IS UNIQUE`,
  `CREATE INDEX ${NEO4J_SCHEMA.recent} IF NOT EXISTS FOR (m:Memory) ON (m.scope, m.project, m.updatedAt)`,
  `CREATE FULLTEXT INDEX ${NEO4J_SCHEMA.fulltext} IF NOT EXISTS FOR (m:Memory) ON EACH [m.keyText, m.valueText, m.tagsText]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'whitespace', \`fulltext.eventually_consistent\`: false } }`,
];

// Every query below is static text; all values travel as parameters.
const RETURN_MEMORY = `
RETURN m { .scope, .key, .value, .tags, .sourceSession, .sourceWorker, .sourceMessage, .sourceProfile, .sourceTrust,
           .sourceFilesystem, .sourceExecution, .sourceNetwork, .createdAt, .updatedAt } AS m,
  COLLECT {
    MATCH (m)-[l:LINKS_TO]-(:Memory)
    WITH l ORDER BY l.createdAt, l.type
    RETURN { type: l.type, createdAt: l.createdAt,
             fromScope: startNode(l).scope, fromKey: startNode(l).key,
             toScope: endNode(l).scope, toKey: endNode(l).key }
  } AS links`;

// A query covers one or two (scope, project) pairs: ($s1, $p1) and ($s2, $p2); an unused pair is
// ('none', '') and matches nothing.
// $fs, $ex and $net list the source levels the reader may read, or are null for "any" (see
// readableSourceLevels); a node without the property (written before provenance) never matches a list.
const LEVEL_FILTER =
  "($fs IS NULL OR m.sourceFilesystem IN $fs) AND ($ex IS NULL OR m.sourceExecution IN $ex) AND ($net IS NULL OR m.sourceNetwork IN $net)";
const SCOPE_FILTER = `((m.scope = $s1 AND m.project = $p1) OR (m.scope = $s2 AND m.project = $p2)) AND all(t IN $tags WHERE t IN m.tags) AND ${LEVEL_FILTER}`;

// Ordering by all three properties of memory_scope_recent lets Neo4j read the index in order and
// stop after $limit rows instead of sorting every memory of the project.
const recentBranch = (scope: string, project: string): string => `
  MATCH (m:Memory) WHERE m.scope = ${scope} AND m.project = ${project} AND m.updatedAt IS NOT NULL
    AND all(t IN $tags WHERE t IN m.tags) AND ${LEVEL_FILTER}
  WITH m ORDER BY m.scope DESC, m.project DESC, m.updatedAt DESC LIMIT $limit RETURN m`;

const UPSERT = `
MERGE (m:Memory { scopeKey: r.scopeKey })
ON CREATE SET m.createdAt = r.now, m.scope = r.scope, m.project = r.ns, m.key = r.key
SET m.value = r.value, m.tags = r.tags, m.updatedAt = r.now,
    m.keyText = r.keyText, m.valueText = r.valueText, m.tagsText = r.tagsText,
    m.sourceSession = r.sourceSession, m.sourceWorker = r.sourceWorker, m.sourceMessage = r.sourceMessage,
    m.sourceProfile = r.sourceProfile, m.sourceTrust = r.sourceTrust, m.sourceFilesystem = r.sourceFilesystem,
    m.sourceExecution = r.sourceExecution, m.sourceNetwork = r.sourceNetwork`;

const Q = {
  put: `WITH $row AS r ${UPSERT} ${RETURN_MEMORY}`,
  putMany: `UNWIND $rows AS r ${UPSERT} RETURN count(*) AS n`,
  get: `MATCH (m:Memory { scopeKey: $scopeKey })${RETURN_MEMORY}`,
  link: `
MATCH (a:Memory { scopeKey: $from })
MATCH (b:Memory { scopeKey: $to })
MERGE (a)-[l:LINKS_TO { type: $type }]->(b)
ON CREATE SET l.createdAt = $now
RETURN l.createdAt AS createdAt`,
  exists: "UNWIND $keys AS k OPTIONAL MATCH (m:Memory { scopeKey: k }) RETURN k, m IS NOT NULL AS found",
  // queryNodes yields hits best first, so LIMIT after the filter stops early (no sort of all hits).
  search: `
CALL db.index.fulltext.queryNodes('${NEO4J_SCHEMA.fulltext}', $lucene) YIELD node AS m, score
WHERE ${SCOPE_FILTER}
WITH m, score LIMIT $limit
${RETURN_MEMORY}, score`,
  recent: `
CALL { ${recentBranch("$s1", "$p1")} UNION ALL ${recentBranch("$s2", "$p2")} }
WITH m ORDER BY m.updatedAt DESC LIMIT $limit
${RETURN_MEMORY}`,
  forget: "MATCH (m:Memory { scopeKey: $scopeKey }) DETACH DELETE m RETURN count(*) AS n",
};

type Neo4jModule = Pick<typeof import("neo4j-driver"), "driver" | "auth" | "routing" | "int">;

async function loadDriver(): Promise<Neo4jModule> {
  try {
    const mod: Neo4jModule = await import("neo4j-driver");
    return mod;
  } catch (error) {
    throw new MemoryError(
      "MEMORY_UNAVAILABLE",
      "The Neo4j memory store needs the neo4j-driver package, which is not installed.",
      { cause: error, hints: ["install neo4j-driver@6 next to @orchestra/memory, or remove memory.neo4j"] },
    );
  }
}

/**
 * Connect to Neo4j, create the memory schema if missing (a uniqueness constraint on
 * `scopeKey`, a full-text index, range indexes — all `IF NOT EXISTS`), and return the store.
 *
 * Throws `MEMORY_UNAVAILABLE` when the server cannot be reached, `MEMORY_AUTH_FAILED` on bad
 * credentials, `MEMORY_CONFIG_INVALID` for a missing database.
 */
export async function openNeo4jStore(options: Neo4jStoreOptions): Promise<MemoryStore> {
  const defaultScope = normalizeScope(options.defaultScope, "project");
  const maxValueChars = normalizeMaxValueChars(options.maxValueChars);
  const { uri, database, project } = options;
  if (typeof project !== "string" || project.length === 0) {
    throw new MemoryError("MEMORY_CONFIG_INVALID", "The Neo4j memory store needs a non-empty project id.", {
      hints: ["pass project: the project's worktree path"],
    });
  }
  const neo4j = await loadDriver();
  let driver: Driver;
  try {
    driver = neo4j.driver(
      uri,
      options.password === undefined
        ? undefined
        : neo4j.auth.basic(options.user ?? "neo4j", options.password),
      {
        disableLosslessIntegers: true,
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        // Waiting for a free pooled connection is load, not unreachability: keep the driver's 60 s.
        connectionAcquisitionTimeout: 60_000,
        maxTransactionRetryTime: options.maxRetryTimeMs ?? 5_000,
        userAgent: "open-orchestra-memory",
      },
    );
  } catch (error) {
    throw new MemoryError(
      "MEMORY_CONFIG_INVALID",
      `Invalid Neo4j URI ${JSON.stringify(uri)}: ${String(error)}`,
      {
        cause: error,
        hints: ["use a bolt:// or neo4j:// URI, e.g. bolt://127.0.0.1:7687"],
      },
    );
  }
  const run = async (
    query: string,
    params: Record<string, unknown>,
    doing: string,
    write: boolean,
  ): Promise<Record<string, unknown>[]> => {
    try {
      const { records } = await driver.executeQuery(query, params, {
        database,
        routing: write ? neo4j.routing.WRITE : neo4j.routing.READ,
      });
      return records.map((r) => r.toObject() as Record<string, unknown>);
    } catch (error) {
      throw mapError(error, doing, uri, database);
    }
  };

  try {
    await driver.verifyConnectivity(database === undefined ? {} : { database });
    for (const statement of SCHEMA_STATEMENTS) {
      try {
        await run(statement, {}, "creating the memory schema", true);
      } catch (error) {
        // Two processes creating the same schema at once: the loser sees "already exists".
        if (!/AlreadyExists/.test(neo4jCode((error as MemoryError).cause))) throw error;
      }
    }
    await run("CALL db.awaitIndexes(300)", {}, "waiting for the memory indexes", false);
  } catch (error) {
    await driver.close();
    throw mapError(error, "connecting", uri, database);
  }

  const clock = monotonicClock();
  let closed = false;
  const ns = (scope: MemoryScope): string => (scope === "project" ? project : "");
  const scopeKey = (ref: Required<MemoryRef>): string => JSON.stringify([ref.scope, ns(ref.scope), ref.key]);
  const ensureOpen = (): void => {
    if (closed) {
      throw new MemoryError("MEMORY_CLOSED", "This memory store was closed.", {
        hints: ["open a new store with openMemoryStore()"],
      });
    }
  };
  const filterParams = (q: NormalizedQuery): Record<string, unknown> => {
    const [first, second] =
      q.scope === "all"
        ? [
            ["project", project],
            ["global", ""],
          ]
        : [
            [q.scope, ns(q.scope)],
            ["none", ""],
          ];
    const levels = q.readableBy === undefined ? undefined : readableSourceLevels(q.readableBy);
    return {
      s1: first?.[0],
      p1: first?.[1],
      s2: second?.[0],
      p2: second?.[1],
      tags: q.tags,
      limit: neo4j.int(q.limit),
      fs: levels?.filesystem ?? null,
      ex: levels?.execution ?? null,
      net: levels?.network ?? null,
    };
  };
  const toRow = (p: NormalizedPut): Record<string, unknown> => ({
    scopeKey: scopeKey(p),
    scope: p.scope,
    ns: ns(p.scope),
    key: p.key,
    value: p.value,
    tags: p.tags,
    now: clock(),
    keyText: indexText(p.key),
    valueText: indexText(p.value),
    tagsText: p.tags.map(indexText).join(" "),
    sourceSession: p.source.sessionId ?? null,
    sourceWorker: p.source.workerId ?? null,
    sourceMessage: p.source.messageId ?? null,
    sourceProfile: p.source.profile ?? null,
    sourceTrust: p.source.trust,
    sourceFilesystem: p.source.levels?.filesystem ?? null,
    sourceExecution: p.source.levels?.execution ?? null,
    sourceNetwork: p.source.levels?.network ?? null,
  });
  const rowToMemory = (row: Record<string, unknown>): Memory =>
    toMemory(row.m as MemoryRecord, (row.links as LinkRecord[] | null) ?? []);

  const store: MemoryStore = {
    backend: "neo4j",
    project,

    async put(input: PutMemoryInput): Promise<Memory> {
      ensureOpen();
      const p = normalizePut(input, defaultScope, maxValueChars);
      const [row] = await run(Q.put, { row: toRow(p) }, `storing memory ${JSON.stringify(p.key)}`, true);
      if (!row) throw mapError(new Error("the upsert returned no row"), "storing a memory", uri, database);
      return rowToMemory(row);
    },

    async putMany(inputs: readonly PutMemoryInput[]): Promise<number> {
      ensureOpen();
      const batch = normalizeBatch(inputs, defaultScope, maxValueChars);
      if (batch.length === 0) return 0;
      const [row] = await run(
        Q.putMany,
        { rows: batch.map(toRow) },
        `storing ${batch.length} memories`,
        true,
      );
      return Number(row?.n ?? 0);
    },

    async get(ref: MemoryRef): Promise<Memory | undefined> {
      ensureOpen();
      const r = normalizeRef(ref, defaultScope);
      const [row] = await run(Q.get, { scopeKey: scopeKey(r) }, "reading a memory", false);
      return row ? rowToMemory(row) : undefined;
    },

    async link(from: MemoryRef, to: MemoryRef, type: string): Promise<MemoryLink> {
      ensureOpen();
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
      const params = { from: scopeKey(a), to: scopeKey(b), type: t, now: clock() };
      const [row] = await run(Q.link, params, "linking memories", true);
      if (!row) {
        const found = await run(Q.exists, { keys: [params.from, params.to] }, "linking memories", false);
        const missing = [a, b].filter((_, i) => found[i]?.found !== true);
        throw new MemoryError(
          "MEMORY_NOT_FOUND",
          `Cannot link: no memory ${missing.map((m) => `${m.scope}:${m.key}`).join(" or ")}.`,
          { hints: ["put() both memories before linking them"] },
        );
      }
      return { type: t, from: a, to: b, createdAt: iso(row.createdAt as number) };
    },

    async search(query: string, options?: MemoryQueryOptions): Promise<MemorySearchHit[]> {
      ensureOpen();
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
      // Terms are letters and digits only (see searchTerms), so they carry no Lucene syntax.
      // Field boosts mirror the embedded store's bm25 weights: key 4, tags 2, value 1.
      const any = `(${terms.join(" OR ")})`;
      const lucene = `keyText:${any}^4 OR tagsText:${any}^2 OR valueText:${any}`;
      const rows = await run(Q.search, { lucene, ...filterParams(q) }, "searching memories", false);
      return rows.map((row) => ({ ...rowToMemory(row), score: Number(row.score) }));
    },

    async recent(options?: MemoryQueryOptions): Promise<Memory[]> {
      ensureOpen();
      const q = normalizeQuery(options);
      const rows = await run(Q.recent, filterParams(q), "listing recent memories", false);
      return rows.map(rowToMemory);
    },

    async forget(ref: MemoryRef): Promise<boolean> {
      ensureOpen();
      const r = normalizeRef(ref, defaultScope);
      const [row] = await run(
        Q.forget,
        { scopeKey: scopeKey(r) },
        `forgetting memory ${JSON.stringify(r.key)}`,
        true,
      );
      return Number(row?.n ?? 0) > 0;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
  return store;
}
