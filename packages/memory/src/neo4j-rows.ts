import type { Memory, MemoryScope } from "./memory-store.js";
import type { MemoryLevels } from "./provenance.js";

/** A `:Memory` node's properties as the store returns them. */
export interface MemoryRecord {
  scope: MemoryScope;
  key: string;
  value: string;
  tags: string[] | null;
  sourceSession: string | null;
  sourceWorker: string | null;
  sourceMessage: string | null;
  /** Null on nodes written before provenance was recorded (untrusted, unknown source). */
  sourceProfile: string | null;
  sourceTrust: "trusted" | "untrusted" | null;
  sourceFilesystem: MemoryLevels["filesystem"] | null;
  sourceExecution: MemoryLevels["execution"] | null;
  sourceNetwork: MemoryLevels["network"] | null;
  createdAt: number;
  updatedAt: number;
}

/** A link as the store returns it, with both ends' scope and key. */
export interface LinkRecord {
  type: string;
  createdAt: number;
  fromScope: MemoryScope;
  fromKey: string;
  toScope: MemoryScope;
  toKey: string;
}

/** Epoch milliseconds (a number or a driver Integer's value) as ISO 8601. */
export function iso(ms: number): string {
  return new Date(Number(ms)).toISOString();
}

/** A node and its links as the public {@link Memory} shape (missing provenance reads as untrusted). */
export function toMemory(m: MemoryRecord, links: readonly LinkRecord[]): Memory {
  const source: Memory["source"] = { trust: m.sourceTrust === "trusted" ? "trusted" : "untrusted" };
  if (m.sourceSession) source.sessionId = m.sourceSession;
  if (m.sourceWorker) source.workerId = m.sourceWorker;
  if (m.sourceMessage) source.messageId = m.sourceMessage;
  if (m.sourceProfile) source.profile = m.sourceProfile;
  if (m.sourceFilesystem && m.sourceExecution && m.sourceNetwork) {
    source.levels = {
      filesystem: m.sourceFilesystem,
      execution: m.sourceExecution,
      network: m.sourceNetwork,
    };
  }
  return {
    scope: m.scope,
    key: m.key,
    value: m.value,
    tags: m.tags ?? [],
    source,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    links: links.map((l) => ({
      type: l.type,
      from: { scope: l.fromScope, key: l.fromKey },
      to: { scope: l.toScope, key: l.toKey },
      createdAt: iso(l.createdAt),
    })),
  };
}
