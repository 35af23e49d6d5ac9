-- The embedded store's schema version 1 (@orchestra/memory before provenance), for the migration test.
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
PRAGMA user_version = 1;
