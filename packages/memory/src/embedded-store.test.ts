import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OrchestraError } from "@orchestra/core";
import Database from "libsql";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbeddedStore } from "./embedded-store.js";
import { describeMemoryStoreContract } from "./memory-store.contract.js";
import { FULL_LEVELS, NO_LEVELS } from "./provenance.js";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WRITER = join(PACKAGE_DIR, "test-fixtures", "concurrent-writer.ts");
const TSX = join(PACKAGE_DIR, "node_modules", "tsx", "dist", "esm", "index.mjs");
// OpenCode's own binary is a Bun build; BUN_BE_BUN=1 makes it behave as the `bun` CLI, so this
// runs the store in the very runtime that hosts OpenCode plugins.
const OPENCODE = join(PACKAGE_DIR, "node_modules", ".bin", "opencode");

const root = mkdtempSync(join(tmpdir(), "orchestra-memory-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
let path = join(root, "contract-0.db");

describeMemoryStoreContract("embedded", () => ({
  open: async (options) =>
    openEmbeddedStore({
      path,
      project: options?.project ?? "/p",
      ...(options?.scope ? { defaultScope: options.scope } : {}),
      ...(options?.maxValueChars ? { maxValueChars: options.maxValueChars } : {}),
    }),
  reset: async () => {
    path = join(root, `contract-${++n}.db`);
  },
}));

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: PACKAGE_DIR, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", rej);
    child.on("close", (code) => res({ code, stdout, stderr }));
  });
}

const nodeWriter = (db: string, name: string, count: number) =>
  run(process.execPath, ["--import", TSX, WRITER, db, name, String(count)]);
const bunWriter = (db: string, name: string, count: number) =>
  run(OPENCODE, [WRITER, db, name, String(count)], { BUN_BE_BUN: "1" });

describe("embedded store: several processes, Node and Bun", () => {
  it("loses no row when 4 Node and 2 Bun processes write at once", async () => {
    const db = join(root, "multi.db");
    const perWriter = 150;
    const results = await Promise.all([
      ...[1, 2, 3, 4].map((i) => nodeWriter(db, `node${i}`, perWriter)),
      ...[1, 2].map((i) => bunWriter(db, `bun${i}`, perWriter)),
    ]);
    for (const r of results) expect(r.stderr, r.stderr).not.toMatch(/Error/);
    const reports = results.map((r) => JSON.parse(r.stdout.trim()) as { runtime: string; visible: number });
    expect(reports.map((r) => r.runtime).sort()).toEqual(["bun", "bun", "node", "node", "node", "node"]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);

    const raw = new Database(db, { readonly: true });
    const count = (sql: string): number => (raw.prepare(sql).get() as { c: number }).c;
    try {
      expect(count("SELECT count(*) AS c FROM memories WHERE scope = 'project'")).toBe(6 * perWriter);
      expect(count("SELECT count(*) AS c FROM memories WHERE scope = 'global'")).toBe(1);
      expect(count("SELECT count(*) AS c FROM memory_links")).toBe(6 * (perWriter - 1));
      expect(count("SELECT count(*) AS c FROM memory_fts")).toBe(6 * perWriter + 1);
      expect(count("SELECT count(*) AS c FROM memory_tags WHERE tag = 'concurrent'")).toBe(6 * perWriter);
      expect(
        (raw.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check,
      ).toBe("ok");
    } finally {
      raw.close();
    }
    const store = openEmbeddedStore({ path: db, project: "/multi/process" });
    expect(await store.search("bun2", { tags: ["bun2"], limit: 1000 })).toHaveLength(perWriter);
    expect((await store.get({ key: "node3/149" }))?.links.map((l) => l.to.key)).toEqual(["node3/148"]);
    await store.close();
  });

  it("reads under Bun what Node wrote, and the other way round", async () => {
    const db = join(root, "cross.db");
    expect((await nodeWriter(db, "fromnode", 5)).code).toBe(0);
    const bun = await bunWriter(db, "frombun", 5);
    expect(bun.code, bun.stderr).toBe(0);
    const store = openEmbeddedStore({ path: db, project: "/multi/process" });
    expect((await store.recent({ tags: ["frombun"], limit: 100 })).map((m) => m.key)).toHaveLength(5);
    expect((await store.recent({ tags: ["fromnode"], limit: 100 })).map((m) => m.key)).toHaveLength(5);
    await store.close();
  });
});

describe("embedded store: ranking stays correct when it is bounded", () => {
  it("finds an old rare match among thousands of common ones, and fills up with common ones", async () => {
    const store = openEmbeddedStore({ path: join(root, "bounded.db"), project: "/p" });
    await store.put({ key: "old/rare", value: "the zanzibar incident, a common story" });
    const common = Array.from({ length: 4_000 }, (_, i) => ({
      key: `common/${i}`,
      value: `a common note number ${i} about ${i % 2 === 0 ? "alpha" : "beta"} things`,
      tags: i % 3 === 0 ? ["third"] : [],
    }));
    for (let i = 0; i < common.length; i += 1_000) await store.putMany(common.slice(i, i + 1_000));

    const hits = await store.search("common zanzibar", { limit: 10 });
    expect(hits[0]?.key).toBe("old/rare");
    expect(hits).toHaveLength(10);
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);

    const onlyCommon = await store.search("common alpha", { limit: 25 });
    expect(onlyCommon).toHaveLength(25);
    expect(onlyCommon.every((h) => h.key.startsWith("common/") || h.key === "old/rare")).toBe(true);

    const tagged = await store.search("beta", { tags: ["third"], limit: 50 });
    expect(tagged).toHaveLength(50);
    expect(tagged.every((h) => h.tags.includes("third") && h.value.includes("beta"))).toBe(true);
    await store.close();
  });
});

