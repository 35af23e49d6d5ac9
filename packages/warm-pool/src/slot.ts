import type { WarmPoolError } from "./errors.js";
import type { Lease, ReleaseOptions } from "./warm-pool-types.js";

/** One resource the pool holds, and its bookkeeping. */
export interface Slot<T> {
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

/** One queued acquire. */
export interface Waiter<T> {
  resolve(lease: Lease<T>): void;
  reject(error: WarmPoolError): void;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
  settled: boolean;
}

/** One creation in flight. */
export interface CreateJob {
  readonly controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

/** The pool's {@link Lease}: releases through the pool exactly once. */
export class LeaseImpl<T> implements Lease<T> {
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
