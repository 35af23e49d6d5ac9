import { isSameProcess, type ProcessIdentity } from "./identity.js";

/**
 * The environment variable through which an owner hands a worker its identity
 * (`<pid>:<start-time token>`), so that the worker can stop itself once the owner is gone.
 */
export const OWNER_ENV = "ORCHESTRA_OWNER";

/** The default interval of {@link watchOwner}, in milliseconds. */
export const OWNER_CHECK_INTERVAL_MS = 2_000;

/** The environment entry that hands `owner` to a child: `{ ORCHESTRA_OWNER: "<pid>:<start time>" }`. */
export function ownerEnv(owner: ProcessIdentity): Record<string, string> {
  return { [OWNER_ENV]: `${owner.pid}:${owner.startTime}` };
}

/**
 * The owner named by `env` (see {@link ownerEnv}), or `undefined` when there is none or the value
 * is malformed (a worker without an owner to watch, for example one the CLI started).
 */
export function ownerFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessIdentity | undefined {
  const value = env[OWNER_ENV];
  if (!value) return undefined;
  const colon = value.indexOf(":");
  const pid = Number(value.slice(0, colon));
  const startTime = value.slice(colon + 1);
  if (colon <= 0 || !Number.isInteger(pid) || pid <= 0 || startTime === "") return undefined;
  return { pid, startTime };
}

/** Options of {@link watchOwner}. */
export interface WatchOwnerOptions {
  /** The process to watch. */
  owner: ProcessIdentity;
  /** Called once, when the owner is no longer the same live process. */
  onGone: (owner: ProcessIdentity) => void | Promise<void>;
  /** How often to check, in milliseconds (default {@link OWNER_CHECK_INTERVAL_MS}). */
  intervalMs?: number;
}

/** A running owner watchdog. */
export interface OwnerWatchdog {
  /** The watched owner. */
  readonly owner: ProcessIdentity;
  /** Stop watching (idempotent). */
  stop(): void;
}

/**
 * Watch a process by pid and start time: every `intervalMs`, check that it is still the same live
 * process (a reused pid is not), and call `onGone` once when it is not. The timer never keeps this
 * process alive. A worker uses it to stop itself when its orchestrator died without stopping it
 * (SIGKILL, a crash), so that the worker is gone within about one interval plus its own shutdown.
 *
 * @example
 * ```ts
 * const owner = ownerFromEnv();
 * if (owner) watchOwner({ owner, onGone: () => shutDownThisServer() });
 * ```
 */
export function watchOwner(options: WatchOwnerOptions): OwnerWatchdog {
  const { owner } = options;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const check = () => {
    if (timer === undefined || isSameProcess(owner.pid, owner.startTime)) return;
    stop();
    void Promise.resolve()
      .then(() => options.onGone(owner))
      .catch(() => undefined);
  };
  timer = setInterval(check, options.intervalMs ?? OWNER_CHECK_INTERVAL_MS);
  timer.unref();
  // An owner that is already gone is noticed at once.
  queueMicrotask(check);
  return { owner, stop };
}
