/** A map from event name to the tuple of arguments its listeners receive. */
export type EventMap<M> = { [K in keyof M]: unknown[] };

type AnyListener = (...args: unknown[]) => void;

/**
 * A minimal typed event emitter. Listeners run synchronously in registration order; a listener
 * that throws does not stop the others or corrupt the emitter's state: its error is rethrown on
 * a later microtask so it still surfaces as an uncaught exception.
 */
export class TypedEmitter<M extends EventMap<M>> {
  readonly #listeners = new Map<keyof M, Set<AnyListener>>();

  /** Subscribe to `event`. Returns a function that unsubscribes. */
  on<K extends keyof M>(event: K, listener: (...args: M[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as AnyListener);
    return () => this.off(event, listener);
  }

  /** Subscribe to the next `event` only. Returns a function that unsubscribes. */
  once<K extends keyof M>(event: K, listener: (...args: M[K]) => void): () => void {
    const off = this.on(event, (...args: M[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Remove a listener added with {@link TypedEmitter.on}. */
  off<K extends keyof M>(event: K, listener: (...args: M[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as unknown as AnyListener);
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof M): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Call every listener of `event` with `args`. */
  protected emit<K extends keyof M>(event: K, ...args: M[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Drop every listener. */
  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}
