import {
  type BackoffOptions,
  backoffDelay,
  type ResolvedBackoff,
  resolveBackoff,
  TypedEmitter,
} from "@orchestra/core";
import { WarmPoolError } from "./errors.js";

/** Options of {@link createWarmPool}. */
export interface WarmPoolOptions<T> {
  /**
   * Create a resource. Honour `signal`: it aborts on the create timeout and on shutdown. A
   * resource that arrives after its creation was aborted is destroyed, never leaked.
   */
  create(signal: AbortSignal): Promise<T>;
  /** Destroy a resource. Bounded by `destroyTimeoutMs`; a failure is reported, never thrown. */
  destroy(resource: T): Promise<void> | void;
  /**
   * Optional cheap, synchronous check run when an idle resource is handed out (for example
   * "its health monitor says it is available"). `false` destroys it and tries the next one.
   * Keep network round trips out of it: it runs on the acquire hot path.
   */
  validate?(resource: T): boolean;
  /** Warm target: idle ready resources kept at all times (default 0: create on demand). */
  size?: number;
  /** Upper bound of resources alive at once, leased + idle + being created or destroyed (default `max(1, 2 * size)`). */
  max?: number;
  /** Idle time after which a resource above the warm target is destroyed, in ms (default 300 000). */
  idleTimeoutMs?: number;
  /** Leases after which a resource is recycled (default unlimited). */
  maxUses?: number;
  /** Age after which a resource is recycled, in ms (default unlimited). */
  maxAgeMs?: number;
  /** How long `acquire` waits by default, in ms (default 30 000). */
  acquireTimeoutMs?: number;
  /** How long one creation may take before it is aborted and counted as a failure, in ms (default 60 000). */
  createTimeoutMs?: number;
  /** How long one destroy may take before the pool stops waiting for it, in ms (default 10 000). */
  destroyTimeoutMs?: number;
  /** Creations allowed in flight at once, against creation storms (default 2). */
  maxConcurrentCreates?: number;
  /** Backoff after a creation failure (default 500 ms doubling to 30 s, jitter 0.2). */
  backoff?: BackoffOptions;
  /** Consecutive creation failures after which the pool is degraded (default 3). */
  degradeAfterFailures?: number;
  /** A name used in error messages (default `"pool"`). */
  name?: string;
  /** Random source in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
}

/** Options of {@link WarmPool.acquire}. */
export interface AcquireOptions {
  /** Abort the wait. Rejects with `POOL_ACQUIRE_ABORTED`. */
  signal?: AbortSignal;
  /** Override the pool's `acquireTimeoutMs` for this call. */
  timeoutMs?: number;
}

/** Options of {@link Lease.release}. */
export interface ReleaseOptions {
  /** Destroy the resource instead of returning it (it is in an unknown state). */
  dirty?: boolean;
  /** Why, for the `destroyed` event (default `"dirty release"`). */
  reason?: string;
}

/** A lease on one resource. Release it exactly once; further calls do nothing. */
export interface Lease<T> {
  /** The leased resource. */
  readonly resource: T;
  /** The pool's id of the resource (stable over its life). */
  readonly resourceId: number;
  /** How many times the resource has been leased, this lease included. */
  readonly uses: number;
  /** When the resource was created (ms since the epoch). */
  readonly createdAt: number;
  /** True once released (or reclaimed by `close()`). */
  readonly released: boolean;
  /** Give the resource back, or destroy it with `{ dirty: true }`. Idempotent. */
  release(options?: ReleaseOptions): void;
}

/** The pool's lifecycle state. */
export type PoolState = "open" | "draining" | "closed";

/** A snapshot of the pool, for observability. */
export interface PoolStats {
  /** Lifecycle state. */
  state: PoolState;
  /** Warm target. */
  size: number;
  /** Upper bound. */
  max: number;
  /** Idle ready resources. */
  idle: number;
  /** Leased resources. */
  leased: number;
  /** Creations in flight. */
  creating: number;
  /** Destroys in flight. */
  destroying: number;
  /** Queued acquires. */
  waiting: number;
  /** True while acquires are rejected fast after repeated creation failures. */
  degraded: boolean;
  /** Consecutive creation failures. */
  consecutiveFailures: number;
  /** The last creation error, if the last creation failed. */
  lastError: unknown;
  /** Counters since the pool was created. */
  totals: { created: number; destroyed: number; createFailures: number; acquired: number; timeouts: number };
}

/** What {@link WarmPool.drain} and {@link WarmPool.close} found. */
export interface DrainReport {
  /** Leases still outstanding when the deadline passed (0 when every lease came back). */
  outstandingLeases: number;
  /** Leased resources destroyed by force (`close` only). */
  forced: number;
  /** True when the deadline cut the wait short. */
  timedOut: boolean;
}

/** Options of {@link WarmPool.drain} and {@link WarmPool.close}. */
export interface DrainOptions {
  /** How long to wait for leases to come back and for destroys to finish, in ms (default 5 000). */
  deadlineMs?: number;
}

/** Events of a {@link WarmPool}. */
export interface WarmPoolEvents<T> {
  /** A resource was created. */
  created: [resource: T];
  /** A creation failed (or timed out). */
  createFailed: [error: unknown, consecutiveFailures: number];
  /** A resource was destroyed; `reason` says why (`dirty release`, `max uses`, `idle timeout`…). */
  destroyed: [resource: T, reason: string];
  /** A destroy threw or timed out. The pool forgot the resource anyway. */
  destroyFailed: [resource: T, error: unknown];
  /** Repeated creation failures: acquires now fail fast with `POOL_DEGRADED`. */
  degraded: [cause: unknown];
  /** A background creation succeeded after the pool was degraded. */
  recovered: [];
  /** `drain()` or `close()` finished. */
  closed: [report: DrainReport];
}

/** A lease-based warm pool; see {@link createWarmPool}. */
export interface WarmPool<T> {
  /**
   * Lease a resource. An idle one is handed out at once, from memory. Otherwise the call joins a
   * FIFO queue and a creation is started if capacity allows.
   *
   * Rejects with `POOL_ACQUIRE_TIMEOUT`, `POOL_ACQUIRE_ABORTED`, `POOL_DEGRADED` (at once, with the
   * last creation error as cause) or `POOL_CLOSED`.
   */
  acquire(options?: AcquireOptions): Promise<Lease<T>>;
  /** Lease an idle resource synchronously, or return `undefined` when none is ready. */
  tryAcquire(): Lease<T> | undefined;
  /**
   * Take a resource out of the pool because it is known bad (for example its process died):
   * destroyed now if idle, or when its lease is released. Returns whether the pool knew it.
   */
  evict(resource: T, reason?: string): boolean;
  /** A snapshot of counts and state. */
  stats(): PoolStats;
  /**
   * Stop: reject queued and new acquires with `POOL_CLOSED`, abort creations, destroy idle
   * resources, and wait up to the deadline for leases to come back (each is destroyed on release).
   * Never hangs. Idempotent.
   */
  drain(options?: DrainOptions): Promise<DrainReport>;
  /** `drain()`, then destroy resources still leased at the deadline. Never hangs. Idempotent. */
  close(options?: DrainOptions): Promise<DrainReport>;
  /** Subscribe to an event. Returns a function that unsubscribes. */
  on<K extends keyof WarmPoolEvents<T>>(
    event: K,
    listener: (...args: WarmPoolEvents<T>[K]) => void,
  ): () => void;
  /** Subscribe to the next occurrence of an event. */
  once<K extends keyof WarmPoolEvents<T>>(
    event: K,
    listener: (...args: WarmPoolEvents<T>[K]) => void,
  ): () => void;
  /** Remove a listener. */
  off<K extends keyof WarmPoolEvents<T>>(event: K, listener: (...args: WarmPoolEvents<T>[K]) => void): void;
}

const DEFAULT_BACKOFF: ResolvedBackoff = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

interface Config<T> {
  create: (signal: AbortSignal) => Promise<T>;
  destroy: (resource: T) => Promise<void> | void;
  validate: ((resource: T) => boolean) | undefined;
  size: number;
  max: number;
  idleTimeoutMs: number;
  maxUses: number;
  maxAgeMs: number;
  acquireTimeoutMs: number;
  createTimeoutMs: number;
  destroyTimeoutMs: number;
  maxConcurrentCreates: number;
  backoff: ResolvedBackoff;
  degradeAfterFailures: number;
  name: string;
  random: () => number;
}

function invalid(message: string): WarmPoolError {
  return new WarmPoolError("POOL_INVALID_OPTIONS", message, {
    hints: ["see the WarmPoolOptions documentation for the allowed values"],
  });
}

function resolveConfig<T>(o: WarmPoolOptions<T>): Config<T> {
  if (typeof o?.create !== "function" || typeof o.destroy !== "function") {
    throw invalid("create and destroy functions are required");
  }
  const size = o.size ?? 0;
  const c: Config<T> = {
    create: o.create,
    destroy: o.destroy,
    validate: o.validate,
    size,
    max: o.max ?? Math.max(1, 2 * size),
    idleTimeoutMs: o.idleTimeoutMs ?? 300_000,
    maxUses: o.maxUses ?? Number.POSITIVE_INFINITY,
    maxAgeMs: o.maxAgeMs ?? Number.POSITIVE_INFINITY,
    acquireTimeoutMs: o.acquireTimeoutMs ?? 30_000,
    createTimeoutMs: o.createTimeoutMs ?? 60_000,
    destroyTimeoutMs: o.destroyTimeoutMs ?? 10_000,
    maxConcurrentCreates: o.maxConcurrentCreates ?? 2,
    backoff: DEFAULT_BACKOFF,
    degradeAfterFailures: o.degradeAfterFailures ?? 3,
    name: o.name ?? "pool",
    random: o.random ?? Math.random,
  };
  const int = (name: string, v: number, min: number) => {
    if (!(Number.isInteger(v) || v === Number.POSITIVE_INFINITY) || v < min) {
      throw invalid(`${name} must be an integer >= ${min} (got ${v})`);
    }
  };
  int("size", c.size, 0);
  int("max", c.max, 1);
  if (c.size > c.max) throw invalid(`size (${c.size}) must not exceed max (${c.max})`);
  int("maxUses", c.maxUses, 1);
  int("maxConcurrentCreates", c.maxConcurrentCreates, 1);
  int("degradeAfterFailures", c.degradeAfterFailures, 1);
  for (const key of [
    "idleTimeoutMs",
    "maxAgeMs",
    "acquireTimeoutMs",
    "createTimeoutMs",
    "destroyTimeoutMs",
  ] as const) {
    if (!(c[key] > 0)) throw invalid(`${key} must be > 0 (got ${c[key]})`);
  }
  const backoff = resolveBackoff(o.backoff, DEFAULT_BACKOFF);
  if (typeof backoff === "string") throw invalid(backoff);
  c.backoff = backoff;
  return c;
}

/** Timers longer than this are not armed (setTimeout overflows past 2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function unrefTimer(fn: () => void, ms: number): NodeJS.Timeout | undefined {
  if (!Number.isFinite(ms) || ms > MAX_TIMER_MS) return undefined;
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

interface Slot<T> {
  readonly id: number;
  readonly resource: T;
  readonly createdAt: number;
  uses: number;
  state: "idle" | "leased" | "gone";
  idleTimer: NodeJS.Timeout | undefined;
  ageTimer: NodeJS.Timeout | undefined;
  retire: string | undefined;
  lease: LeaseImpl<T> | undefined;
}

interface Waiter<T> {
  resolve(lease: Lease<T>): void;
  reject(error: WarmPoolError): void;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
  settled: boolean;
}

interface CreateJob {
  readonly controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

class LeaseImpl<T> implements Lease<T> {
  readonly resource: T;
  readonly resourceId: number;
  readonly uses: number;
  readonly createdAt: number;
  #released = false;
  readonly #onRelease: (lease: LeaseImpl<T>, options: ReleaseOptions) => void;

  constructor(slot: Slot<T>, onRelease: (lease: LeaseImpl<T>, options: ReleaseOptions) => void) {
    this.resource = slot.resource;
    this.resourceId = slot.id;
    this.uses = slot.uses;
    this.createdAt = slot.createdAt;
    this.#onRelease = onRelease;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Mark released without giving anything back (the pool reclaimed the resource). */
  revoke(): void {
    this.#released = true;
  }

