import { WarmPoolError } from "./errors.js";
import type { PoolStats } from "./warm-pool-types.js";

/** `POOL_CLOSED`: the pool is draining or closed. */
export function closedError(name: string): WarmPoolError {
  return new WarmPoolError("POOL_CLOSED", `${name} is shut down and hands out nothing`, {
    hints: ["acquire before shutdown starts, or create a new pool"],
  });
}

/** `POOL_ACQUIRE_ABORTED`: the caller's signal aborted the wait. */
export function abortedError(name: string, reason: unknown): WarmPoolError {
  return new WarmPoolError("POOL_ACQUIRE_ABORTED", `${name}: the acquire was aborted by its signal`, {
    cause: reason,
  });
}

/** `POOL_DEGRADED`: repeated creation failures; carries the last one as `cause`. */
export function degradedError(name: string, failures: number, lastError: unknown): WarmPoolError {
  const last = lastError instanceof Error ? lastError.message : String(lastError);
  return new WarmPoolError(
    "POOL_DEGRADED",
    `${name} is degraded: the last ${failures} attempts to create a resource failed (last: ${last})`,
    {
      cause: lastError,
      hints: [
        "fix the cause above; the pool keeps retrying in the background and recovers on its own",
        "until then, acquires fail at once instead of waiting",
      ],
    },
  );
}

/** `POOL_QUEUE_FULL`: `maxQueue` acquires already wait. */
export function queueFullError(name: string, maxQueue: number): WarmPoolError {
  return new WarmPoolError(
    "POOL_QUEUE_FULL",
    `${name}: ${maxQueue} acquires are already waiting (maxQueue ${maxQueue}); this one is refused at once`,
    { hints: ["retry later, release leases sooner, or raise maxQueue or max"] },
  );
}

/** `POOL_ACQUIRE_TIMEOUT`: nothing became available in time. */
export function timeoutError(
  name: string,
  timeoutMs: number,
  s: PoolStats,
  lastError: unknown,
): WarmPoolError {
  return new WarmPoolError(
    "POOL_ACQUIRE_TIMEOUT",
    `${name}: no resource became available within ${timeoutMs} ms (leased ${s.leased} of max ${s.max}, creating ${s.creating}, waiting ${s.waiting})`,
    {
      cause: lastError,
      hints: ["release leases sooner, raise max, or raise the acquire timeout"],
    },
  );
}
