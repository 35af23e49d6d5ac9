import type { BackoffOptions } from "@orchestra/core";

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
  /**
   * Most acquires allowed to wait in the queue (default unbounded). An acquire that would wait
   * beyond it fails at once with `POOL_QUEUE_FULL`.
   */
  maxQueue?: number;
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
  totals: {
    created: number;
    destroyed: number;
    createFailures: number;
    acquired: number;
    timeouts: number;
    /** Acquires refused at once because the queue was full. */
    rejectedQueueFull: number;
  };
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
   * last creation error as cause), `POOL_QUEUE_FULL` (at once, when `maxQueue` acquires already
   * wait) or `POOL_CLOSED`.
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
