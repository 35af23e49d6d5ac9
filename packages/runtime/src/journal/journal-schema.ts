import type Database from "libsql";
import { RuntimeError } from "../runtime-error.js";

/** 1: the first journal. Bump it with a migration step below when the table changes. */
export const JOURNAL_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  worker TEXT NOT NULL,
  profile TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  message TEXT NOT NULL,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('orchestrator', 'cli')),
  owner_pid INTEGER NOT NULL,
  owner_start TEXT NOT NULL,
  session TEXT,
  caller_session TEXT,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  tool TEXT,
  tokens_input INTEGER,
  tokens_output INTEGER,
  tokens_reasoning INTEGER,
  tokens_cache_read INTEGER,
  tokens_cache_write INTEGER,
  cost REAL,
  cost_source TEXT,
  text TEXT,
  text_chars INTEGER,
  error_code TEXT,
  error TEXT
);
CREATE INDEX IF NOT EXISTS jobs_active ON jobs (status) WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS jobs_ended ON jobs (ended_at DESC) WHERE ended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_worker ON jobs (worker, started_at DESC);
`;

function userVersion(db: Database.Database): number {
  return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
}

/**
 * Create or upgrade the journal's schema in one IMMEDIATE transaction: of several processes that
 * open a new file at once, one creates it while the others wait (busy timeout) and find it done.
 * @throws {RuntimeError} `JOB_JOURNAL_UNAVAILABLE` for a journal newer than this runtime.
 */
export function migrateJournal(db: Database.Database, file: string): void {
  const version = userVersion(db);
  if (version === JOURNAL_SCHEMA_VERSION) return;
  if (version > JOURNAL_SCHEMA_VERSION)
    throw new RuntimeError(
      "JOB_JOURNAL_UNAVAILABLE",
      `the job journal ${file} has schema version ${version}, newer than this @orchestra/runtime understands (${JOURNAL_SCHEMA_VERSION})`,
      { hints: ["upgrade Open Orchestra (the plugin and the orchestra command) to the same version"] },
    );
  db.exec("BEGIN IMMEDIATE");
  try {
    if (userVersion(db) === 0) {
      db.exec(SCHEMA);
      db.exec(`PRAGMA user_version = ${JOURNAL_SCHEMA_VERSION}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
