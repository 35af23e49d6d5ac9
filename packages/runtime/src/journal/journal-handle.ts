import type { RegistryLogger } from "../registry/logger.js";
import { type JobJournal, type JobJournalOptions, openJobJournal } from "./journal.js";

/** A journal opened on first use (see {@link lazyJournal}). */
export interface JournalHandle {
  /** The journal, opened (and sweeping every 5 s) on the first call. */
  get(): JobJournal;
  /** Close it if it was opened. */
  close(): void;
}

/**
 * The user's job journal, opened when the first job is recorded or read, not before (a spawn
 * never opens it). It sweeps every 5 s while open. When the file cannot be opened, jobs are kept
 * in a journal private to this process instead, with one warning: asks never fail because of it.
 */
export function lazyJournal(options: JobJournalOptions & { logger: RegistryLogger }): JournalHandle {
  let journal: JobJournal | undefined;
  return {
    get() {
      if (journal === undefined) {
        try {
          journal = openJobJournal(options);
        } catch (error) {
          options.logger.warn(
            `${(error as Error).message}; this process keeps its jobs in memory (\`orchestra jobs\` will not show them)`,
          );
          journal = openJobJournal({ ...options, file: ":memory:" });
        }
        journal.startSweeping();
      }
      return journal;
    },
    close() {
      journal?.close();
    },
  };
}
