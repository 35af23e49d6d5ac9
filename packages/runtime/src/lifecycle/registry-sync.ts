import { readFileSync } from "node:fs";
import { classifyEntry } from "../registry/classify.js";
import type { RegistryLogger } from "../registry/logger.js";
import type { DeviceRegistry } from "../registry/registry.js";
import type { RegistryEntry, RegistryOwner } from "../registry/schema.js";
import { LifecycleError } from "./lifecycle-error.js";

/** Options of {@link RegistrySync}. */
export interface RegistrySyncOptions {
  registry: DeviceRegistry;
  owner: RegistryOwner;
  logger: RegistryLogger;
  /**
   * A write failed (the entries stay in memory and the write is retried). `workerIds`: the workers
   * whose change it carried (empty for a renewal or a read).
   */
  onError: (error: unknown, workerIds: string[]) => void;
  /** First retry delay after a failed write, doubling up to `retryMaxMs` (default 250 ms). */
  retryInitialMs?: number;
  /** Longest retry delay (default 10 s). */
  retryMaxMs?: number;
}

/** The outcome of one {@link RegistrySync.flush}. */
export type FlushResult = { ok: true } | { ok: false; error: unknown };

const sameOwner = (a: RegistryOwner, b: RegistryOwner) => a.pid === b.pid && a.startTime === b.startTime;

/**
 * Keeps this lifecycle's workers in the device registry. Memory holds the entries as they should
 * be (the desired state); {@link flush} writes all pending changes in one serialized transaction.
 * A failed write (lock timeout, read-only directory, full disk) loses nothing: the entries stay in
 * memory, `onError` is told, and the write is retried with backoff and on every renewal.
 */