  release(options: ReleaseOptions = {}): void {
    if (this.#released) return;
    this.#released = true;
    this.#onRelease(this, options);
  }
}

class Pool<T> extends TypedEmitter<WarmPoolEvents<T>> implements WarmPool<T> {
  readonly #c: Config<T>;
  #state: PoolState = "open";
  /** Idle slots; the end is the most recently used (handed out first). */
  readonly #idle: Slot<T>[] = [];
  readonly #leased = new Set<Slot<T>>();
  readonly #byResource = new Map<T, Slot<T>>();
  readonly #creating = new Set<CreateJob>();
  /** Creations aborted but not yet settled (their late resource will be destroyed). */
  readonly #late = new Set<Promise<unknown>>();
  readonly #destroying = new Set<Promise<void>>();
  readonly #waiters: Waiter<T>[] = [];
  #nextId = 1;
  #failures = 0;
  #lastError: unknown;
  #degraded = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #replenishQueued: NodeJS.Timeout | undefined;
  #drainPromise: Promise<DrainReport> | undefined;
  #closePromise: Promise<DrainReport> | undefined;
  #onSettle: (() => void) | undefined;
  readonly #totals = { created: 0, destroyed: 0, createFailures: 0, acquired: 0, timeouts: 0 };

  constructor(config: Config<T>) {
    super();
    this.#c = config;
    this.#replenishSoon();
  }

