import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { currentProcessIdentity, isSameProcess, type ProcessIdentity } from "@orchestra/process";
import { withFileLock } from "../registry/file-lock.js";
import { readTextIfExists, writeJsonAtomic } from "../registry/json-file.js";
import { consoleRegistryLogger, type RegistryLogger } from "../registry/logger.js";
import { defaultRegistryFile } from "../registry/paths.js";
import { RuntimeError } from "../runtime-error.js";
import type { AskProgress } from "./ask-watch.js";

/** One ask's place in a provider's queue: waiting, or holding one of the provider's slots. */
interface Ticket {
  id: string;
  /** The process that took it (pid + start time): a ticket of a process that is gone is dropped. */
  pid: number;
  startTime: string;
  holding: boolean;
  /** Epoch ms when it was taken. */
  since: number;
}

/** The shared file: per provider id, its tickets in arrival order (FIFO). */
interface SlotsDocument {
  version: 1;
  providers: Record<string, Ticket[]>;
}

/** An ask waiting for a slot, as reported to {@link AcquireOptions.onWait}. */
export interface SlotWait {
  provider: string;
  /** Slots of the provider in use now (by every process of the user). */
  inUse: number;
  /** The cap (`modelSelection.maxConcurrent[provider]`) this process applies. */
  cap: number;
  /** Asks queued ahead of this one. */
  ahead: number;
  /** How long this ask has waited, in ms. */
  waitedMs: number;
}

/** Options of {@link ProviderSlots.acquire}. */
export interface AcquireOptions {
  /** Stop waiting (the ticket is withdrawn and the abort reason thrown). */
  signal?: AbortSignal;
  /** Called when the ask has to wait, then every `waitIntervalMs` while it does. */
  onWait?: (wait: SlotWait) => void;
  /** Default 5 000 ms. */
  waitIntervalMs?: number;
}

/** Options of {@link ProviderSlots}. */
export interface ProviderSlotsOptions {
  /** Provider id → the most requests in flight at once (`modelSelection.maxConcurrent`). */
  caps: Readonly<Record<string, number>>;
  /** The shared state file (default {@link defaultProviderSlotsFile}). */
  file?: string;
  /** How often a waiting ask looks at the queue again, in ms (default 100). */
  pollMs?: number;
  logger?: RegistryLogger;
}

/**
 * The default shared state of the provider caps: `provider-slots.json` beside the device registry
 * (`$XDG_DATA_HOME/opencode/orchestra/`), or beside `registryFile` when one is given.
 */
export function defaultProviderSlotsFile(registryFile: string = defaultRegistryFile()): string {
  return join(dirname(registryFile), "provider-slots.json");
}

let identity: ProcessIdentity | undefined;

/** "an anthropic slot", "a google slot". */
function slotOf(provider: string): string {
  return `${/^[aeiou]/i.test(provider) ? "an" : "a"} ${provider} slot`;
}

/** `waiting for an anthropic slot: 4 of 4 in use` (and how many asks are ahead, if any). */
export function describeSlotWait(wait: SlotWait): string {
  const ahead = wait.ahead === 0 ? "" : `, ${wait.ahead} ${wait.ahead === 1 ? "ask" : "asks"} ahead`;
  return `waiting for ${slotOf(wait.provider)}: ${wait.inUse} of ${wait.cap} in use${ahead}`;
}

/**
 * Per-provider concurrency caps shared by every process of the user (every orchestrator and every
 * `orchestra workers ask`): a FIFO ticket queue per provider in one JSON file, changed only under
 * its cross-process file lock (proper-lockfile). A ticket whose process is gone (pid + start time)
 * is dropped, so a crashed holder never blocks the others. Each process applies its own cap: a
 * waiting ask is admitted when fewer than `cap` slots are in use and fewer than the free slots wait
 * ahead of it.
 */
export class ProviderSlots {
  readonly file: string;
  readonly #caps: Readonly<Record<string, number>>;
  readonly #pollMs: number;
  readonly #logger: RegistryLogger;

  constructor(options: ProviderSlotsOptions) {
    this.#caps = { ...options.caps };
    this.file = options.file ?? defaultProviderSlotsFile();
    this.#pollMs = options.pollMs ?? 100;
    this.#logger = options.logger ?? consoleRegistryLogger;
  }

