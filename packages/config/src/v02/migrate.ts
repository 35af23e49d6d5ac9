/** Turn a v0.2.x `orchestrator.json` into v0.3: the logic behind `orchestra migrate`. */
import { formatPath, type PathSegment, parsePath, showValue } from "@orchestra/core";
import { BUILTIN_PROFILE_IDS } from "@orchestra/profiles";
import { ConfigError } from "../config-error.js";
import { validateConfig } from "../load.js";
import { UNPLACED_KEY } from "./detect.js";
import { migrateProfiles, writtenForV03 } from "./migrate-profiles.js";
import { migrateRetiredKeys } from "./migrate-retired.js";
import type { MigrationChange, Unplaced } from "./migration-types.js";
import { isRecord } from "./paths.js";

export type { MigrationAction, MigrationChange } from "./migration-types.js";

/** What {@link migrateV02} returns; `orchestra migrate --json` prints exactly this. */
export interface MigrationResult {
  /** False when some key could not be placed (it is kept under `"//migrate"` in `output`). */
  readonly ok: boolean;
  /** Every change, with its reason. */
  readonly changes: MigrationChange[];
  /** The v0.3 document. */
  readonly output: Record<string, unknown>;
}

/** Options of {@link migrateV02}. */
export interface MigrateOptions {
  /**
   * The parsed global `~/.config/opencode/orchestrator.json`, when the file being migrated is a project
   * file: the notes on `profiles`/`workers` then name the global entries that v0.3's merge by id adds.
   */
  readonly global?: unknown;
}

const itemId = (item: unknown): string | undefined =>
  typeof item === "string" ? item : isRecord(item) && typeof item.id === "string" ? item.id : undefined;

