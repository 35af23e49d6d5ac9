/**
 * The one contract suite every MemoryStore backend must pass. `embedded-store.test.ts` and
 * `neo4j-store.test.ts` each run it once, with the store's name in the describe title.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeProvenanceContract } from "./memory-store.contract-provenance.js";
import { describeSearchContract } from "./memory-store.contract-search.js";
import { expectCode } from "./memory-store.contract-support.js";
import type { MemoryBackend, MemoryScope, MemoryStore } from "./memory-store.js";

/** How the contract suite reaches one backend. */
export interface ContractHarness {
  /** Open a store over the shared test data (several may be open at once). */
  open(options?: { project?: string; scope?: MemoryScope; maxValueChars?: number }): Promise<MemoryStore>;
  /** Delete every memory (called before each test). */
  reset(): Promise<void>;
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

    describeProvenanceContract(() => store);

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

    describeSearchContract(() => store);

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
