import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { openJobJournal } from "./journal.js";
import { JOURNAL_SCHEMA_VERSION } from "./journal-schema.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** The `jobs` table of schema version 1 (the first journal), as released. */
const V1 = `CREATE TABLE jobs (
  id TEXT PRIMARY KEY, worker TEXT NOT NULL, profile TEXT NOT NULL, status TEXT NOT NULL,
  message TEXT NOT NULL, owner_kind TEXT NOT NULL, owner_pid INTEGER NOT NULL, owner_start TEXT NOT NULL,
  session TEXT, caller_session TEXT, started_at INTEGER NOT NULL, ended_at INTEGER, tool TEXT,
  tokens_input INTEGER, tokens_output INTEGER, tokens_reasoning INTEGER, tokens_cache_read INTEGER,
  tokens_cache_write INTEGER, cost REAL, cost_source TEXT, text TEXT, text_chars INTEGER,
  error_code TEXT, error TEXT);`;

describe("the journal's schema migration", () => {
  it("upgrades a version-1 journal to version 2 (model, parent_job), keeping its jobs", () => {
    const dir = mkdtempSync(join(tmpdir(), "orchestra-journal-v1-"));
    roots.push(dir);
    const file = join(dir, "jobs.db");
    const db = new Database(file);
    db.exec(V1);
    db.exec(
      `INSERT INTO jobs (id, worker, profile, status, message, owner_kind, owner_pid, owner_start, started_at, ended_at, cost, cost_source)
       VALUES ('job-00000001', 'w', 'p', 'done', 'm', 'cli', 1, 's', 1, 2, 0.5, 'opencode')`,
    );
    db.exec("PRAGMA user_version = 1");
    db.close();

    const journal = openJobJournal({ file });
    try {
      expect(JOURNAL_SCHEMA_VERSION).toBe(2);
      expect(journal.get("job-00000001")).toMatchObject({ cost: 0.5, model: null, parentJobId: null });
      const parent = journal.create({ worker: "w", profile: "p", message: "root" });
      const child = journal.create({ worker: "x", profile: "q", message: "peer", parentJobId: parent.id });
      journal.finish(child.id, {
        status: "done",
        text: "ok",
        usage: { tokens: null, cost: 0.25, costSource: "catalog", model: "prov/model" },
      });
      expect(journal.get(child.id)).toMatchObject({
        parentJobId: parent.id,
        model: "prov/model",
        cost: 0.25,
        costSource: "catalog",
      });
    } finally {
      journal.close();
    }
    const after = new Database(file);
    expect(after.prepare("PRAGMA user_version").get()).toMatchObject({ user_version: 2 });
    after.close();
  });
});
