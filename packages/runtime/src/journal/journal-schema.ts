import type Database from "libsql";
import { RuntimeError } from "../runtime-error.js";

/**
 * 1: the first journal. 2: the job's model and the job that caused it (`parent_job`, a
 * worker-to-worker request's asking job), for the usage ledger. Bump it with a migration step
 * below when the table changes.
 */
export const JOURNAL_SCHEMA_VERSION = 2;

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

/** Version 1 → 2: the ledger's columns. */
const V2 = `
ALTER TABLE jobs ADD COLUMN model TEXT;
ALTER TABLE jobs ADD COLUMN parent_job TEXT;
CREATE INDEX IF NOT EXISTS jobs_parent ON jobs (parent_job) WHERE parent_job IS NOT NULL;
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
    // Another process may have migrated while this one waited for the lock: read it again.
    const current = userVersion(db);
    if (current < JOURNAL_SCHEMA_VERSION) {
      if (current === 0) db.exec(SCHEMA);
      if (current < 2) db.exec(V2);
      db.exec(`PRAGMA user_version = ${JOURNAL_SCHEMA_VERSION}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
