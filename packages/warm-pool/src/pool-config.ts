import { type ResolvedBackoff, resolveBackoff } from "@orchestra/core";
import { WarmPoolError } from "./errors.js";
import type { WarmPoolOptions } from "./warm-pool-types.js";

const DEFAULT_BACKOFF: ResolvedBackoff = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Resolved options of a pool. */
export interface Config<T> {
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
  maxQueue: number;
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

/** Defaults applied and bounds checked. @throws {WarmPoolError} `POOL_INVALID_OPTIONS`. */
export function resolveConfig<T>(o: WarmPoolOptions<T>): Config<T> {
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
    maxQueue: o.maxQueue ?? Number.POSITIVE_INFINITY,
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
  int("maxQueue", c.maxQueue, 0);
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

/** An unref'd timer, or none when `ms` is infinite or too long for setTimeout. */
export function unrefTimer(fn: () => void, ms: number): NodeJS.Timeout | undefined {
  if (!Number.isFinite(ms) || ms > MAX_TIMER_MS) return undefined;
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}
