import { resolve } from "node:path";
import { parseDocument } from "./document.js";
import { RegistryError } from "./errors.js";
import { type FileLockOptions, type HeldLock, withFileLock } from "./file-lock.js";
import { readTextIfExists, setAside, writeJsonAtomic } from "./json-file.js";
import { consoleRegistryLogger, type RegistryLogger } from "./logger.js";
import { defaultRegistryFile } from "./paths.js";
import { recoverCorruptRegistry } from "./recover-corrupt.js";
import {
  describeIssues,
  REGISTRY_VERSION,
  type RegistryEntry,
  RegistryEntrySchema,
  RegistryFileSchema,
} from "./schema.js";

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions extends FileLockOptions {
  /** The registry file (default {@link defaultRegistryFile}: XDG data dir). Inject one in tests. */
  file?: string;
  /** Receives a warning whenever a corrupt file or invalid entries are set aside. */
  logger?: RegistryLogger;
  /** The clock used by `renewAll`, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** The fields `update` may change: everything but the id. */
type RegistryPatch = Partial<Omit<RegistryEntry, "id">>;

/**
 * The device registry: one JSON file of workers shared by every orchestrator and CLI of a user.
 * Every change is a read-modify-write under a cross-process lock, written atomically. Reads
 * (`list`, `get`) take no lock unless they find something to repair. A file from a newer format
 * version is set aside as `<file>.version-<n>-…` like a corrupt one (and reported), so an older
 * orchestrator or CLI on the same machine keeps working; the newer file is kept whole.
 */
export interface DeviceRegistry {
  /** The absolute path of the registry file. */
  readonly file: string;
  /** Every valid entry, in file order. */
  list(): Promise<RegistryEntry[]>;
  /** The entry with this id, or `undefined`. */
  get(id: string): Promise<RegistryEntry | undefined>;
  /**
   * Inserts `entry`, or replaces the entry with the same id. Returns the stored entry.
   * @throws {RegistryError} `REGISTRY_INVALID_ENTRY` if it does not match the schema.
   */
  upsert(entry: RegistryEntry): Promise<RegistryEntry>;
  /**
   * Merges `patch` into the entry `id` and returns the result.
   * @throws {RegistryError} `REGISTRY_ENTRY_NOT_FOUND` (naming the ids that exist), or
   * `REGISTRY_INVALID_ENTRY` if the result does not match the schema.
   */
  update(id: string, patch: RegistryPatch): Promise<RegistryEntry>;
  /** Removes the entry `id`; `false` if there was none. */
  remove(id: string): Promise<boolean>;
  /** Sets `renewedAt` to now on every entry whose owner has pid `ownerPid`; returns how many. */
  renewAll(ownerPid: number): Promise<number>;
  /**
   * Runs `fn` on a mutable copy of the entries while holding the lock, then validates and writes
   * the copy back if it changed, and returns what `fn` returned. Nothing is written if `fn`
   * throws. Keep `fn` short: other orchestrators wait for the lock meanwhile.
   * @throws {RegistryError} `REGISTRY_INVALID_ENTRY` if `fn` leaves an invalid entry or a
   * duplicate id (nothing is written), `REGISTRY_LOCK_TIMEOUT`, `REGISTRY_LOCK_COMPROMISED`,
   * `REGISTRY_IO`.
   * @example
   * const id = await registry.transact((entries) => {
   *   const id = nextWorkerId("coder", entries.map((e) => e.id));
   *   entries.push({ ...draft, id });
   *   return id;
   * });
   */
  transact<T>(fn: (entries: RegistryEntry[]) => T | Promise<T>): Promise<T>;
}

interface Loaded {
  entries: RegistryEntry[];
  /** The file on disk differs from `entries` (invalid entries were dropped) and must be rewritten. */
  needsWrite: boolean;
}

function validateEntry(candidate: unknown, what: string): RegistryEntry {
  const parsed = RegistryEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    throw new RegistryError(
      "REGISTRY_INVALID_ENTRY",
      `${what} is not a valid registry entry: ${describeIssues(parsed.error)}`,
      {
        hints: ["fix the fields named above; see RegistryEntrySchema for the shape"],
      },
    );
  }
  return parsed.data;
}

/**
 * Opens the device registry. Nothing is read until the first call; the file and its directory
 * (mode 0700) are created by the first write.
 *
 * @example
 * const registry = openRegistry({ file: "/tmp/registry.json" });
 * await registry.upsert(entry);
 * for (const e of await registry.list()) console.log(e.id, classifyEntry(e));
 */
