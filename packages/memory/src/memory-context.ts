import type { Memory } from "./memory-store.js";

/** Options of {@link formatMemoryContext}. */
export interface MemoryContextOptions {
  /** Budget of the whole text, in characters (default 2 000, as the config's `memory.inject.maxChars`). */
  maxChars?: number;
  /** Most memories included (default 8, as `memory.inject.maxEntries`). */
  maxEntries?: number;
}

/** The text to inject and what fitted. */
export interface MemoryContext {
  /** One `- [scope] key #tag: value` line per memory; empty when nothing fits. */
  text: string;
  /** Keys included, in order. */
  included: string[];
  /** How many memories were left out for the budget. */
  omitted: number;
}

/**
 * Render memories (best first) as compact lines for a session's context, within a size budget.
 * Whole lines are kept while they fit; a value that alone exceeds the rest of the budget is
 * shortened with `…`. This is the injection format the plugin uses at session start.
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
    const head = `- [${m.scope}] ${m.key}${m.tags.length > 0 ? ` ${m.tags.map((t) => `#${t}`).join(" ")}` : ""}: `;
    const value = m.value.replace(/\s+/g, " ").trim();
    const sep = lines.length > 0 ? 1 : 0;
    const room = maxChars - used - sep - head.length;
    if (room <= 0) break;
    const line =
      value.length <= room ? head + value : room >= 16 ? `${head}${value.slice(0, room - 1)}…` : undefined;
    if (line === undefined) break;
    lines.push(line);
    included.push(m.key);
    used += sep + line.length;
  }
  return { text: lines.join("\n"), included, omitted: memories.length - included.length };
}
