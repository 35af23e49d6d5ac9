/**
 * The one contract suite every MemoryStore backend must pass. `embedded-store.test.ts` and
 * `neo4j-store.test.ts` each run it once, with the store's name in the describe title.
 */
import { OrchestraError } from "@orchestra/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MemoryErrorCode } from "./memory-error.js";
import type { MemoryBackend, MemoryScope, MemoryStore } from "./memory-store.js";
import { FULL_LEVELS, type MemoryLevels, NO_LEVELS } from "./provenance.js";

/** How the contract suite reaches one backend. */
export interface ContractHarness {
  /** Open a store over the shared test data (several may be open at once). */
  open(options?: { project?: string; scope?: MemoryScope; maxValueChars?: number }): Promise<MemoryStore>;
  /** Delete every memory (called before each test). */
  reset(): Promise<void>;
}

async function expectCode(promise: Promise<unknown>, code: MemoryErrorCode): Promise<OrchestraError> {
  try {
    await promise;
  } catch (error) {
    expect(OrchestraError.isInstance(error)).toBe(true);
    expect((error as OrchestraError).code).toBe(code);
    expect((error as OrchestraError).name).toBe("MemoryError");
    return error as OrchestraError;
  }
  throw new Error(`expected a MemoryError ${code}, but the call succeeded`);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Define the contract suite for one backend. `harness` is read lazily (servers start in beforeAll). */
export function describeMemoryStoreContract(name: MemoryBackend, harness: () => ContractHarness): void {
  describe(`MemoryStore contract (${name})`, () => {
    const opened: MemoryStore[] = [];
    const open = async (options?: Parameters<ContractHarness["open"]>[0]): Promise<MemoryStore> => {
      const store = await harness().open(options);
      opened.push(store);
      return store;
    };
    let store: MemoryStore;

    beforeEach(async () => {
      await harness().reset();
      store = await open({ project: "/work/project-a" });
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe("put and get", () => {
      it("stores every field and reads it back", async () => {
        const put = await store.put({
          key: "decision/database",
          value: "We chose SQLite for the cache.",
          tags: ["Decision", "db", "decision"],
          source: { sessionId: "ses_1", workerId: "coder-2", messageId: "msg_9" },
        });
        expect(store.backend).toBe(name);
        expect(put).toMatchObject({
          scope: "project",
          key: "decision/database",
          value: "We chose SQLite for the cache.",
          tags: ["db", "decision"],
          source: { sessionId: "ses_1", workerId: "coder-2", messageId: "msg_9" },
          links: [],
        });
        expect(put.createdAt).toMatch(ISO);
        expect(put.updatedAt).toBe(put.createdAt);
        expect(await store.get({ key: "decision/database" })).toEqual(put);
        expect(await store.get({ scope: "project", key: "decision/database" })).toEqual(put);
      });

      it("returns undefined for a missing memory", async () => {
        expect(await store.get({ key: "nope" })).toBeUndefined();
        expect(await store.get({ scope: "global", key: "nope" })).toBeUndefined();
      });

      it("upserts by scope + key: replaces value, tags and source, keeps createdAt", async () => {
        const first = await store.put({ key: "k", value: "one", tags: ["a"], source: { workerId: "w1" } });
        const second = await store.put({ key: "k", value: "two", tags: ["b"] });
        expect(second.value).toBe("two");
        expect(second.tags).toEqual(["b"]);
        expect(second.source).toEqual({ trust: "untrusted" });
        expect(second.createdAt).toBe(first.createdAt);
        expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
        expect((await store.recent({ limit: 100 })).map((m) => m.key)).toEqual(["k"]);
        expect(await store.search("one")).toEqual([]);
        expect((await store.search("two")).map((m) => m.key)).toEqual(["k"]);
      });

      it("keeps project and global memories with the same key apart", async () => {
        await store.put({ key: "style", value: "tabs in this project" });
        await store.put({ scope: "global", key: "style", value: "spaces everywhere else" });
        expect((await store.get({ key: "style" }))?.value).toBe("tabs in this project");
        expect((await store.get({ scope: "global", key: "style" }))?.value).toBe("spaces everywhere else");
      });

      it("isolates projects but shares global memories", async () => {
        const other = await open({ project: "/work/project-b" });
        await store.put({ key: "only-a", value: "project A fact" });
        await store.put({ scope: "global", key: "shared", value: "global fact" });
        expect(await other.get({ key: "only-a" })).toBeUndefined();
        expect((await other.get({ scope: "global", key: "shared" }))?.value).toBe("global fact");
        expect((await other.recent()).map((m) => m.key)).toEqual(["shared"]);
        expect((await other.search("fact")).map((m) => m.key)).toEqual(["shared"]);
      });

      it("uses the store's default scope when a call omits it", async () => {
        const globalFirst = await open({ project: "/work/project-a", scope: "global" });
        const m = await globalFirst.put({ key: "tz", value: "user is in UTC+2" });
        expect(m.scope).toBe("global");
        expect((await store.get({ scope: "global", key: "tz" }))?.value).toBe("user is in UTC+2");
        expect(await store.get({ key: "tz" })).toBeUndefined();
      });

      it("loses no write when many puts run at once", async () => {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.put({ key: `k${i}`, value: `value ${i}` })),
        );
        expect(await store.recent({ limit: 1000 })).toHaveLength(40);
      });

      it("putMany upserts a batch, and one bad item rejects the whole batch", async () => {
        await store.put({ key: "existing", value: "old value" });
        const n = await store.putMany([
          { key: "existing", value: "new value", tags: ["batch"] },
          { key: "fresh", value: "brand new", tags: ["batch"] },
          { scope: "global", key: "fresh", value: "global twin" },
          { key: "fresh", value: "brand new, second write wins", tags: ["batch"] },
        ]);
        expect(n).toBe(4);
        expect((await store.get({ key: "existing" }))?.value).toBe("new value");
        expect((await store.get({ key: "fresh" }))?.value).toBe("brand new, second write wins");
        expect((await store.recent({ tags: ["batch"] })).map((m) => m.key).sort()).toEqual([
          "existing",
          "fresh",
        ]);
        expect((await store.search("twin")).map((m) => m.key)).toEqual(["fresh"]);
        const err = await expectCode(
          store.putMany([
            { key: "would-be", value: "fine" },
            { key: "bad", value: `token ghp_${"A1b2C3d4E5".repeat(4)}` },
          ]),
          "MEMORY_SECRET_DETECTED",
        );
        expect(err.message).toContain("item 1");
        expect(await store.get({ key: "would-be" })).toBeUndefined();
        expect(await store.putMany([])).toBe(0);
      });

      it("survives closing and reopening the store", async () => {
        await store.put({ key: "durable", value: "still here after a restart", tags: ["t"] });
        await store.put({ key: "other", value: "x" });
        await store.link({ key: "durable" }, { key: "other" }, "relates_to");
        await store.close();
        const again = await open({ project: "/work/project-a" });
        const m = await again.get({ key: "durable" });
        expect(m?.value).toBe("still here after a restart");
        expect(m?.links.map((l) => l.type)).toEqual(["relates_to"]);
        expect((await again.search("restart")).map((h) => h.key)).toEqual(["durable"]);
      });
    });

    describe("provenance", () => {
      const READER: MemoryLevels = { filesystem: "read", execution: "none", network: "none" };
      const MIDDLE: MemoryLevels = { filesystem: "full", execution: "sandboxed", network: "localhost" };
      const ODD: MemoryLevels = { filesystem: "full", execution: "none", network: "full" };

      it("stores which worker and profile wrote a memory, its levels and whether it is trusted", async () => {
        const worker = await store.put({
          key: "w",
          value: "from a worker",
          source: { sessionId: "ses_w", workerId: "reader-2", profile: "reader", levels: READER },
        });
        expect(worker.source).toEqual({
          sessionId: "ses_w",
          workerId: "reader-2",
          profile: "reader",
          trust: "untrusted",
          levels: READER,
        });
        expect((await store.get({ key: "w" }))?.source).toEqual(worker.source);
        const user = await store.put({ key: "u", value: "from the user", source: { trust: "trusted" } });
        expect(user.source).toEqual({ trust: "trusted", levels: FULL_LEVELS });
        expect((await store.search("user"))[0]?.source).toEqual(user.source);
        // A replace takes the new provenance: a worker cannot keep a trusted memory's trust.
        const taken = await store.put({
          key: "u",
          value: "overwritten",
          source: { workerId: "x", levels: READER },
        });
        expect(taken.source).toEqual({ workerId: "x", trust: "untrusted", levels: READER });
      });

      it("refuses a trusted source with a worker or below full, and malformed levels", async () => {
        await expectCode(
          store.put({ key: "k", value: "v", source: { trust: "trusted", levels: READER } }),
          "MEMORY_INVALID_INPUT",
        );
        await expectCode(
          store.put({ key: "k", value: "v", source: { trust: "trusted", workerId: "coder" } }),
          "MEMORY_INVALID_INPUT",
        );
        await expectCode(
          store.put({ key: "k", value: "v", source: { trust: "yes" as "trusted" } }),
          "MEMORY_INVALID_INPUT",
        );
        for (const levels of [
          { filesystem: "write", execution: "none", network: "none" },
          { filesystem: "read", execution: "none" },
          { ...READER, gpu: "none" },
        ]) {
          await expectCode(
            store.put({ key: "k", value: "v", source: { levels: levels as unknown as MemoryLevels } }),
            "MEMORY_INVALID_INPUT",
          );
        }
        await expectCode(
          store.recent({ readableBy: { ...READER, network: "lan" } as unknown as MemoryLevels }),
          "MEMORY_INVALID_INPUT",
        );
        expect(await store.get({ key: "k" })).toBeUndefined();
      });

      it("returns to a reader only what may reach it: sources at least as permitted in every category", async () => {
        const put = (key: string, source: Parameters<MemoryStore["put"]>[0]["source"]) =>
          store.put({
            key,
            value: `shared words from ${key}`,
            tags: ["flow"],
            ...(source ? { source } : {}),
          });
        await put("user", { trust: "trusted" });
        await put("reader", { workerId: "reader", profile: "reader", levels: READER });
        await put("middle", { workerId: "middle", profile: "middle", levels: MIDDLE });
        await put("odd", { workerId: "odd", profile: "odd", levels: ODD });
        await put("full-worker", { workerId: "fw", profile: "fw", levels: FULL_LEVELS });
        await put("unknown", undefined);
        await store.put({
          scope: "global",
          key: "g-reader",
          value: "shared words",
          source: { levels: READER },
        });
        const keys = async (readableBy?: MemoryLevels) => {
          const opts = { limit: 50, ...(readableBy ? { readableBy } : {}) };
          const recent = (await store.recent(opts)).map((m) => m.key).sort();
          const found = (await store.search("shared words", opts)).map((m) => m.key).sort();
          const tagged = (await store.search("shared", { ...opts, tags: ["flow"] })).map((m) => m.key).sort();
          expect(found).toEqual(recent);
          expect(tagged).toEqual(recent.filter((k) => k !== "g-reader"));
          return recent;
        };
        expect(await keys()).toEqual([
          "full-worker",
          "g-reader",
          "middle",
          "odd",
          "reader",
          "unknown",
          "user",
        ]);
        // The orchestrator (full): only sources at full everywhere.
        expect(await keys(FULL_LEVELS)).toEqual(["full-worker", "user"]);
        expect(await keys(MIDDLE)).toEqual(["full-worker", "middle", "user"]);
        expect(await keys(ODD)).toEqual(["full-worker", "odd", "user"]);
        expect(await keys(READER)).toEqual(["full-worker", "g-reader", "middle", "odd", "reader", "user"]);
        // Only a reader at none everywhere reads memories of unknown source.
        expect(await keys(NO_LEVELS)).toEqual([
          "full-worker",
          "g-reader",
          "middle",
          "odd",
          "reader",
          "unknown",
          "user",
        ]);
      });

      it("fills a filtered result from further down when the newest memories may not reach the reader", async () => {
        await store.put({
          key: "old-trusted",
          value: "kafka topics are named by team",
          source: { trust: "trusted" },
        });
        await store.putMany(
          Array.from({ length: 60 }, (_, i) => ({
            key: `flood/${i}`,
            value: `kafka flood ${i}`,
            source: { workerId: "reader", levels: READER },
          })),
        );
        expect((await store.recent({ limit: 1, readableBy: FULL_LEVELS })).map((m) => m.key)).toEqual([
          "old-trusted",
        ]);
        expect(
          (await store.search("kafka", { limit: 1, readableBy: FULL_LEVELS })).map((m) => m.key),
        ).toEqual(["old-trusted"]);
      });
    });

    describe("link", () => {
      it("links two memories with a typed link, visible from both ends", async () => {
        await store.put({ key: "a", value: "first" });
        await store.put({ scope: "global", key: "b", value: "second" });
        const link = await store.link({ key: "a" }, { scope: "global", key: "b" }, "Derived_From");
        expect(link).toMatchObject({
          type: "derived_from",
          from: { scope: "project", key: "a" },
          to: { scope: "global", key: "b" },
        });
        expect(link.createdAt).toMatch(ISO);
        expect((await store.get({ key: "a" }))?.links).toEqual([link]);
        expect((await store.get({ scope: "global", key: "b" }))?.links).toEqual([link]);
      });

      it("is idempotent per type and allows several types", async () => {
        await store.put({ key: "a", value: "first" });
        await store.put({ key: "b", value: "second" });
        const one = await store.link({ key: "a" }, { key: "b" }, "relates_to");
        const again = await store.link({ key: "a" }, { key: "b" }, "relates_to");
        expect(again.createdAt).toBe(one.createdAt);
        await store.link({ key: "a" }, { key: "b" }, "supersedes");
        const links = (await store.get({ key: "a" }))?.links ?? [];
        expect(links.map((l) => l.type).sort()).toEqual(["relates_to", "supersedes"]);
      });

      it("keeps links when an end is updated", async () => {
        await store.put({ key: "a", value: "first" });
        await store.put({ key: "b", value: "second" });
        await store.link({ key: "a" }, { key: "b" }, "relates_to");
        await store.put({ key: "a", value: "first, revised" });
        expect((await store.get({ key: "a" }))?.links).toHaveLength(1);
      });

      it("refuses missing ends, bad types and self-links, creating nothing", async () => {
        await store.put({ key: "a", value: "first" });
        const err = await expectCode(
          store.link({ key: "a" }, { key: "ghost" }, "relates_to"),
          "MEMORY_NOT_FOUND",
        );
        expect(err.message).toContain("project:ghost");
        await expectCode(store.link({ key: "ghost" }, { key: "a" }, "relates_to"), "MEMORY_NOT_FOUND");
        await expectCode(store.link({ key: "a" }, { key: "a" }, "relates_to"), "MEMORY_INVALID_INPUT");
        await store.put({ key: "b", value: "second" });
        await expectCode(store.link({ key: "a" }, { key: "b" }, "has space"), "MEMORY_INVALID_INPUT");
        await expectCode(
          store.link({ key: "a" }, { key: "b" }, "x]->(n) DETACH DELETE n //"),
          "MEMORY_INVALID_INPUT",
        );
        expect((await store.get({ key: "a" }))?.links).toEqual([]);
        expect(await store.get({ key: "ghost" })).toBeUndefined();
      });
    });

    describe("search", () => {
      beforeEach(async () => {
        await store.put({
          key: "decision/cache",
          value: "Use SQLite with WAL for the local cache.",
          tags: ["decision"],
        });
        await store.put({
          key: "summary/turn-1",
          value: "The user asked about the Postgres migration plan.",
        });
        await store.put({
          key: "note/cafe",
          value: "Meeting at the Café Crème on Friday.",
          tags: ["Social"],
        });
        await store.put({
          key: "postgres",
          value: "Production runs Postgres 16 on a managed host.",
          tags: ["infra", "decision"],
        });
        await store.put({
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
          await store.put({ key: `filler/${i}`, value: `Notes about ${topic} from an earlier session.` });
        }
      });

      it("finds words in the value, the key and the tags, case- and accent-insensitively", async () => {
        expect((await store.search("wal")).map((h) => h.key)).toEqual(["decision/cache"]);
        expect((await store.search("turn")).map((h) => h.key)).toEqual(["summary/turn-1"]);
        expect((await store.search("social")).map((h) => h.key)).toEqual(["note/cafe"]);
        expect((await store.search("CAFE creme")).map((h) => h.key)).toEqual(["note/cafe"]);
      });

      it("ranks a key match above value-only matches, scores descending", async () => {
        const hits = await store.search("postgres");
        expect(hits[0]?.key).toBe("postgres");
        expect(hits.map((h) => h.key).sort()).toEqual(["postgres", "pref/editor", "summary/turn-1"]);
        for (let i = 1; i < hits.length; i++) {
          expect(hits[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
        }
        expect(hits.every((h) => h.score > 0)).toBe(true);
      });

      it("matches any word and ranks memories matching more words first", async () => {
        const hits = await store.search("migration sqlite");
        expect(hits.map((h) => h.key).sort()).toEqual(["decision/cache", "summary/turn-1"]);
        const more = await store.search("migration plan wal");
        expect(more.map((h) => h.key)).toEqual(["summary/turn-1", "decision/cache"]);
      });

      it("filters by scope and by tags (all given tags required)", async () => {
        expect((await store.search("postgres", { scope: "global" })).map((h) => h.key)).toEqual([
          "pref/editor",
        ]);
        expect((await store.search("postgres", { scope: "project" })).map((h) => h.key).sort()).toEqual([
          "postgres",
          "summary/turn-1",
        ]);
        expect(
          (await store.search("postgres sqlite", { tags: ["decision"] })).map((h) => h.key).sort(),
        ).toEqual(["decision/cache", "postgres"]);
        expect(
          (await store.search("postgres sqlite", { tags: ["Decision", "infra"] })).map((h) => h.key),
        ).toEqual(["postgres"]);
        expect(await store.search("postgres", { tags: ["nope"] })).toEqual([]);
      });

      it("matches tags exactly, not word by word", async () => {
        await store.put({ key: "t1", value: "postgres tuning by the coder worker", tags: ["worker:coder"] });
        await store.put({ key: "t2", value: "postgres tuning by someone", tags: ["worker", "coder"] });
        expect((await store.search("postgres tuning", { tags: ["worker:coder"] })).map((h) => h.key)).toEqual(
          ["t1"],
        );
        expect(
          (await store.search("postgres tuning", { tags: ["worker", "coder"] })).map((h) => h.key),
        ).toEqual(["t2"]);
        expect((await store.recent({ tags: ["worker:coder"] })).map((h) => h.key)).toEqual(["t1"]);
      });

      it("honours limit and returns links with hits", async () => {
        await store.link({ key: "postgres" }, { key: "summary/turn-1" }, "relates_to");
        const hits = await store.search("postgres", { limit: 1 });
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
          const hits = await store.search(q);
          expect(hits.map((h) => h.key)).toContain("postgres");
        }
        expect(await store.search("zzzz-nothing-matches")).toEqual([]);
        await expectCode(store.search("  !!! "), "MEMORY_INVALID_INPUT");
        await expectCode(store.search("x", { limit: 0 }), "MEMORY_INVALID_INPUT");
        await expectCode(store.search("x", { limit: 1.5 }), "MEMORY_INVALID_INPUT");
      });
    });

    describe("recent", () => {
      it("lists newest first, with scope, tag and limit filters", async () => {
        await store.put({ key: "one", value: "1", tags: ["t"] });
        await store.put({ scope: "global", key: "two", value: "2" });
        await store.put({ key: "three", value: "3", tags: ["t"] });
        await store.put({ key: "one", value: "1 again", tags: ["t"] });
        expect((await store.recent()).map((m) => m.key)).toEqual(["one", "three", "two"]);
        expect((await store.recent({ limit: 2 })).map((m) => m.key)).toEqual(["one", "three"]);
        expect((await store.recent({ scope: "global" })).map((m) => m.key)).toEqual(["two"]);
        expect((await store.recent({ scope: "project", tags: ["t"] })).map((m) => m.key)).toEqual([
          "one",
          "three",
        ]);
        expect(await store.recent({ tags: ["missing"] })).toEqual([]);
      });

      it("returns nothing on an empty store", async () => {
        expect(await store.recent()).toEqual([]);
      });
    });

    describe("forget", () => {
      it("deletes the memory and its links, and reports whether it existed", async () => {
        await store.put({ key: "a", value: "alpha memory" });
        await store.put({ key: "b", value: "beta memory" });
        await store.link({ key: "a" }, { key: "b" }, "relates_to");
        expect(await store.forget({ key: "a" })).toBe(true);
        expect(await store.forget({ key: "a" })).toBe(false);
        expect(await store.get({ key: "a" })).toBeUndefined();
        expect((await store.get({ key: "b" }))?.links).toEqual([]);
        expect((await store.search("alpha")).map((h) => h.key)).toEqual([]);
        expect((await store.recent()).map((m) => m.key)).toEqual(["b"]);
      });

      it("only forgets the named scope", async () => {
        await store.put({ key: "same", value: "project copy" });
        await store.put({ scope: "global", key: "same", value: "global copy" });
        expect(await store.forget({ scope: "global", key: "same" })).toBe(true);
        expect((await store.get({ key: "same" }))?.value).toBe("project copy");
      });
    });

    describe("safety and bad input", () => {
      const secrets: Record<string, string> = {
        openai: `my key is sk-proj-${"a1B2c3D4".repeat(5)}`,
        anthropic: `ANTHROPIC_API_KEY=sk-ant-api03-${"x9Y8z7W6".repeat(6)}`,
        github: `push with ghp_${"A1b2C3d4E5".repeat(4)}`,
        aws: "AKIAIOSFODNN7EXAMPLE is the access key",
        jwt: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
      };
      for (const [kind, secret] of Object.entries(secrets)) {
        it(`refuses a ${kind} secret with MEMORY_SECRET_DETECTED and never echoes it`, async () => {
          await store.put({ key: "creds", value: "where the credentials live: the vault" });
          const err = await expectCode(store.put({ key: "creds", value: secret }), "MEMORY_SECRET_DETECTED");
          expect(err.message).not.toContain(secret.slice(-12));
          expect(err.hints.length).toBeGreaterThan(0);
          expect((await store.get({ key: "creds" }))?.value).toBe("where the credentials live: the vault");
        });
      }

      it("refuses secrets in tags too", async () => {
        await expectCode(
          store.put({ key: "x", value: "fine", tags: [`ghp_${"A1b2C3d4E5".repeat(4)}`] }),
          "MEMORY_SECRET_DETECTED",
        );
        expect(await store.get({ key: "x" })).toBeUndefined();
      });

      it("refuses an oversized value and keeps the stored one", async () => {
        const small = await open({ project: "/work/project-a", maxValueChars: 100 });
        await small.put({ key: "big", value: "short and fine" });
        const err = await expectCode(
          small.put({ key: "big", value: "x".repeat(101) }),
          "MEMORY_VALUE_TOO_LARGE",
        );
        expect(err.message).toContain("101");
        expect(err.message).toContain("100");
        expect((await small.get({ key: "big" }))?.value).toBe("short and fine");
        expect((await small.put({ key: "big", value: "y".repeat(100) })).value).toHaveLength(100);
      });

      it("rejects invalid keys with MEMORY_INVALID_KEY", async () => {
        for (const key of [
          "",
          "has space",
          "x".repeat(201),
          "-starts-with-dash",
          "new\nline",
          "semi;colon",
        ]) {
          await expectCode(store.put({ key, value: "v" }), "MEMORY_INVALID_KEY");
        }
        await expectCode(store.put({ key: 42 as unknown as string, value: "v" }), "MEMORY_INVALID_KEY");
        await expectCode(store.get({ key: "" }), "MEMORY_INVALID_KEY");
        await expectCode(store.forget({ key: "a b" }), "MEMORY_INVALID_KEY");
        expect(await store.recent()).toEqual([]);
      });

      it("rejects other malformed input with MEMORY_INVALID_INPUT", async () => {
        await expectCode(store.put({ key: "k", value: "" }), "MEMORY_INVALID_INPUT");
        await expectCode(store.put({ key: "k", value: 7 as unknown as string }), "MEMORY_INVALID_INPUT");
        await expectCode(store.put({ key: "k", value: "v", tags: ["bad tag"] }), "MEMORY_INVALID_INPUT");
        await expectCode(
          store.put({ key: "k", value: "v", tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }),
          "MEMORY_INVALID_INPUT",
        );
        await expectCode(
          store.put({ key: "k", value: "v", scope: "team" as MemoryScope }),
          "MEMORY_INVALID_INPUT",
        );
        await expectCode(
          store.put({ key: "k", value: "v", source: { workerId: "" } }),
          "MEMORY_INVALID_INPUT",
        );
        await expectCode(store.recent({ limit: 5000 }), "MEMORY_INVALID_INPUT");
        expect(await store.recent()).toEqual([]);
      });

      it("stores hostile-looking text verbatim (no injection)", async () => {
        const value = "'); DROP TABLE memories; -- \" } ) DETACH DELETE m // $param {{x}}";
        await store.put({ key: "hostile", value, tags: ["x"] });
        expect((await store.get({ key: "hostile" }))?.value).toBe(value);
        expect((await store.search("drop table")).map((h) => h.key)).toEqual(["hostile"]);
      });

      it("throws MEMORY_CLOSED after close", async () => {
        await store.close();
        await expectCode(store.get({ key: "a" }), "MEMORY_CLOSED");
        await expectCode(store.put({ key: "a", value: "v" }), "MEMORY_CLOSED");
        await expectCode(store.search("a"), "MEMORY_CLOSED");
      });
    });
  });
}
