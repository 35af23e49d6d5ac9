import { constants } from "node:os";

/** Something that shuts down on a signal: a {@link WorkerLifecycle}, or anything shaped like it. */
export interface ShutdownTarget {
  /** Graceful shutdown. */
  shutdown(): Promise<unknown>;
  /** Synchronous last resort: SIGKILL everything left. */
  forceKill(): void;
}

/** Options of {@link installShutdownSignals}. */
export interface ShutdownSignalOptions {
  /** Signals to handle (default `SIGINT`, `SIGTERM`). */
  signals?: readonly NodeJS.Signals[];
  /** Overall deadline of the graceful shutdown, in ms; then everything is SIGKILLed (default 15 000). */
  deadlineMs?: number;
  /** Exit the process when done (default `process.exit`); the code is 128 + the signal number. */
  exit?: (code: number) => void;
  /** Told about each signal, and whether it forces the exit. */
  onSignal?: (signal: NodeJS.Signals, forced: boolean) => void;
}

const targets = new Set<ShutdownTarget>();

/**
 * Register a target for the signal handlers installed by {@link installShutdownSignals}.
 * Returns a function that unregisters it (call it from the plugin's `dispose`).
 */
export function registerForShutdown(target: ShutdownTarget): () => void {
  targets.add(target);
  return () => targets.delete(target);
}

let installed: (() => void) | undefined;

/**
 * Install SIGINT/SIGTERM handlers that shut every registered target down gracefully and then
 * exit; a second signal, or the overall deadline, SIGKILLs what is left and exits at once.
 * Only hosts (the plugin, the CLI) call this, never library code on import. Idempotent: a
 * second call returns the same uninstall function.
 */
export function installShutdownSignals(options: ShutdownSignalOptions = {}): () => void {
  if (installed) return installed;
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const deadlineMs = options.deadlineMs ?? 15_000;
  let first: NodeJS.Signals | undefined;
  let done = false;
  const codeOf = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 15);
  const force = (signal: NodeJS.Signals) => {
    if (done) return;
    done = true;
    for (const t of targets) {
      try {
        t.forceKill();
      } catch {
        // Keep killing the others.
      }
    }
    exit(codeOf(signal));
  };
  const handler = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      options.onSignal?.(signal, true);
      force(signal);
      return;
    }
    first = signal;
    options.onSignal?.(signal, false);
    const timer = setTimeout(() => force(signal), deadlineMs);
    timer.unref();
    void Promise.allSettled([...targets].map((t) => t.shutdown())).then(() => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      exit(codeOf(signal));
    });
  };
  for (const s of signals) process.on(s, handler);
  installed = () => {
    for (const s of signals) process.off(s, handler);
    installed = undefined;
  };
  return installed;
}
