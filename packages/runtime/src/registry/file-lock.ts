import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { RegistryError } from "./errors.js";
import type { RegistryLogger } from "./logger.js";

/** How long to wait for and keep a cross-process file lock. */
export interface FileLockOptions {
  /** Give up waiting for the lock after this long (default 15 000 ms, longer than `staleMs`). */
  lockTimeoutMs?: number;
  /**
   * A lock whose holder has not refreshed it for this long is stale and may be taken over
   * (default 10 000 ms; proper-lockfile's minimum is 2 000 ms). The holder refreshes it every
   * `staleMs / 2`, so only a dead (or frozen) holder's lock goes stale.
   */
  staleMs?: number;
}

/** Resolved defaults of {@link FileLockOptions}. */
const DEFAULT_LOCK_TIMEOUT_MS = 15_000;
/** Default of {@link FileLockOptions.staleMs}. */
const DEFAULT_LOCK_STALE_MS = 10_000;

/** Per-file queue so that callers in one process wait in turn instead of polling the lock. */
const localQueues = new Map<string, Promise<unknown>>();

/** The state of a held lock, passed to the critical section. */
export interface HeldLock {
  /** Throws `REGISTRY_LOCK_COMPROMISED` if the lock was lost; call it right before writing. */
  assertHeld(): void;
}

/**
 * Runs `fn` while holding a cross-process lock on `file` (a `<file>.lock` directory created with
 * `mkdir`, which is atomic on local file systems; see proper-lockfile). Callers in the same
 * process are queued first, so only one of them contends for the directory at a time.
 *
 * @throws {RegistryError} `REGISTRY_LOCK_TIMEOUT` if the lock is not obtained within
 * `lockTimeoutMs`; `REGISTRY_IO` if the lock directory cannot be created or removed.
 */
export async function withFileLock<T>(
  file: string,
  options: FileLockOptions,
  logger: RegistryLogger,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const key = resolve(file);
  const previous = localQueues.get(key) ?? Promise.resolve();
  const run = previous.then(
    () => lockAndRun(key, options, logger, fn),
    () => lockAndRun(key, options, logger, fn),
  );
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  localQueues.set(key, settled);
  try {
    return await run;
  } finally {
    if (localQueues.get(key) === settled) localQueues.delete(key);
  }
}

async function lockAndRun<T>(
  file: string,
  options: FileLockOptions,
  logger: RegistryLogger,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new RegistryError("REGISTRY_IO", `cannot create the directory of ${file}`, {
      cause,
      hints: ["check that the parent directory is writable, or pass another `file`"],
    });
  }
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockRetryingWhileHeld(file, lockTimeoutMs, {
      realpath: false,
      stale: staleMs,
      onCompromised: (error) => {
        // proper-lockfile's default throws from a timer and would crash the process.
        compromised = error;
        logger.warn(`lost the lock on ${file}; the operation will not write`, { error: error.message });
      },
    });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ELOCKED") {
      throw new RegistryError(
        "REGISTRY_LOCK_TIMEOUT",
        `timed out after ${lockTimeoutMs} ms waiting for the lock on ${file}`,
        {
          cause,
          hints: [
            "another orchestrator or `orchestra` command is holding it; retry in a moment",
            `if no such process is running, remove ${file}.lock (it also goes stale by itself after ${staleMs} ms)`,
          ],
        },
      );
    }
    throw new RegistryError("REGISTRY_IO", `cannot lock ${file}`, {
      cause,
      hints: ["check that the directory is writable and on a local file system"],
    });
  }
  const held: HeldLock = {
    assertHeld() {
      if (compromised !== undefined) {
        throw new RegistryError("REGISTRY_LOCK_COMPROMISED", `lost the lock on ${file} while holding it`, {
          cause: compromised,
          hints: [
            "the process was frozen or too busy to refresh the lock, and another process took it over",
            "nothing was written; retry the operation",
          ],
        });
      }
    },
  };
  try {
    return await fn(held);
  } finally {
    if (compromised === undefined) {
      try {
        await release();
      } catch (error) {
        logger.warn(`could not release the lock on ${file}`, { error: (error as Error).message });
      }
    }
  }
}

/**
 * `lockfile.lock`, retried (5 to 50 ms apart, growing, jittered) only while another holder has the
 * lock (`ELOCKED`), up to `timeoutMs`. Any other failure (a read-only directory, a full disk) is
 * thrown at once: waiting would not help.
 */
async function lockRetryingWhileHeld(
  file: string,
  timeoutMs: number,
  options: Parameters<typeof lockfile.lock>[1],
): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(50, delay * 1.5)) {
    try {
      return await lockfile.lock(file, { ...options, retries: 0 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
    }
  }
}
