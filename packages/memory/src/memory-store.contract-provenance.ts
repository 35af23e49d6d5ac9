/** The contract's provenance tests (which worker wrote a memory, trust, which sessions may read it). */
import { describe, expect, it } from "vitest";
import { expectCode } from "./memory-store.contract-support.js";
import type { MemoryStore } from "./memory-store.js";
import { FULL_LEVELS, type MemoryLevels, NO_LEVELS } from "./provenance.js";

/** Provenance cases of the MemoryStore contract; `store` is the store of the running test. */
export function describeProvenanceContract(store: () => MemoryStore): void {
  describe("provenance", () => {
    const READER: MemoryLevels = { filesystem: "read", execution: "none", network: "none" };
    const MIDDLE: MemoryLevels = { filesystem: "full", execution: "sandboxed", network: "localhost" };
    const ODD: MemoryLevels = { filesystem: "full", execution: "none", network: "full" };

    it("stores which worker and profile wrote a memory, its levels and whether it is trusted", async () => {
      const worker = await store().put({
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
      expect((await store().get({ key: "w" }))?.source).toEqual(worker.source);
      const user = await store().put({ key: "u", value: "from the user", source: { trust: "trusted" } });
      expect(user.source).toEqual({ trust: "trusted", levels: FULL_LEVELS });
      expect((await store().search("user"))[0]?.source).toEqual(user.source);
      // A replace takes the new provenance: a worker cannot keep a trusted memory's trust.
      const taken = await store().put({
        key: "u",
        value: "overwritten",
        source: { workerId: "x", levels: READER },
      });
      expect(taken.source).toEqual({ workerId: "x", trust: "untrusted", levels: READER });
    });

    it("refuses a trusted source with a worker or below full, and malformed levels", async () => {
      await expectCode(
        store().put({ key: "k", value: "v", source: { trust: "trusted", levels: READER } }),
        "MEMORY_INVALID_INPUT",
      );
      await expectCode(
        store().put({ key: "k", value: "v", source: { trust: "trusted", workerId: "coder" } }),
        "MEMORY_INVALID_INPUT",
      );
      await expectCode(
        store().put({ key: "k", value: "v", source: { trust: "yes" as "trusted" } }),
        "MEMORY_INVALID_INPUT",
      );
      for (const levels of [
        { filesystem: "write", execution: "none", network: "none" },
        { filesystem: "read", execution: "none" },
        { ...READER, gpu: "none" },
      ]) {
        await expectCode(
          store().put({ key: "k", value: "v", source: { levels: levels as unknown as MemoryLevels } }),
          "MEMORY_INVALID_INPUT",
        );
      }
      await expectCode(
        store().recent({ readableBy: { ...READER, network: "lan" } as unknown as MemoryLevels }),
        "MEMORY_INVALID_INPUT",
      );
      expect(await store().get({ key: "k" })).toBeUndefined();
    });

    it("returns to a reader only what may reach it: sources at least as permitted in every category", async () => {
      const put = (key: string, source: Parameters<MemoryStore["put"]>[0]["source"]) =>
        store().put({
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
      await store().put({
        scope: "global",
        key: "g-reader",
        value: "shared words",
        source: { levels: READER },
      });
      const keys = async (readableBy?: MemoryLevels) => {
        const opts = { limit: 50, ...(readableBy ? { readableBy } : {}) };
        const recent = (await store().recent(opts)).map((m) => m.key).sort();
        const found = (await store().search("shared words", opts)).map((m) => m.key).sort();
        const tagged = (await store().search("shared", { ...opts, tags: ["flow"] })).map((m) => m.key).sort();
        expect(found).toEqual(recent);
        expect(tagged).toEqual(recent.filter((k) => k !== "g-reader"));
        return recent;
      };
      expect(await keys()).toEqual(["full-worker", "g-reader", "middle", "odd", "reader", "unknown", "user"]);
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
      await store().put({
        key: "old-trusted",
        value: "kafka topics are named by team",
        source: { trust: "trusted" },
      });
      await store().putMany(
        Array.from({ length: 60 }, (_, i) => ({
          key: `flood/${i}`,
          value: `kafka flood ${i}`,
          source: { workerId: "reader", levels: READER },
        })),
      );
      expect((await store().recent({ limit: 1, readableBy: FULL_LEVELS })).map((m) => m.key)).toEqual([
        "old-trusted",
      ]);
      expect(
        (await store().search("kafka", { limit: 1, readableBy: FULL_LEVELS })).map((m) => m.key),
      ).toEqual(["old-trusted"]);
    });
  });
}
