/** The contract's search tests (matching, ranking, filters, bad queries). */
import { beforeEach, describe, expect, it } from "vitest";
import { expectCode } from "./memory-store.contract-support.js";
import type { MemoryStore } from "./memory-store.js";

/** Search cases of the MemoryStore contract; `store` is the store of the running test. */
export function describeSearchContract(store: () => MemoryStore): void {
  describe("search", () => {
    beforeEach(async () => {
      await store().put({
        key: "decision/cache",
        value: "Use SQLite with WAL for the local cache.",
        tags: ["decision"],
      });
      await store().put({
        key: "summary/turn-1",
        value: "The user asked about the Postgres migration plan.",
      });
      await store().put({
        key: "note/cafe",
        value: "Meeting at the Café Crème on Friday.",
        tags: ["Social"],
      });
      await store().put({
        key: "postgres",
        value: "Production runs Postgres 16 on a managed host.",
        tags: ["infra", "decision"],
      });
      await store().put({
        scope: "global",
        key: "pref/editor",
        value: "The user prefers Postgres-style SQL examples.",
      });
      // Unrelated memories, so the words above are rare as in a real store (it affects relevance weights).
      const filler = [
        "lint rules",
        "release notes",
        "worker pool size",
        "model choice",
        "docs layout",
        "ci timing",
      ];
      for (const [i, topic] of filler.entries()) {
        await store().put({ key: `filler/${i}`, value: `Notes about ${topic} from an earlier session.` });
      }
    });

    it("finds words in the value, the key and the tags, case- and accent-insensitively", async () => {
      expect((await store().search("wal")).map((h) => h.key)).toEqual(["decision/cache"]);
      expect((await store().search("turn")).map((h) => h.key)).toEqual(["summary/turn-1"]);
      expect((await store().search("social")).map((h) => h.key)).toEqual(["note/cafe"]);
      expect((await store().search("CAFE creme")).map((h) => h.key)).toEqual(["note/cafe"]);
    });

    it("ranks a key match above value-only matches, scores descending", async () => {
      const hits = await store().search("postgres");
      expect(hits[0]?.key).toBe("postgres");
      expect(hits.map((h) => h.key).sort()).toEqual(["postgres", "pref/editor", "summary/turn-1"]);
      for (let i = 1; i < hits.length; i++) {
        expect(hits[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
      }
      expect(hits.every((h) => h.score > 0)).toBe(true);
    });

    it("matches any word and ranks memories matching more words first", async () => {
      const hits = await store().search("migration sqlite");
      expect(hits.map((h) => h.key).sort()).toEqual(["decision/cache", "summary/turn-1"]);
      const more = await store().search("migration plan wal");
      expect(more.map((h) => h.key)).toEqual(["summary/turn-1", "decision/cache"]);
    });

    it("filters by scope and by tags (all given tags required)", async () => {
      expect((await store().search("postgres", { scope: "global" })).map((h) => h.key)).toEqual([
        "pref/editor",
      ]);
      expect((await store().search("postgres", { scope: "project" })).map((h) => h.key).sort()).toEqual([
        "postgres",
        "summary/turn-1",
      ]);
      expect(
        (await store().search("postgres sqlite", { tags: ["decision"] })).map((h) => h.key).sort(),
      ).toEqual(["decision/cache", "postgres"]);
      expect(
        (await store().search("postgres sqlite", { tags: ["Decision", "infra"] })).map((h) => h.key),
      ).toEqual(["postgres"]);
      expect(await store().search("postgres", { tags: ["nope"] })).toEqual([]);
    });

    it("matches tags exactly, not word by word", async () => {
      await store().put({ key: "t1", value: "postgres tuning by the coder worker", tags: ["worker:coder"] });
      await store().put({ key: "t2", value: "postgres tuning by someone", tags: ["worker", "coder"] });
      expect((await store().search("postgres tuning", { tags: ["worker:coder"] })).map((h) => h.key)).toEqual(
        ["t1"],
      );
      expect(
        (await store().search("postgres tuning", { tags: ["worker", "coder"] })).map((h) => h.key),
      ).toEqual(["t2"]);
      expect((await store().recent({ tags: ["worker:coder"] })).map((h) => h.key)).toEqual(["t1"]);
    });

    it("honours limit and returns links with hits", async () => {
      await store().link({ key: "postgres" }, { key: "summary/turn-1" }, "relates_to");
      const hits = await store().search("postgres", { limit: 1 });
      expect(hits).toHaveLength(1);
      expect(hits[0]?.links.map((l) => l.type)).toEqual(["relates_to"]);
    });

    it("treats query syntax as plain words and rejects empty queries", async () => {
      for (const q of [
        '"postgres',
        "postgres AND NOT -sqlite*",
        "keyText:postgres^9",
        "(postgres) OR",
        "NEAR(a b)",
      ]) {
        const hits = await store().search(q);
        expect(hits.map((h) => h.key)).toContain("postgres");
      }
      expect(await store().search("zzzz-nothing-matches")).toEqual([]);
      await expectCode(store().search("  !!! "), "MEMORY_INVALID_INPUT");
      await expectCode(store().search("x", { limit: 0 }), "MEMORY_INVALID_INPUT");
      await expectCode(store().search("x", { limit: 1.5 }), "MEMORY_INVALID_INPUT");
    });
  });
}
