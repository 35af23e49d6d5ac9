import { HealthError } from "./errors.js";

/** Options of {@link createRestartBudget}. */
export interface RestartBudgetOptions {
  /** Restarts allowed per key within `windowMs`. 0 forbids every restart. */
  maxRestarts: number;
  /** The sliding window, in milliseconds. */
  windowMs: number;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

/** A sliding-window restart budget per key (for example per profile). */
export interface RestartBudget {
  /** Take one restart for `key` if the budget allows it. Returns whether the restart may go ahead. */
  tryConsume(key: string): boolean;
  /** Restarts still allowed for `key` right now. */
  remaining(key: string): number;
  /** Milliseconds until `key` gets a restart back (0 when one is available now). */
  retryAfterMs(key: string): number;
  /** Forget the history of `key`, or of every key. */
  reset(key?: string): void;
}

/**
 * A restart budget so a crash loop cannot become a spawn storm: at most `maxRestarts` restarts
 * per key in any window of `windowMs`.
 *
 * @example
 * ```ts
 * const budget = createRestartBudget({ maxRestarts: 3, windowMs: 600_000 });
 * monitor.on("dead", (id) => { if (respawn && budget.tryConsume(profileOf(id))) spawn(profileOf(id)); });
 * ```
 */
export function createRestartBudget(options: RestartBudgetOptions): RestartBudget {
  const { maxRestarts, windowMs } = options;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) {
    throw new HealthError(
      "HEALTH_INVALID_OPTIONS",
      `maxRestarts must be an integer >= 0 (got ${maxRestarts})`,
    );
  }
  if (!(windowMs > 0)) {
    throw new HealthError("HEALTH_INVALID_OPTIONS", `windowMs must be > 0 (got ${windowMs})`);
  }
  const now = options.now ?? Date.now;
  const history = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = now() - windowMs;
    const list = (history.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) history.delete(key);
    else history.set(key, list);
    return list;
  };

  return {
    tryConsume(key) {
      const list = recent(key);
      if (list.length >= maxRestarts) return false;
      list.push(now());
      history.set(key, list);
      return true;
    },
    remaining(key) {
      return Math.max(0, maxRestarts - recent(key).length);
    },
    retryAfterMs(key) {
      const list = recent(key);
      if (list.length < maxRestarts) return 0;
      const oldest = list[list.length - maxRestarts];
      return oldest === undefined ? Number.POSITIVE_INFINITY : Math.max(0, oldest + windowMs - now());
    },
    reset(key) {
      if (key === undefined) history.clear();
      else history.delete(key);
    },
  };
}