/** v0.2 replaced a whole list across files; v0.3 merges `profiles` and `workers` by id. */
function mergeNotes(out: Record<string, unknown>, global: unknown, changes: MigrationChange[]): void {
  for (const key of ["profiles", "workers"] as const) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    const here = new Set(list.map(itemId));
    const globalList = isRecord(global) && Array.isArray(global[key]) ? global[key] : [];
    const added = globalList.map(itemId).filter((id): id is string => id !== undefined && !here.has(id));
    changes.push({
      path: key,
      action: "kept",
      note: `v0.2 let this file's \`${key}\` replace the global file's list; v0.3 merges the lists by id (an entry here replaces the global entry with the same id, other global entries stay)${
        added.length
          ? `, so the global file's ${added.map((id) => `"${id}"`).join(", ")} now also ${key === "workers" ? "start" : "apply"} here: remove ${added.length === 1 ? "it" : "them"} from the global file if this project should not have ${added.length === 1 ? "it" : "them"}`
          : ""
      }`,
    });
  }
}

/** Which entries of a keyed list to drop: v0.2 let an id appear more than once, v0.3 rejects that. */
function duplicates(list: readonly unknown[], key: string): Map<number, string> {
  const kept = new Map<string, number>();
  const drop = new Map<number, string>();
  list.forEach((item, i) => {
    const id = itemId(item);
    if (id === undefined) return;
    const first = kept.get(id);
    if (first === undefined) {
      kept.set(id, i);
      return;
    }
    const earlier = list[first];
    if (typeof item === "string") {
      // A second mention of an id: v0.2 started it once.
      drop.set(
        i,
        `"${id}" is already at ${formatPath([key, first])}: v0.2 used it once, v0.3 rejects a duplicate id`,
      );
    } else {
      // A later definition: v0.2 let it replace the earlier entry.
      drop.set(
        first,
        typeof earlier === "string"
          ? `${formatPath([key, i])} defines "${id}": v0.2 used that definition, v0.3 rejects a duplicate id`
          : `${formatPath([key, i])} defines "${id}" again: v0.2 used the last definition, v0.3 rejects a duplicate id`,
      );
      kept.set(id, i);
    }
  });
  return drop;
}

/**
 * `profiles` and `workers`: duplicate ids are resolved as v0.2 resolved them, and a `workers` string
 * that names no known profile gets a note (v0.2 skipped it; v0.3 fails at start).
 */
function migrateKeyedLists(out: Record<string, unknown>, changes: MigrationChange[]): void {
  const defined = new Set(
    ["profiles", "workers"].flatMap((key) => {
      const list = out[key];
      return Array.isArray(list) ? list.filter(isRecord).map(itemId) : [];
    }),
  );
  for (const key of ["profiles", "workers"] as const) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    const drop = duplicates(list, key);
    list.forEach((entry, i) => {
      const note = drop.get(i);
      if (note !== undefined) changes.push({ path: formatPath([key, i]), action: "removed", note });
      else if (
        key === "workers" &&
        typeof entry === "string" &&
        !BUILTIN_PROFILE_IDS.includes(entry) &&
        !defined.has(entry)
      )
        changes.push({
          path: formatPath([key, i]),
          action: "kept",
          note: `"${entry}" is neither a built-in nor defined in this file: v0.2 skipped an id it did not know, v0.3 reports "no profile has this id" unless another config file or a markdown profile in .opencode/agent/ defines it`,
        });
    });
    out[key] = list.filter((_, i) => !drop.has(i));
  }
}

/** The nearest path at or above `path` that has a value in `doc`. */
function existingAt(doc: unknown, path: PathSegment[]): PathSegment[] | undefined {
  for (let n = path.length; n > 0; n--) {
    let v: unknown = doc;
    for (const seg of path.slice(0, n))
      v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined;
    if (v !== undefined) return path.slice(0, n);
  }
  return undefined;
}

/**
 * Whatever still fails v0.3 validation after the known conversions is taken out of the document and
 * kept under `"//migrate"`, so nothing is dropped silently and the rest validates.
 */
function unplaceInvalid(out: Record<string, unknown>, unplaced: Unplaced[]): void {
  for (let round = 0; round < 20; round++) {
    const checked = validateConfig(out);
    if (checked.ok) return;
    const targets = new Map<string, { path: PathSegment[]; reason: string }>();
    for (const issue of checked.issues) {
      if (issue.path === "(root)") continue;
      const path = existingAt(out, parsePath(issue.path));
      if (path === undefined) continue;
      const key = formatPath(path);
      if (!targets.has(key))
        targets.set(key, {
          path,
          reason: `${issue.problem}${issue.expected ? ` (expected ${issue.expected})` : ""}`,
        });
    }
    if (targets.size === 0) return;
    // Deepest and last first, so removing an array item does not shift the paths still to remove.
    const ordered = [...targets.values()].sort((a, b) =>
      formatPath(b.path).localeCompare(formatPath(a.path), "en", { numeric: true }),
    );
    for (const { path, reason } of ordered) {
      const parent = path.slice(0, -1).reduce<unknown>((v, seg) => (v as Record<string, unknown>)[seg], out);
      const last = path.at(-1) as PathSegment;
      const value = (parent as Record<string, unknown>)[last];
      unplaced.push({ path: formatPath(path), value, reason });
      if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
      else delete (parent as Record<string, unknown>)[last];
    }
  }
}

/**
 * Migrate a parsed v0.2.x `orchestrator.json` to v0.3. Never drops a key silently: each change is
 * listed with its reason, and a key that cannot be placed stays under `"//migrate"` (then `ok` is
 * false). Running it on its own output changes nothing.
 *
 * @throws {ConfigError} `CONFIG_INVALID` when `raw` is not a JSON object.
 * @example
 * ```ts
 * const { ok, changes, output } = migrateV02({ startupTimeout: 45000, workers: ["docs"] });
 * // output: { workers: ["docs"], spawn: { startupTimeoutMs: 45000 } }
 * ```
 */
export function migrateV02(raw: unknown, options: MigrateOptions = {}): MigrationResult {
  if (!isRecord(raw))
    throw new ConfigError("CONFIG_INVALID", [
      {
        path: "(root)",
        problem: "not a JSON object",
        got: showValue(raw),
        expected: "an orchestrator.json object",
      },
    ]);
  const out = structuredClone(raw);
  const changes: MigrationChange[] = [];
  const unplaced: Unplaced[] = [];
  const previous = out[UNPLACED_KEY];
  delete out[UNPLACED_KEY];
  if (Array.isArray(previous)) unplaced.push(...(previous as Unplaced[]));

  if (typeof out.$schema === "string" && out.$schema.includes("opencode-orchestrator")) {
    changes.push({
      path: "$schema",
      action: "removed",
      note: "it pointed at v0.2's JSON Schema, which marks v0.3 keys as errors in an editor; point it at v0.3's, node_modules/@orchestra/config/schema.json, if you want completion",
    });
    delete out.$schema;
  }
  const v02File = !writtenForV03(out);
  migrateRetiredKeys(out, changes);
  migrateProfiles(out, v02File, changes, unplaced);
  migrateKeyedLists(out, changes);
  if (v02File) mergeNotes(out, options.global, changes);
  unplaceInvalid(out, unplaced);

  const fresh = unplaced.slice(Array.isArray(previous) ? previous.length : 0);
  for (const u of fresh)
    changes.push({
      path: u.path,
      action: "kept",
      to: UNPLACED_KEY,
      note: `could not be placed: ${u.reason}`,
    });
  if (unplaced.length > 0) out[UNPLACED_KEY] = unplaced;
  return { ok: unplaced.length === 0, changes, output: out };
}