  // ---- acquiring -------------------------------------------------------------------------

  acquire(options: AcquireOptions = {}): Promise<Lease<T>> {
    if (this.#state !== "open") return Promise.reject(this.#closedError());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.#abortedError(signal.reason));
    if (this.#waiters.length === 0) {
      const lease = this.#takeIdle();
      if (lease !== undefined) return Promise.resolve(lease);
    }
    if (this.#degraded) return Promise.reject(this.#degradedError());
    const timeoutMs = options.timeoutMs ?? this.#c.acquireTimeoutMs;
    return new Promise<Lease<T>>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined, cleanup: undefined, settled: false };
      waiter.timer = unrefTimer(() => {
        this.#totals.timeouts += 1;
        this.#settleWaiter(waiter, this.#timeoutError(timeoutMs));
      }, timeoutMs);
      if (signal !== undefined) {
        const onAbort = () => this.#settleWaiter(waiter, this.#abortedError(signal.reason));
        signal.addEventListener("abort", onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      this.#waiters.push(waiter);
      this.#retryTimer?.ref();
      this.#replenishSoon();
    });
  }

  tryAcquire(): Lease<T> | undefined {
    if (this.#state !== "open") throw this.#closedError();
    if (this.#waiters.length > 0) return undefined;
    return this.#takeIdle();
  }

  /** Pop idle slots (most recent first) until one is fit to lease. */
  #takeIdle(): Lease<T> | undefined {
    for (let slot = this.#idle.pop(); slot !== undefined; slot = this.#idle.pop()) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      const unfit = this.#unfit(slot) ?? (this.#validate(slot) ? undefined : "validation failed");
      if (unfit !== undefined) {
        this.#destroySlot(slot, unfit);
        continue;
      }
      const lease = this.#lease(slot);
      this.#replenishSoon();
      return lease;
    }
    return undefined;
  }

  #validate(slot: Slot<T>): boolean {
    if (this.#c.validate === undefined) return true;
    try {
      return this.#c.validate(slot.resource);
    } catch {
      return false;
    }
  }

  /** Why a slot must not be leased again, or `undefined` when it may. */
  #unfit(slot: Slot<T>): string | undefined {
    if (slot.retire !== undefined) return slot.retire;
    if (slot.uses >= this.#c.maxUses) return "max uses";
    if (Date.now() - slot.createdAt >= this.#c.maxAgeMs) return "max age";
    return undefined;
  }

  #lease(slot: Slot<T>): LeaseImpl<T> {
    slot.state = "leased";
    slot.uses += 1;
    this.#leased.add(slot);
    this.#totals.acquired += 1;
    const lease = new LeaseImpl(slot, (l, options) => this.#release(slot, l, options));
    slot.lease = lease;
    return lease;
  }

  #settleWaiter(waiter: Waiter<T>, outcome: WarmPoolError | Lease<T>): void {
    if (waiter.settled) return;
    waiter.settled = true;
    clearTimeout(waiter.timer);
    waiter.cleanup?.();
    const index = this.#waiters.indexOf(waiter);
    if (index >= 0) this.#waiters.splice(index, 1);
    if (outcome instanceof WarmPoolError) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }

  /** Give a ready slot to the first waiter, or park it idle. */
  #offer(slot: Slot<T>): void {
    const waiter = this.#waiters[0];
    if (waiter !== undefined) {
      this.#settleWaiter(waiter, this.#lease(slot));
      return;
    }
    slot.state = "idle";
    this.#idle.push(slot);
    this.#armIdleTimer(slot);
  }

  #armIdleTimer(slot: Slot<T>): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = unrefTimer(() => {
      slot.idleTimer = undefined;
      if (slot.state !== "idle") return;
      if (this.#idle.length > this.#c.size) {
        this.#idle.splice(this.#idle.indexOf(slot), 1);
        this.#destroySlot(slot, "idle timeout");
      } else {
        this.#armIdleTimer(slot); // at or below the warm target: keep it, look again later
      }
    }, this.#c.idleTimeoutMs);
  }

