/** The time source of {@link waitWithProgress} (injected in tests). */
export interface TickerClock {
  now(): number;
  setInterval(tick: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemClock: TickerClock = {
  now: () => performance.now(),
  setInterval: (tick, ms) => {
    const handle = setInterval(tick, ms);
    // A wait line never keeps the process alive on its own.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** How often a wait reports that it is still waiting, in milliseconds (at least every 5 s). */
export const PROGRESS_EVERY_MS = 5_000;

/** Options of {@link waitWithProgress}. */
export interface WaitWithProgressOptions {
  /** Interval between lines (default {@link PROGRESS_EVERY_MS}). */
  everyMs?: number;
  clock?: TickerClock;
}

/**
 * Wait for `work` and, while it runs, call `report` every `everyMs` with a line
 * `still waiting for <what> (12 s)`, so that no wait is ever silent. The ticker stops when `work`
 * settles, whichever way; the result or error of `work` is passed through.
 *
 * @example
 * ```ts
 * const server = await waitWithProgress(spawnServerProcess(opts), "opencode serve to listen", (line) =>
 *   process.stderr.write(`${line}\n`),
 * );
 * ```
 */
export async function waitWithProgress<T>(
  work: Promise<T>,
  what: string,
  report: (line: string, waitedMs: number) => void,
  options: WaitWithProgressOptions = {},
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const handle = clock.setInterval(() => {
    const waited = clock.now() - started;
    report(`still waiting for ${what} (${Math.round(waited / 1000)} s)`, waited);
  }, options.everyMs ?? PROGRESS_EVERY_MS);
  try {
    return await work;
  } finally {
    clock.clearInterval(handle);
  }
}
