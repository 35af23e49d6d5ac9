import { backoffDelay, TypedEmitter } from "@orchestra/core";
import { WarmPoolError } from "./errors.js";
import { type Config, resolveConfig, unrefTimer } from "./pool-config.js";
import { abortedError, closedError, degradedError, queueFullError, timeoutError } from "./pool-errors.js";
import { type CreateJob, LeaseImpl, type Slot, type Waiter } from "./slot.js";
import type {
  AcquireOptions,
  DrainOptions,
  DrainReport,
  Lease,
  PoolState,
  PoolStats,
  ReleaseOptions,
  WarmPool,
  WarmPoolEvents,
  WarmPoolOptions,
} from "./warm-pool-types.js";

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
  readonly #totals = {
    created: 0,
    destroyed: 0,
    createFailures: 0,
    acquired: 0,
    timeouts: 0,
    rejectedQueueFull: 0,
  };

  constructor(config: Config<T>) {
    super();
    this.#c = config;
    this.#replenishSoon();
  }

  // ---- acquiring -------------------------------------------------------------------------

  acquire(options: AcquireOptions = {}): Promise<Lease<T>> {
    if (this.#state !== "open") return Promise.reject(closedError(this.#c.name));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortedError(this.#c.name, signal.reason));
    if (this.#waiters.length === 0) {
      const lease = this.#takeIdle();
      if (lease !== undefined) return Promise.resolve(lease);
    }
    if (this.#degraded) return Promise.reject(degradedError(this.#c.name, this.#failures, this.#lastError));
    if (this.#waiters.length >= this.#c.maxQueue) {
      this.#totals.rejectedQueueFull += 1;
      return Promise.reject(queueFullError(this.#c.name, this.#c.maxQueue));
    }
    const timeoutMs = options.timeoutMs ?? this.#c.acquireTimeoutMs;
    return new Promise<Lease<T>>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined, cleanup: undefined, settled: false };
      waiter.timer = unrefTimer(() => {
        this.#totals.timeouts += 1;
        this.#settleWaiter(waiter, timeoutError(this.#c.name, timeoutMs, this.stats(), this.#lastError));
      }, timeoutMs);
      if (signal !== undefined) {
        const onAbort = () => this.#settleWaiter(waiter, abortedError(this.#c.name, signal.reason));
        signal.addEventListener("abort", onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      this.#waiters.push(waiter);
      this.#retryTimer?.ref();
      this.#replenishSoon();
    });
  }

  tryAcquire(): Lease<T> | undefined {
    if (this.#state !== "open") throw closedError(this.#c.name);
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
      for (const waiter of [...this.#waiters])
        this.#settleWaiter(waiter, degradedError(this.#c.name, this.#failures, this.#lastError));
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
    for (const waiter of [...this.#waiters]) this.#settleWaiter(waiter, closedError(this.#c.name));
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

  // ---- observability --------------------------------------------------------------

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
