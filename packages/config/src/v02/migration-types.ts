/** The change list of `orchestra migrate`. */

/** What happened to one v0.2 key. */
export type MigrationAction = "moved" | "converted" | "removed" | "kept";

/** One entry of the change list: `orchestra migrate --json` prints these under `changes`. */
export interface MigrationChange {
  /** JSON path of the key in the v0.2 file. */
  path: string;
  /** `moved` (same meaning, new place), `converted` (rewritten), `removed` (nothing reads it) or `kept`. */
  action: MigrationAction;
  /** The v0.3 path it went to (`"//migrate"` when it could not be placed). */
  to?: string;
  /** Why, and with which effect. */
  note: string;
}

/** A value `orchestra migrate` could not place, kept under `"//migrate"` in the output. */
export interface Unplaced {
  /** JSON path in the v0.2 file. */
  path: string;
  /** The value, unchanged. */
  value: unknown;
  /** Why it could not be placed, and what to do. */
  reason: string;
}
