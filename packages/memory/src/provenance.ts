import {
  EXECUTION_LEVELS,
  type ExecutionLevel,
  FILESYSTEM_LEVELS,
  type FilesystemLevel,
  NETWORK_LEVELS,
  type NetworkLevel,
} from "@orchestra/permissions";

/**
 * Whether a memory's source is trusted: `trusted` is the user's own session (the orchestrator);
 * `untrusted` is everything else — any worker (its model may be prompt-injected) and any memory
 * stored without provenance (for example by an earlier version).
 */
export type MemoryTrust = "trusted" | "untrusted";

/** The permission levels of a memory's source, or of the session reading it: one per category. */
export interface MemoryLevels {
  readonly filesystem: FilesystemLevel;
  readonly execution: ExecutionLevel;
  readonly network: NetworkLevel;
}

/** The categories of {@link MemoryLevels}, in a fixed order. */
export const MEMORY_LEVEL_CATEGORIES = ["filesystem", "execution", "network"] as const;

/** Every category at its top level: the user's own session (full trust). */
export const FULL_LEVELS: MemoryLevels = { filesystem: "full", execution: "full", network: "full" };

/** Every category at `none`: a source of unknown levels is ranked here. */
export const NO_LEVELS: MemoryLevels = { filesystem: "none", execution: "none", network: "none" };

// The permissions package lists each category's levels from most to least permissive.
const LEVELS: { readonly [C in keyof MemoryLevels]: readonly MemoryLevels[C][] } = {
  filesystem: [...FILESYSTEM_LEVELS].reverse(),
  execution: [...EXECUTION_LEVELS].reverse(),
  network: [...NETWORK_LEVELS].reverse(),
};

/**
 * Rank of a level within its category, from 0 (`none`) up: filesystem none < read < full,
 * execution none < sandboxed < full, network none < localhost < full.
 */
export function levelRank<C extends keyof MemoryLevels>(category: C, level: MemoryLevels[C]): number {
  return (LEVELS[category] as readonly string[]).indexOf(level);
}

/** True when `level` is a level of `category`. */
export function isLevel<C extends keyof MemoryLevels>(category: C, level: unknown): level is MemoryLevels[C] {
  return (LEVELS[category] as readonly unknown[]).includes(level);
}

/**
 * The order on permission levels that decides where memories may flow: `a` is **at least as
 * restricted as** `b` when, in every category, `a`'s level ranks at or below `b`'s. It is a partial
 * order: `{ filesystem: full, execution: none }` and `{ filesystem: read, execution: full }` are
 * not comparable, and neither is at least as restricted as the other. Only the category levels are
 * compared; paths, tool entries and command lists are not.
 */
export function isAtLeastAsRestricted(a: MemoryLevels, b: MemoryLevels): boolean {
  return MEMORY_LEVEL_CATEGORIES.every((c) => levelRank(c, a[c] as never) <= levelRank(c, b[c] as never));
}

/**
 * Whether a memory whose source had `source` levels (unknown: `undefined`, ranked as
 * {@link NO_LEVELS}) may reach a session with `reader` levels without the config's consent: only
 * when the reader is at least as restricted as the source. A restricted worker's words never reach
 * a less restricted session (the orchestrator, or a worker allowed more) this way.
 */
export function mayReach(source: MemoryLevels | undefined, reader: MemoryLevels): boolean {
  return isAtLeastAsRestricted(reader, source ?? NO_LEVELS);
}

/**
 * Per category, the source levels a reader with `reader` levels may read ({@link mayReach}), or
 * `undefined` for a category at `none` (every source passes, an unknown one too). The stores turn
 * this into their query filter.
 */
export function readableSourceLevels(reader: MemoryLevels): {
  readonly [C in keyof MemoryLevels]: readonly MemoryLevels[C][] | undefined;
} {
  const pick = <C extends keyof MemoryLevels>(c: C): readonly MemoryLevels[C][] | undefined => {
    const rank = levelRank(c, reader[c]);
    return rank === 0 ? undefined : LEVELS[c].slice(rank);
  };
  return { filesystem: pick("filesystem"), execution: pick("execution"), network: pick("network") };
}
