import type Database from "libsql";
import { MemoryError } from "./memory-error.js";

/** 1: the first release; 2: provenance columns (profile, trust, levels). */
const SCHEMA_VERSION = 2;

/** Columns version 2 added; rows from version 1 have them NULL (untrusted, unknown source). */
const PROVENANCE_COLUMNS = [
  "source_profile TEXT",
  "source_trust TEXT CHECK (source_trust IN ('trusted', 'untrusted'))",
  "source_filesystem TEXT",
  "source_execution TEXT",
  "source_network TEXT",
];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS memories (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('project', 'global')),
  project TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  tags TEXT NOT NULL,
  source_session TEXT,
  source_worker TEXT,
  source_message TEXT,
  ${PROVENANCE_COLUMNS.join(",\n  ")},
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (scope, project, key)
);
CREATE INDEX IF NOT EXISTS memories_recent ON memories (updated_at DESC);
CREATE INDEX IF NOT EXISTS memories_scope_recent ON memories (scope, project, updated_at DESC);
CREATE TABLE IF NOT EXISTS memory_tags (
  tag TEXT NOT NULL,
  memory_id INTEGER NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, memory_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memory_tags_by_memory ON memory_tags (memory_id);
CREATE TABLE IF NOT EXISTS memory_links (
  from_id INTEGER NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (from_id, to_id, type)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memory_links_to ON memory_links (to_id);
CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5 (
  key_text, value_text, tags_text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts_vocab USING fts5vocab (memory_fts, 'row');
`;

/** Create or upgrade the schema (one IMMEDIATE transaction, so concurrent openers agree). */
export function migrate(db: Database.Database): void {
  const version = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new MemoryError(
      "MEMORY_UNAVAILABLE",
      `The memory database has schema version ${version}, newer than this @orchestra/memory understands (${SCHEMA_VERSION}).`,
      { hints: ["upgrade @orchestra/memory, or point memory.embedded.path at another file"] },
    );
  }
  // Several processes may open a new file at once: the IMMEDIATE lock makes one of them create
  // the schema while the others wait (busy timeout) and then find it done.
  db.exec("BEGIN IMMEDIATE");
  try {
    const again = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (again === 0) db.exec(SCHEMA);
    if (again === 1) {
      // Version 1 had no provenance: its memories keep NULLs and read back as untrusted, unknown source.
      for (const column of PROVENANCE_COLUMNS) db.exec(`ALTER TABLE memories ADD COLUMN ${column}`);
    }
    if (again < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