export function openRegistry(options: OpenRegistryOptions = {}): DeviceRegistry {
  const file = resolve(options.file ?? defaultRegistryFile());
  const logger = options.logger ?? consoleRegistryLogger;
  const now = options.now ?? Date.now;
  const lockOptions: FileLockOptions = {
    ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    ...(options.staleMs === undefined ? {} : { staleMs: options.staleMs }),
  };

  const parse = (raw: string | undefined) =>
    parseDocument(raw, RegistryFileSchema, "entries", RegistryEntrySchema, (e) => e.id, REGISTRY_VERSION);

  /** Reads the file under the lock, setting aside whatever is corrupt. */
  async function loadRepairing(): Promise<Loaded> {
    const raw = await readTextIfExists(file);
    const parsed = parse(raw);
    if (parsed.kind === "missing") return { entries: [], needsWrite: false };
    if (parsed.kind === "newer") {
      // Decision (docs-site/deep-dive/worker-lifecycle.md): set it aside like a corrupt file, so
      // this version keeps working; the newer file is kept whole for the newer version.
      const aside = await setAside(file, "move", `version-${parsed.version}`);
      logger.warn(
        `the device registry has format version ${parsed.version}, newer than this Open Orchestra reads (${REGISTRY_VERSION}); moved it aside and started a fresh one. Workers recorded only there are not managed by this version: run one Open Orchestra version on this machine (upgrade this one), then move the file back or run \`orchestra workers cleanup\` with the newer version`,
        { file, setAsideAs: aside },
      );
      return { entries: [], needsWrite: false };
    }
    if (parsed.kind === "corrupt") {
      const aside = await setAside(file, "move");
      // No worker is orphaned: what the text still holds, and the running workers of this registry.
      const recovered = recoverCorruptRegistry(raw ?? "", file, aside, parsed.reason);
      logger.warn(recovered.message, {
        file,
        setAsideAs: aside,
        recovered: recovered.entries.map((e) => e.id),
      });
      return { entries: recovered.entries, needsWrite: recovered.entries.length > 0 };
    }
    if (parsed.invalid.length > 0) {
      const aside = await setAside(file, "copy");
      logger.warn(
        `dropped ${parsed.invalid.length} invalid device registry ${parsed.invalid.length === 1 ? "entry" : "entries"}; the original file is kept aside`,
        { file, setAsideAs: aside, invalid: parsed.invalid },
      );
      return { entries: parsed.items, needsWrite: true };
    }
    return { entries: parsed.items, needsWrite: false };
  }

  async function write(lock: HeldLock, entries: readonly RegistryEntry[]): Promise<void> {
    lock.assertHeld();
    await writeJsonAtomic(file, { version: REGISTRY_VERSION, entries });
  }

  async function transact<T>(fn: (entries: RegistryEntry[]) => T | Promise<T>): Promise<T> {
    return withFileLock(file, lockOptions, logger, async (lock) => {
      const loaded = await loadRepairing();
      const before = JSON.stringify(loaded.entries);
      const draft = structuredClone(loaded.entries);
      let result: T;
      try {
        result = await fn(draft);
      } catch (error) {
        if (loaded.needsWrite) await write(lock, loaded.entries);
        throw error;
      }
      const seen = new Set<string>();
      const validated = draft.map((candidate, index) => {
        const entry = validateEntry(candidate, `entry #${index}`);
        if (seen.has(entry.id)) {
          throw new RegistryError(
            "REGISTRY_INVALID_ENTRY",
            `two entries have the id "${entry.id}"; nothing was written`,
            {
              hints: ["allocate ids with nextWorkerId() inside the same transact call"],
            },
          );
        }
        seen.add(entry.id);
        return entry;
      });
      if (loaded.needsWrite || JSON.stringify(validated) !== before) await write(lock, validated);
      return result;
    });
  }

  async function list(): Promise<RegistryEntry[]> {
    const parsed = parse(await readTextIfExists(file));
    if (parsed.kind === "missing") return [];
    if (parsed.kind === "ok" && parsed.invalid.length === 0) return parsed.items;
    // Something to set aside (corrupt, invalid entries, a newer version): do it once, under the lock, on a fresh read.
    return transact((entries) => entries.map((e) => structuredClone(e)));
  }

  return {
    file,
    list,
    async get(id) {
      return (await list()).find((e) => e.id === id);
    },
    async upsert(entry) {
      const valid = validateEntry(entry, `the entry "${String((entry as { id?: unknown }).id)}"`);
      await transact((entries) => {
        const index = entries.findIndex((e) => e.id === valid.id);
        if (index < 0) entries.push(valid);
        else entries[index] = valid;
      });
      return valid;
    },
    async update(id, patch) {
      return transact((entries) => {
        const index = entries.findIndex((e) => e.id === id);
        const existing = entries[index];
        if (existing === undefined) {
          const known = entries.map((e) => e.id);
          throw new RegistryError("REGISTRY_ENTRY_NOT_FOUND", `no worker "${id}" in the device registry`, {
            hints: [known.length === 0 ? "the registry is empty" : `known workers: ${known.join(", ")}`],
          });
        }
        const merged = validateEntry({ ...existing, ...patch, id }, `the update of "${id}"`);
        entries[index] = merged;
        return merged;
      });
    },
    async remove(id) {
      return transact((entries) => {
        const index = entries.findIndex((e) => e.id === id);
        if (index < 0) return false;
        entries.splice(index, 1);
        return true;
      });
    },
    async renewAll(ownerPid) {
      return transact((entries) => {
        const at = now();
        let renewed = 0;
        for (const entry of entries) {
          if (entry.owner.pid === ownerPid) {
            entry.renewedAt = at;
            renewed += 1;
          }
        }
        return renewed;
      });
    },
    transact,
  };
}