  // ---- releasing and destroying ------------------------------------------------------------

  #release(slot: Slot<T>, lease: LeaseImpl<T>, options: ReleaseOptions): void {
    if (slot.lease !== lease || slot.state !== "leased") return;
    slot.lease = undefined;
    this.#leased.delete(slot);
    const reason = options.dirty
      ? (options.reason ?? "dirty release")
      : this.#state !== "open"
        ? "pool closing"
        : this.#unfit(slot);
    if (reason !== undefined) this.#destroySlot(slot, reason);
    else this.#offer(slot);
    this.#replenishSoon();
    this.#checkSettled();
  }

  evict(resource: T, reason = "evicted"): boolean {
    const slot = this.#byResource.get(resource);
    if (slot === undefined) return false;
    if (slot.state === "idle") {
      this.#idle.splice(this.#idle.indexOf(slot), 1);
      this.#destroySlot(slot, reason);
      this.#replenishSoon();
    } else {
      slot.retire ??= reason;
    }
    return true;
  }

  #destroySlot(slot: Slot<T>, reason: string): void {
    if (slot.state === "gone") return;
    slot.state = "gone";
    clearTimeout(slot.idleTimer);
    clearTimeout(slot.ageTimer);
    slot.idleTimer = slot.ageTimer = undefined;
    this.#byResource.delete(slot.resource);
    this.#destroyResource(slot.resource, reason);
  }

  #destroyResource(resource: T, reason: string): void {
    const { destroyTimeoutMs, name } = this.#c;
    let timer: NodeJS.Timeout | undefined;
    const work = (async () => {
      try {
        await Promise.race([
          Promise.resolve().then(() => this.#c.destroy(resource)),
          new Promise<never>((_, reject) => {
            timer = unrefTimer(
              () =>
                reject(
                  new WarmPoolError(
                    "POOL_DESTROY_TIMEOUT",
                    `${name}: destroying a resource took longer than ${destroyTimeoutMs} ms; the pool no longer waits for it`,
                  ),
                ),
              destroyTimeoutMs,
            );
          }),
        ]);
        this.#totals.destroyed += 1;
        this.emit("destroyed", resource, reason);
      } catch (error) {
        this.emit("destroyFailed", resource, error);
      } finally {
        clearTimeout(timer);
      }
    })();
    this.#destroying.add(work);
    void work.then(() => {
      this.#destroying.delete(work);
      this.#replenishSoon();
      this.#checkSettled();
    });
  }

  // ---- creating ------------------------------------------------------------------------------

  #replenishSoon(): void {
    if (this.#replenishQueued !== undefined || this.#state !== "open") return;
    // On a later macrotask, so the caller that just got a lease runs before any create() does.
    // This hop is referenced: an acquire waiting for a creation must not let the process exit
    // before the creation even starts.
    this.#replenishQueued = setTimeout(() => {
      this.#replenishQueued = undefined;
      this.#replenish();
    }, 0);
  }

  /** Start as many creations as demand needs and the bounds allow. */
  #replenish(): void {
    if (this.#state !== "open" || this.#retryTimer !== undefined) return;
    const { size, max, maxConcurrentCreates } = this.#c;
    let need = this.#waiters.length + Math.max(0, size - this.#idle.length) - this.#creating.size;
    // While degraded, keep one background attempt going so the pool can recover.
    if (this.#degraded && this.#creating.size === 0) need = Math.max(need, 1);
    while (
      need > 0 &&
      this.#creating.size < maxConcurrentCreates &&
      this.#idle.length + this.#leased.size + this.#creating.size + this.#destroying.size < max
    ) {
      this.#startCreate();
      need -= 1;
    }
  }

  #startCreate(): void {
    const { createTimeoutMs, name } = this.#c;
    const job: CreateJob = { controller: new AbortController(), timer: undefined, settled: false };
    this.#creating.add(job);
    job.timer = unrefTimer(() => {
      job.controller.abort(
        new WarmPoolError(
          "POOL_CREATE_TIMEOUT",
          `${name}: creating a resource took longer than ${createTimeoutMs} ms`,
        ),
      );
    }, createTimeoutMs);
    const finish = (): boolean => {
      if (job.settled) return false;
      job.settled = true;
      clearTimeout(job.timer);
      this.#creating.delete(job);
      return true;
    };
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(this.#c.create(job.controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    // An abort settles the creation at once, even if `create` ignores its signal.
    job.controller.signal.addEventListener(
      "abort",
      () => {
        if (!finish()) return;
        const late = pending.then(
          (resource) => this.#destroyResource(resource, "created after its creation was aborted"),
          () => {},
        );
        this.#late.add(late);
        void late.then(() => {
          this.#late.delete(late);
          this.#checkSettled();
        });
        if (this.#state === "open") this.#createFailed(job.controller.signal.reason);
        else this.#checkSettled();
      },
      { once: true },
    );
    pending.then(
      (resource) => {
        if (finish()) this.#created(resource);
      },
      (error: unknown) => {
        if (finish()) this.#createFailed(error);
      },
    );
  }

  #created(resource: T): void {
    this.#totals.created += 1;
    this.#failures = 0;
    this.#lastError = undefined;
    const slot: Slot<T> = {
      id: this.#nextId++,
      resource,
      createdAt: Date.now(),
      uses: 0,
      state: "idle",
      idleTimer: undefined,
      ageTimer: undefined,
      retire: undefined,
      lease: undefined,
    };
    this.#byResource.set(resource, slot);
    this.emit("created", resource);
    if (this.#state !== "open") {
      this.#destroySlot(slot, "pool closing");
      return;
    }
    slot.ageTimer = unrefTimer(() => {
      slot.ageTimer = undefined;
      if (slot.state === "idle") {
        this.#idle.splice(this.#idle.indexOf(slot), 1);
        this.#destroySlot(slot, "max age");
        this.#replenishSoon();
      } else {
        slot.retire ??= "max age";
      }
    }, this.#c.maxAgeMs);
    if (this.#degraded) {
      this.#degraded = false;
      this.emit("recovered");
    }
    this.#offer(slot);
    this.#replenishSoon();
  }

  #createFailed(error: unknown): void {
    this.#totals.createFailures += 1;
    this.#failures += 1;
    this.#lastError = error;
    this.emit("createFailed", error, this.#failures);
    if (this.#state !== "open") return;
    if (!this.#degraded && this.#failures >= this.#c.degradeAfterFailures) {
      this.#degraded = true;
      this.emit("degraded", error);
      for (const waiter of [...this.#waiters]) this.#settleWaiter(waiter, this.#degradedError());
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = unrefTimer(
      () => {
        this.#retryTimer = undefined;
        this.#replenish();
      },
      backoffDelay(this.#failures - 1, this.#c.backoff, this.#c.random),
    );
    // Keep the process alive for a retry someone is waiting for; background retries do not.
    if (this.#waiters.length > 0) this.#retryTimer?.ref();
  }

  // ---- shutting down -------------------------------------------------------------------------

  drain(options: DrainOptions = {}): Promise<DrainReport> {
    this.#drainPromise ??= this.#drain(options.deadlineMs ?? 5_000);
    return this.#drainPromise;
  }

  async #drain(deadlineMs: number): Promise<DrainReport> {
    this.#state = "draining";
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clearTimeout(this.#replenishQueued);
    this.#replenishQueued = undefined;
    for (const waiter of [...this.#waiters]) this.#settleWaiter(waiter, this.#closedError());
    for (const job of [...this.#creating]) {
      job.controller.abort(new WarmPoolError("POOL_CLOSED", `${this.#c.name} is shutting down`));
    }
    for (const slot of this.#idle.splice(0)) this.#destroySlot(slot, "pool closing");
    const timedOut = !(await this.#settled(deadlineMs));
    return { outstandingLeases: this.#leased.size, forced: 0, timedOut };
  }

  close(options: DrainOptions = {}): Promise<DrainReport> {
    this.#closePromise ??= (async () => {
      const drained = await this.drain(options);
      const forced = [...this.#leased];
      for (const slot of forced) {
        slot.lease?.revoke();
        slot.lease = undefined;
        this.#leased.delete(slot);
        this.#destroySlot(slot, "pool closed while leased");
      }
      // Destroys are individually bounded by destroyTimeoutMs, so this wait is bounded too.
      await Promise.all([...this.#destroying]);
      this.#state = "closed";
      const report = { ...drained, forced: forced.length };
      this.emit("closed", report);
      return report;
    })();
    return this.#closePromise;
  }

  /** Resolve true once nothing is leased, destroying or pending creation; false at the deadline. */
  #settled(deadlineMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = unrefTimer(() => {
        this.#onSettle = undefined;
        resolve(false);
      }, deadlineMs);
      this.#onSettle = () => {
        this.#onSettle = undefined;
        clearTimeout(timer);
        resolve(true);
      };
      this.#checkSettled();
    });
  }

  #checkSettled(): void {
    if (
      this.#onSettle !== undefined &&
      this.#leased.size === 0 &&
      this.#destroying.size === 0 &&
      this.#creating.size === 0 &&
      this.#late.size === 0
    ) {
      this.#onSettle();
    }
  }

  // ---- observability and errors --------------------------------------------------------------

  stats(): PoolStats {
    return {
      state: this.#state,
      size: this.#c.size,
      max: this.#c.max,
      idle: this.#idle.length,
      leased: this.#leased.size,
      creating: this.#creating.size,
      destroying: this.#destroying.size,
      waiting: this.#waiters.length,
      degraded: this.#degraded,
      consecutiveFailures: this.#failures,
      lastError: this.#lastError,
      totals: { ...this.#totals },
    };
  }

  #closedError(): WarmPoolError {
    return new WarmPoolError("POOL_CLOSED", `${this.#c.name} is shut down and hands out nothing`, {
      hints: ["acquire before shutdown starts, or create a new pool"],
    });
  }

  #abortedError(reason: unknown): WarmPoolError {
    return new WarmPoolError(
      "POOL_ACQUIRE_ABORTED",
      `${this.#c.name}: the acquire was aborted by its signal`,
      {
        cause: reason,
      },
    );
  }

  #degradedError(): WarmPoolError {
    const last = this.#lastError instanceof Error ? this.#lastError.message : String(this.#lastError);
    return new WarmPoolError(
      "POOL_DEGRADED",
      `${this.#c.name} is degraded: the last ${this.#failures} attempts to create a resource failed (last: ${last})`,
      {
        cause: this.#lastError,
        hints: [
          "fix the cause above; the pool keeps retrying in the background and recovers on its own",
          "until then, acquires fail at once instead of waiting",
        ],
      },
    );
  }

  #timeoutError(timeoutMs: number): WarmPoolError {
    const s = this.stats();
    return new WarmPoolError(
      "POOL_ACQUIRE_TIMEOUT",
      `${this.#c.name}: no resource became available within ${timeoutMs} ms (leased ${s.leased} of max ${s.max}, creating ${s.creating}, waiting ${s.waiting})`,
      {
        cause: this.#lastError,
        hints: ["release leases sooner, raise max, or raise the acquire timeout"],
      },
    );
  }
}

/**
 * Create a lease-based warm pool of any resource. It keeps `size` resources idle and ready,
 * hands them out from memory, replenishes in the background, recycles by uses and age, reaps
 * idle resources only above the warm target, backs off after creation failures and turns
 * `degraded` (fast `POOL_DEGRADED` rejections) after repeated ones, and shuts down without
 * hanging.
 *
 * @throws {WarmPoolError} `POOL_INVALID_OPTIONS` for out-of-range options.
 *
 * @example
 * ```ts
 * const pool = createWarmPool({ size: 1, max: 4, create: (signal) => spawnWorker(signal), destroy: (w) => w.kill() });
 * const lease = await pool.acquire({ timeoutMs: 10_000 });
 * try { await lease.resource.run(task); lease.release(); } catch { lease.release({ dirty: true }); }
 * await pool.close();
 * ```
 */
export function createWarmPool<T>(options: WarmPoolOptions<T>): WarmPool<T> {
  return new Pool(resolveConfig(options));
}