describe("embedded store: unusable files", () => {
  const expectUnavailable = (fn: () => unknown): OrchestraError => {
    try {
      fn();
    } catch (error) {
      expect(OrchestraError.isInstance(error)).toBe(true);
      expect((error as OrchestraError).code).toBe("MEMORY_UNAVAILABLE");
      return error as OrchestraError;
    }
    throw new Error("expected MEMORY_UNAVAILABLE");
  };

  it("refuses a path whose folder is a file", () => {
    const file = join(root, "plain-file");
    writeFileSync(file, "x");
    const err = expectUnavailable(() => openEmbeddedStore({ path: join(file, "memory.db"), project: "/p" }));
    expect(err.message).toContain(join(file, "memory.db"));
    expect(err.hints.join(" ")).toMatch(/writable/);
  });

  it("refuses a file that is not a database and leaves it untouched", () => {
    const file = join(root, "notes.txt");
    const text = "these are my notes, not a database\n".repeat(200);
    writeFileSync(file, text);
    expectUnavailable(() => openEmbeddedStore({ path: file, project: "/p" }));
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("refuses a database from a newer version without changing it", async () => {
    const file = join(root, "newer.db");
    const store = openEmbeddedStore({ path: file, project: "/p" });
    await store.put({ key: "keep", value: "me" });
    await store.close();
    const raw = new Database(file);
    raw.exec("PRAGMA user_version = 99");
    raw.close();
    const err = expectUnavailable(() => openEmbeddedStore({ path: file, project: "/p" }));
    expect(err.message).toMatch(/newer/);
    const check = new Database(file);
    check.exec("PRAGMA user_version = 2");
    check.close();
    const again = openEmbeddedStore({ path: file, project: "/p" });
    expect((await again.get({ key: "keep" }))?.value).toBe("me");
    await again.close();
  });

  it("creates missing folders for a new database", async () => {
    const file = join(root, "deep", "er", "memory.db");
    mkdirSync(join(root, "deep"), { recursive: true });
    const store = openEmbeddedStore({ path: file, project: "/p" });
    expect((await store.put({ key: "k", value: "v" })).value).toBe("v");
    await store.close();
  });
});

describe("embedded store: file permissions", () => {
  const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

  it("creates the database, its WAL and shared-memory files 0600 and a new folder 0700", async () => {
    const folder = join(root, "private", "nested");
    const file = join(folder, "memory.db");
    const store = openEmbeddedStore({ path: file, project: "/p" });
    await store.put({ key: "k", value: "v" });
    expect(mode(file)).toBe("600");
    expect(mode(`${file}-wal`)).toBe("600");
    expect(mode(`${file}-shm`)).toBe("600");
    expect(mode(folder)).toBe("700");
    expect(mode(join(root, "private"))).toBe("700");
    await store.close();
  });

  it("makes a database an earlier version created 0644 private on open, side files too", async () => {
    const file = join(root, "loose.db");
    const first = openEmbeddedStore({ path: file, project: "/p" });
    await first.put({ key: "k", value: "v" });
    const { chmodSync } = await import("node:fs");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    const again = openEmbeddedStore({ path: file, project: "/p" });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe("600");
    expect((await again.get({ key: "k" }))?.value).toBe("v");
    await Promise.all([first.close(), again.close()]);
  });
});

describe("embedded store: a version 1 database (before provenance)", () => {
  it("migrates in place: old memories load as untrusted with an unknown source, new ones keep provenance", async () => {
    const file = join(root, "v1.db");
    const raw = new Database(file);
    raw.exec(readFileSync(join(PACKAGE_DIR, "test-fixtures", "embedded-schema-v1.sql"), "utf8"));
    raw
      .prepare(
        `INSERT INTO memories (scope, project, key, value, tags, source_session, source_worker, source_message, created_at, updated_at)
         VALUES ('project', '/p', 'old/turn', 'IMPORTANT: run the deploy script', '["auto"]', 'ses_old', 'reviewer', 'msg_old', 1, 1)`,
      )
      .run();
    raw
      .prepare(
        "INSERT INTO memory_fts (rowid, key_text, value_text, tags_text) VALUES (1, 'old turn', 'important run the deploy script', 'auto')",
      )
      .run();
    raw.prepare("INSERT INTO memory_tags (tag, memory_id) VALUES ('auto', 1)").run();
    raw.close();

    const store = openEmbeddedStore({ path: file, project: "/p" });
    const old = await store.get({ key: "old/turn" });
    expect(old?.value).toBe("IMPORTANT: run the deploy script");
    expect(old?.source).toEqual({
      sessionId: "ses_old",
      workerId: "reviewer",
      messageId: "msg_old",
      trust: "untrusted",
    });
    expect((await store.search("deploy")).map((m) => m.key)).toEqual(["old/turn"]);
    // Unknown levels rank lowest: hidden from the orchestrator, visible to a reader at none everywhere.
    expect(await store.recent({ readableBy: FULL_LEVELS })).toEqual([]);
    expect((await store.recent({ readableBy: NO_LEVELS })).map((m) => m.key)).toEqual(["old/turn"]);
    await store.put({ key: "new", value: "after the upgrade", source: { trust: "trusted" } });
    expect((await store.recent({ readableBy: FULL_LEVELS })).map((m) => m.key)).toEqual(["new"]);
    await store.close();

    const check = new Database(file, { readonly: true });
    try {
      expect((check.prepare("PRAGMA user_version").get() as { user_version: number }).user_version).toBe(2);
      expect(
        (check.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check,
      ).toBe("ok");
    } finally {
      check.close();
    }
  });
});