  /** The cap of `provider`, or `undefined` when it has none. */
  cap(provider: string): number | undefined {
    return Object.hasOwn(this.#caps, provider) ? this.#caps[provider] : undefined;
  }

  /**
   * Wait for a slot of `provider` (at once when it has no cap), in arrival order across processes.
   * Returns the release (idempotent); call it when the request is over.
   * @throws the signal's abort reason when `signal` aborts while waiting (the ticket is withdrawn).
   */
  async acquire(provider: string, options: AcquireOptions = {}): Promise<() => Promise<void>> {
    const cap = this.cap(provider);
    if (cap === undefined) return async () => undefined;
    identity ??= currentProcessIdentity();
    const ticket: Ticket = {
      id: randomUUID(),
      pid: identity.pid,
      startTime: identity.startTime,
      holding: false,
      since: Date.now(),
    };
    const started = Date.now();
    const interval = options.waitIntervalMs ?? 5_000;
    let reportedAt: number | undefined;
    let release: (() => Promise<void>) | undefined;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const state = await this.#update((doc) => admit(doc, provider, ticket, cap));
        if (state.admitted) {
          let released = false;
          release = async () => {
            if (released) return;
            released = true;
            try {
              await this.#update((doc) => withdraw(doc, provider, ticket.id));
            } catch (error) {
              // The answer is not lost for it; the ticket goes when this process does.
              this.#logger.warn(`could not give back a ${provider} slot in ${this.file}`, {
                error: (error as Error).message,
              });
            }
          };
          return release;
        }
        const now = Date.now();
        if (reportedAt === undefined || now - reportedAt >= interval) {
          reportedAt = now;
          try {
            options.onWait?.({
              provider,
              inUse: state.inUse,
              cap,
              ahead: state.ahead,
              waitedMs: now - started,
            });
          } catch {
            // A failing listener never fails the ask.
          }
        }
        await sleep(this.#pollMs, options.signal);
      }
    } finally {
      if (release === undefined) await this.#update((doc) => withdraw(doc, provider, ticket.id));
    }
  }

  /** Read, change and write the file under its lock; a corrupt file starts over empty. */
  async #update<T>(change: (doc: SlotsDocument) => T): Promise<T> {
    return withFileLock(this.file, {}, this.#logger, async (lock) => {
      const doc = parse(await readTextIfExists(this.file), this.file, this.#logger);
      const result = change(doc);
      for (const [provider, tickets] of Object.entries(doc.providers))
        if (tickets.length === 0) delete doc.providers[provider];
      lock.assertHeld();
      await writeJsonAtomic(this.file, doc);
      return result;
    });
  }
}

function parse(text: string | undefined, file: string, logger: RegistryLogger): SlotsDocument {
  if (text === undefined) return { version: 1, providers: {} };
  try {
    const value = JSON.parse(text) as Partial<SlotsDocument>;
    if (value.version === 1 && typeof value.providers === "object" && value.providers !== null)
      return { version: 1, providers: value.providers };
  } catch {
    // Reported below.
  }
  logger.warn(`the provider slots file ${file} is not valid; starting it over empty`);
  return { version: 1, providers: {} };
}

/** Drop the tickets of processes that are gone, queue `ticket` if new, and admit it if its turn came. */
function admit(
  doc: SlotsDocument,
  provider: string,
  ticket: Ticket,
  cap: number,
): { admitted: boolean; inUse: number; ahead: number } {
  const tickets = (doc.providers[provider] ?? []).filter(
    (t) => (t.pid === ticket.pid && t.startTime === ticket.startTime) || isSameProcess(t.pid, t.startTime),
  );
  doc.providers[provider] = tickets;
  let own = tickets.find((t) => t.id === ticket.id);
  if (own === undefined) {
    own = { ...ticket };
    tickets.push(own);
  }
  const inUse = tickets.filter((t) => t.holding).length;
  if (own.holding) return { admitted: true, inUse, ahead: 0 };
  const ahead = tickets.filter((t) => !t.holding).indexOf(own);
  if (ahead < cap - inUse) {
    own.holding = true;
    return { admitted: true, inUse: inUse + 1, ahead: 0 };
  }
  return { admitted: false, inUse, ahead };
}

function withdraw(doc: SlotsDocument, provider: string, id: string): void {
  const tickets = doc.providers[provider];
  if (tickets) doc.providers[provider] = tickets.filter((t) => t.id !== id);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The ask around one prompt, for {@link withProviderSlot}. */
export interface SlotAsk {
  workerId: string;
  /** `performance.now()` when the ask started (progress reports time since then). */
  startedAt: number;
  onProgress?: (progress: AskProgress) => void;
  /** Default 5 000 ms. */
  progressIntervalMs?: number;
  /** Any of them aborting ends the wait (the ask's signal, its timeout). */
  signals: readonly (AbortSignal | undefined)[];
}

/**
 * Run `prompt` holding a slot of `provider` (at once when `slots` is undefined or the provider has
 * no cap); while it waits, the ask's progress says `waiting for an anthropic slot: 4 of 4 in use`.
 * @throws {RuntimeError} `WORKER_ASK_FAILED` when the ask is cancelled or times out while it waits.
 */
export async function withProviderSlot<T>(
  slots: ProviderSlots | undefined,
  provider: string,
  ask: SlotAsk,
  prompt: () => Promise<T>,
): Promise<T> {
  if (slots?.cap(provider) === undefined) return prompt();
  const signals = ask.signals.filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
  let release: () => Promise<void>;
  try {
    release = await slots.acquire(provider, {
      ...(signal === undefined ? {} : { signal }),
      ...(ask.progressIntervalMs === undefined ? {} : { waitIntervalMs: ask.progressIntervalMs }),
      onWait: (wait) =>
        ask.onProgress?.({
          workerId: ask.workerId,
          activity: describeSlotWait(wait),
          elapsedMs: performance.now() - ask.startedAt,
        }),
    });
  } catch (error) {
    if (!signal?.aborted) throw error;
    throw new RuntimeError(
      "WORKER_ASK_FAILED",
      `worker "${ask.workerId}" did not answer: it stopped waiting for ${slotOf(provider)} (${String(signal.reason)})`,
      {
        cause: error,
        hints: [
          `modelSelection.maxConcurrent caps ${provider} at ${slots.cap(provider)} asks at once for all your processes; raise it, or give the ask a longer timeout`,
        ],
      },
    );
  }
  try {
    return await prompt();
  } finally {
    await release();
  }
}
