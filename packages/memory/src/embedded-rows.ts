import type { NormalizedQuery } from "./memory-input.js";
import type { Memory, MemoryLink, MemoryScope } from "./memory-store.js";
import { MEMORY_LEVEL_CATEGORIES, type MemoryLevels, readableSourceLevels } from "./provenance.js";

/** A `memories` row as the store selects it (`score` only from searches). */
export interface MemoryRow {
  id: number;
  scope: MemoryScope;
  project: string;
  key: string;
  value: string;
  tags: string;
  source_session: string | null;
  source_worker: string | null;
  source_message: string | null;
  source_profile: string | null;
  source_trust: "trusted" | "untrusted" | null;
  source_filesystem: MemoryLevels["filesystem"] | null;
  source_execution: MemoryLevels["execution"] | null;
  source_network: MemoryLevels["network"] | null;
  created_at: number;
  updated_at: number;
  score?: number;
}

/** A `links` row joined with both ends' scope and key. */
export interface LinkRow {
  from_id: number;
  to_id: number;
  type: string;
  created_at: number;
  from_scope: MemoryScope;
  from_key: string;
  to_scope: MemoryScope;
  to_key: string;
}

/** The `memories` columns every query selects, in {@link MemoryRow} order. */
export const MEMORY_COLUMNS =
  "m.id, m.scope, m.project, m.key, m.value, m.tags, m.source_session, m.source_worker, m.source_message, m.source_profile, m.source_trust, m.source_filesystem, m.source_execution, m.source_network, m.created_at, m.updated_at";

/** An epoch-milliseconds time as ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A row and its links as the public {@link Memory} shape (NULL provenance reads as untrusted). */
export function toMemory(row: MemoryRow, links: MemoryLink[]): Memory {
  const source: Memory["source"] = { trust: row.source_trust ?? "untrusted" };
  if (row.source_session !== null) source.sessionId = row.source_session;
  if (row.source_worker !== null) source.workerId = row.source_worker;
  if (row.source_message !== null) source.messageId = row.source_message;
  if (row.source_profile !== null) source.profile = row.source_profile;
  if (row.source_filesystem !== null && row.source_execution !== null && row.source_network !== null) {
    source.levels = {
      filesystem: row.source_filesystem,
      execution: row.source_execution,
      network: row.source_network,
    };
  }
  return {
    scope: row.scope,
    key: row.key,
    value: row.value,
    tags: JSON.parse(row.tags) as string[],
    source,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    links,
  };
}

/** Only memories whose source levels may reach `q.readableBy` (a NULL level, unknown, never does). */
export function levelFilter(q: NormalizedQuery): { sql: string; params: string[] } {
  if (q.readableBy === undefined) return { sql: "", params: [] };
  const allowed = readableSourceLevels(q.readableBy);
  let sql = "";
  const params: string[] = [];
  for (const c of MEMORY_LEVEL_CATEGORIES) {
    const levels = allowed[c];
    if (levels === undefined) continue;
    sql += ` AND m.source_${c} IN (${levels.map(() => "?").join(", ")})`;
    params.push(...levels);
  }
  return { sql, params };
}
