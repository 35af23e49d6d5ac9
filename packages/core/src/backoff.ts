/** Exponential backoff with jitter. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialMs?: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs?: number;
  /** Growth factor per attempt (default 2). */
  factor?: number;
  /** Fraction (0–1) of each delay that is randomised away, to spread retries (default 0.2). */
  jitter?: number;
}

/** {@link BackoffOptions} with every field present. */
export type ResolvedBackoff = Required<BackoffOptions>;

/** Fill in defaults and check the values. Returns an error message, or the resolved options. */
export function resolveBackoff(
  options: BackoffOptions | undefined,
  defaults: ResolvedBackoff,
): ResolvedBackoff | string {
  const b = { ...defaults, ...options };
  if (!(b.initialMs >= 0) || !Number.isFinite(b.initialMs)) return "backoff.initialMs must be a number >= 0";
  if (!(b.maxMs >= b.initialMs)) return "backoff.maxMs must be >= backoff.initialMs";
  if (!(b.factor >= 1)) return "backoff.factor must be >= 1";
  if (!(b.jitter >= 0 && b.jitter <= 1)) return "backoff.jitter must be between 0 and 1";
  return b;
}

/**
 * The delay before retry number `attempt` (0-based): `min(maxMs, initialMs * factor^attempt)`,
 * reduced by up to `jitter` of itself at random.
 */
export function backoffDelay(attempt: number, backoff: ResolvedBackoff, random: () => number): number {
  const raw = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt));
  return Math.max(0, Math.round(raw * (1 - backoff.jitter * random())));
}
