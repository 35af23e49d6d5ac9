/**
 * The outcome of one probe.
 * - `ok`: the target answered correctly.
 * - `fail`: the target did not answer, or answered with an error. Counts toward death.
 * - `misconfigured`: the target answered, but refused us (for example HTTP 401). It is alive,
 *   so it is never declared dead for this; it is reported distinctly and not handed out.
 */
export type ProbeResult =
  | { status: "ok" }
  | { status: "fail"; reason: string }
  | { status: "misconfigured"; reason: string };

/**
 * A health probe. It must honour `signal`: the monitor aborts it at the probe timeout and
 * ignores whatever it returns afterwards. A probe that throws counts as `fail`.
 */
export type Probe = (signal: AbortSignal) => Promise<ProbeResult>;

/**
 * A cheap synchronous liveness check, run before the probe (for example
 * `() => isGroupAlive(pgid)` from `@orchestra/process`). `false` means the target is certainly gone: it is marked
 * dead at once, without retries.
 */
export type LivenessCheck = () => boolean;

/** What the monitor watches: a probe, and optionally a cheaper liveness check run first. */
export interface HealthTarget {
  /** The (usually HTTP) probe, run last. */
  probe: Probe;
  /** Optional cheap liveness check, run before the probe. */
  liveness?: LivenessCheck;
}
