import type { Memory, MemoryProvenance } from "./memory-store.js";

/** Options of {@link formatMemoryContext}. */
export interface MemoryContextOptions {
  /** Budget of the whole text, in characters (default 2 000, as the config's `memory.inject.maxChars`). */
  maxChars?: number;
  /** Most memories included (default 8, as `memory.inject.maxEntries`). */
  maxEntries?: number;
}

/** The text to inject and what fitted. */
export interface MemoryContext {
  /** One JSON record per memory and line ({@link MemoryRecord}); empty when nothing fits. */
  text: string;
  /** Keys included, in order. */
  included: string[];
  /** How many memories were left out for the budget. */
  omitted: number;
}

/** Where an injected memory came from, as its record shows it. */
export type MemoryRecordSource =
  | { trust: "trusted"; session: "user" }
  | { trust: "untrusted"; worker?: string; profile?: string; levels?: string; source?: "unknown" };

/** One injected memory: quoted data, with its provenance. */
export interface MemoryRecord {
  /** `<scope>:<key>`. */
  memory: string;
  /** Its tags. */
  tags: string[];
  /** Its provenance. */
  from: MemoryRecordSource;
  /** The remembered text (whitespace collapsed; shortened with `…` to fit the budget). */
  text: string;
}

/** The provenance of a memory as a record shows it. */
export function recordSource(source: MemoryProvenance): MemoryRecordSource {
  if (source.trust === "trusted") return { trust: "trusted", session: "user" };
  if (source.workerId === undefined && source.profile === undefined) {
    return { trust: "untrusted", source: "unknown" };
  }
  const { levels } = source;
  return {
    trust: "untrusted",
    ...(source.workerId === undefined ? {} : { worker: source.workerId }),
    ...(source.profile === undefined ? {} : { profile: source.profile }),
    ...(levels === undefined
      ? {}
      : {
          levels: `filesystem=${levels.filesystem} execution=${levels.execution} network=${levels.network}`,
        }),
  };
}

/**
 * JSON for embedding inside a delimited block: `<`, `>` and `&` (and the JavaScript line
 * separators) are written as `\u` escapes, so a value can never contain the block's end marker.
 */
export function quoteJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Render memories (best first) as quoted data for a session's context, within a size budget: one
 * JSON {@link MemoryRecord} per line, so a memory's text is a string value, never free text that
 * could pass for an instruction, and every record says where it came from. Whole records are kept
 * while they fit; a text that alone exceeds the rest of the budget is shortened with `…`.
 */
export function formatMemoryContext(
  memories: readonly Memory[],
  options: MemoryContextOptions = {},
): MemoryContext {
  const maxChars = Math.max(0, options.maxChars ?? 2_000);
  const maxEntries = Math.max(0, options.maxEntries ?? 8);
  const lines: string[] = [];
  const included: string[] = [];
  let used = 0;
  for (const m of memories.slice(0, maxEntries)) {
    const record = (text: string): string =>
      quoteJson({
        memory: `${m.scope}:${m.key}`,
        tags: m.tags,
        from: recordSource(m.source),
        text,
      } satisfies MemoryRecord);
    const value = m.value.replace(/\s+/g, " ").trim();
    const room = maxChars - used - (lines.length > 0 ? 1 : 0);
    let line = record(value);
    if (line.length > room) {
      // The longest prefix whose record fits (escapes make the length non-linear: binary search).
      let [lo, hi] = [0, value.length - 1];
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (record(`${value.slice(0, mid)}…`).length <= room) lo = mid;
        else hi = mid - 1;
      }
      line = record(`${value.slice(0, lo)}…`);
      if (lo < 16 || line.length > room) break;
    }
    lines.push(line);
    included.push(m.key);
    used += (lines.length > 1 ? 1 : 0) + line.length;
  }
  return { text: lines.join("\n"), included, omitted: memories.length - included.length };
}