export class RegistrySync {
  readonly registry: DeviceRegistry;
  readonly #o: RegistrySyncOptions;
  readonly #desired = new Map<string, RegistryEntry>();
  /** Per id: the version of the desired entry, and the version last written. */
  readonly #version = new Map<string, number>();
  readonly #written = new Map<string, number>();
  readonly #removals = new Set<string>();
  /**
   * Ids this sync ever held (written by us, or by recovery when it adopted them): shutdown settles
   * only these (several lifecycles may share a process).
   */
  readonly #ever = new Set<string>();
  readonly #conflicts = new Map<string, LifecycleError>();
  #taken = new Set<string>();
  #chain: Promise<unknown> = Promise.resolve();
  #pending: Promise<FlushResult> | undefined;
  #dirty = false;
  #renewDue = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: RegistrySyncOptions) {
    this.#o = options;
    this.registry = options.registry;
  }

  /**
   * Ids in the registry right now: a synchronous, lock-free read of the (atomically replaced)
   * file, so a spawn never picks an id another orchestrator recorded a moment ago. Falls back to
   * the last known ids when the file cannot be read.
   */
  takenNow(): Set<string> {
    try {
      const doc = JSON.parse(readFileSync(this.registry.file, "utf8")) as { entries?: unknown };
      if (Array.isArray(doc.entries)) {
        const ids = new Set<string>();
        for (const e of doc.entries) {
          const id = (e as { id?: unknown } | null)?.id;
          if (typeof id === "string") ids.add(id);
        }
        this.#taken = ids;
      }
    } catch {
      // Missing or being repaired: the cached ids will do.
    }
    return new Set([...this.#taken, ...this.#desired.keys()]);
  }

  /** Re-read the ids in use (after recovery). */
  async refreshTaken(): Promise<void> {
    try {
      this.#taken = new Set((await this.registry.list()).map((e) => e.id));
    } catch (error) {
      this.#o.onError(error, []);
    }
  }

  /** Our entry for `id` as it should be on disk. */
  entry(id: string): RegistryEntry | undefined {
    return this.#desired.get(id);
  }

  /** Every entry we hold (starting ones included). */
  entries(): RegistryEntry[] {
    return [...this.#desired.values()];
  }

  /** True when the registry holds the latest state of `id`'s entry. */
  isRecorded(id: string): boolean {
    const version = this.#version.get(id);
    return version !== undefined && this.#written.get(id) === version;
  }

  /** The `LIFECYCLE_ID_TAKEN` error when another live owner holds `id`, found by the last write. */
  conflict(id: string): LifecycleError | undefined {
    return this.#conflicts.get(id);
  }

  /** Hold `entry` (insert or replace); written by the next {@link flush}. */
  set(entry: RegistryEntry): void {
    this.#desired.set(entry.id, entry);
    this.#ever.add(entry.id);
    this.#version.set(entry.id, (this.#version.get(entry.id) ?? 0) + 1);
    this.#removals.delete(entry.id);
    this.#dirty = true;
  }

  /** Change fields of a held entry (no-op when not held). */
  patch(id: string, patch: Partial<Pick<RegistryEntry, "status">>): void {
    const entry = this.#desired.get(id);
    if (entry !== undefined) this.set({ ...entry, ...patch });
  }

  /** Forget `id`; the next {@link flush} removes our entry of it. */
  drop(id: string): void {
    if (!this.#ever.has(id)) return;
    this.#desired.delete(id);
    this.#version.delete(id);
    this.#written.delete(id);
    this.#conflicts.delete(id);
    this.#removals.add(id);
    this.#dirty = true;
  }

  /**
   * Write every pending change in one transaction (serialized with earlier writes; concurrent calls
   * share the next write). Never rejects: a failure is reported through `onError`, kept for a retry,
   * and returned.
   */
  flush(): Promise<FlushResult> {
    if (this.#pending === undefined) {
      const next = this.#chain.then(() => {
        this.#pending = undefined;
        return this.#write();
      });
      this.#pending = next;
      this.#chain = next;
    }
    return this.#pending;
  }

  /** Renew our entries now; entries of ours that vanished are written back. */
  async renewNow(): Promise<void> {
    this.#renewDue = true;
    await this.flush();
    await this.refreshTaken();
  }

  /** Renew every `everyMs` (unref'd timer). */
  startRenewing(everyMs: number): void {
    clearInterval(this.#renewTimer);
    this.#renewTimer = setInterval(() => void this.renewNow(), everyMs);
    this.#renewTimer.unref();
  }

  /** Stop writing (timers, retries); shutdown settles the registry itself. Waits for a write in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#renewTimer);
    clearTimeout(this.#retryTimer);
    await this.#chain.catch(() => undefined);
  }

  /**
   * Shutdown: in one transaction, remove every entry this sync wrote and still owns, except
   * `leftovers` (alive after SIGKILL), which are marked `orphaned`.
   */
  async settle(leftovers: ReadonlySet<string>): Promise<void> {
    const ids = this.#ever;
    await this.registry.transact((entries) => {
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i] as RegistryEntry;
        if (!sameOwner(e.owner, this.#o.owner) || !ids.has(e.id)) continue;
        if (leftovers.has(e.id)) entries[i] = { ...e, status: "orphaned" };
        else entries.splice(i, 1);
      }
    });
  }

  async #write(): Promise<FlushResult> {
    if (this.#stopped || (!this.#dirty && !this.#renewDue)) return { ok: true };
    const renew = this.#renewDue;
    this.#dirty = false;
    this.#renewDue = false;
    const desired = new Map(this.#desired);
    const versions = new Map(this.#version);
    const removals = new Set(this.#removals);
    const owner = this.#o.owner;
    try {
      const conflicts = await this.registry.transact((entries) => {
        const at = Date.now();
        const found = new Map<string, LifecycleError>();
        for (let i = entries.length - 1; i >= 0; i--) {
          const e = entries[i] as RegistryEntry;
          if (removals.has(e.id) && sameOwner(e.owner, owner)) entries.splice(i, 1);
          else if (renew && sameOwner(e.owner, owner)) e.renewedAt = at;
        }
        for (const [id, wanted] of desired) {
          const index = entries.findIndex((e) => e.id === id);
          const existing = entries[index];
          if (
            existing !== undefined &&
            !sameOwner(existing.owner, owner) &&
            classifyEntry(existing) !== "dead"
          ) {
            found.set(id, idTaken(id, existing));
            continue;
          }
          if (existing === undefined && this.#written.has(id))
            this.#o.logger.warn(`worker ${id} was missing from the device registry; recorded it again`);
          const next = { ...wanted, renewedAt: at };
          if (existing === undefined) entries.push(next);
          else entries[index] = next;
        }
        this.#taken = new Set(entries.map((e) => e.id));
        return found;
      });
      for (const [id, version] of versions) {
        if (!desired.has(id)) continue;
        const conflict = conflicts.get(id);
        if (conflict) this.#conflicts.set(id, conflict);
        else this.#written.set(id, version);
      }
      for (const id of removals) if (!this.#desired.has(id)) this.#removals.delete(id);
      this.#failures = 0;
      return { ok: true };
    } catch (error) {
      this.#dirty = true;
      this.#failures += 1;
      this.#o.logger.warn(
        `could not write the device registry (attempt ${this.#failures}; the workers keep running and are retried): ${(error as Error).message}`,
      );
      const changed = [...versions].filter(([id, v]) => this.#written.get(id) !== v).map(([id]) => id);
      this.#o.onError(error, [...changed, ...removals]);
      this.#scheduleRetry();
      return { ok: false, error };
    }
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retryTimer !== undefined) return;
    const initial = this.#o.retryInitialMs ?? 250;
    const delay = Math.min(this.#o.retryMaxMs ?? 10_000, initial * 2 ** Math.min(this.#failures - 1, 16));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.flush();
    }, delay);
    this.#retryTimer.unref();
  }
}

function idTaken(id: string, existing: RegistryEntry): LifecycleError {
  return new LifecycleError(
    "LIFECYCLE_ID_TAKEN",
    `worker id "${id}" was just taken in the device registry by pid ${existing.owner.pid}`,
    { hints: ["spawn again: the next attempt picks a free id", "or run `orchestra workers cleanup`"] },
  );
}
