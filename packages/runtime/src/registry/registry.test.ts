import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRegistry } from "./registry.js";
import { errorCode, makeEntry, memoryLogger, tempDir } from "./test-support/entries.js";
import { nextWorkerId } from "./worker-id.js";

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  file = join(dir, "nested", "registry.json");
});
afterEach(async () => {
  await cleanup();
});

async function corruptCopies(): Promise<string[]> {
  return (await readdir(join(dir, "nested"))).filter((name) => name.startsWith("registry.json.corrupt-"));
}

describe("openRegistry: reads and writes", () => {
  it("starts empty when there is no file, and creates it (0600, in a 0700 directory) on first write", async () => {
    const registry = openRegistry({ file });
    expect(await registry.list()).toEqual([]);
    await registry.upsert(makeEntry());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "nested"))).mode & 0o777).toBe(0o700);
    const onDisk = JSON.parse(await readFile(file, "utf8"));
    expect(onDisk.version).toBe(1);
    expect(onDisk.entries).toHaveLength(1);
  });

  it("upserts, gets, updates and removes entries", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry({ id: "coder" }));
    await registry.upsert(makeEntry({ id: "docs", profile: "docs" }));
    await registry.upsert(makeEntry({ id: "coder", status: "busy" }));
    expect((await registry.list()).map((e) => [e.id, e.status])).toEqual([
      ["coder", "busy"],
      ["docs", "ready"],
    ]);
    const updated = await registry.update("docs", { status: "orphaned", sessionId: "ses_1" });
    expect(updated).toMatchObject({ id: "docs", status: "orphaned", sessionId: "ses_1" });
    expect(await registry.get("docs")).toEqual(updated);
    expect(await registry.remove("coder")).toBe(true);
    expect(await registry.remove("coder")).toBe(false);
    expect((await registry.list()).map((e) => e.id)).toEqual(["docs"]);
    expect(await registry.get("coder")).toBeUndefined();
  });

  it("leaves no temporary files behind", async () => {
    const registry = openRegistry({ file });
    for (let i = 0; i < 5; i++) await registry.upsert(makeEntry({ id: `w-${i}` }));
    expect((await readdir(join(dir, "nested"))).sort()).toEqual(["registry.json"]);
  });

  it("update names the known workers when the id is unknown", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry({ id: "coder" }));
    expect(await errorCode(() => registry.update("nope", { status: "busy" }))).toBe(
      "REGISTRY_ENTRY_NOT_FOUND",
    );
    await registry.update("nope", { status: "busy" }).catch((error: Error) => {
      expect((error as { hints?: string[] }).hints).toEqual(["known workers: coder"]);
    });
  });

  it("rejects invalid entries and invalid patches without writing", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry());
    const before = await readFile(file, "utf8");
    expect(await errorCode(() => registry.upsert(makeEntry({ id: "Bad Id" })))).toBe(
      "REGISTRY_INVALID_ENTRY",
    );
    expect(await errorCode(() => registry.update("coder", { port: 70_000 }))).toBe("REGISTRY_INVALID_ENTRY");
    // A plain password where a hash belongs is refused: the registry never holds passwords.
    expect(await errorCode(() => registry.upsert(makeEntry({ passwordHash: "hunter2" })))).toBe(
      "REGISTRY_INVALID_ENTRY",
    );
    // A session worker must not carry a process group that cleanup could kill.
    expect(await errorCode(() => registry.upsert(makeEntry({ kind: "session" })))).toBe(
      "REGISTRY_INVALID_ENTRY",
    );
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("accepts a starting process worker without url/port, and a session worker without pgid", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry({ id: "coder", status: "starting", url: null, port: null }));
    await registry.upsert(
      makeEntry({ id: "docs", profile: "docs", kind: "session", pgid: null, sessionId: "s" }),
    );
    expect(await registry.list()).toHaveLength(2);
  });

  it("renewAll renews only the given owner's entries", async () => {
    let clock = 5_000;
    const registry = openRegistry({ file, now: () => clock });
    await registry.upsert(makeEntry({ id: "mine" }));
    await registry.upsert(makeEntry({ id: "theirs", owner: { kind: "cli", pid: 1, startTime: "x" } }));
    clock = 9_000;
    expect(await registry.renewAll(process.pid)).toBe(1);
    const byId = Object.fromEntries((await registry.list()).map((e) => [e.id, e.renewedAt]));
    expect(byId).toEqual({ mine: 9_000, theirs: 1_000 });
  });
});

describe("openRegistry: transact", () => {
  it("returns fn's result and writes its changes", async () => {
    const registry = openRegistry({ file });
    const id = await registry.transact((entries) => {
      const next = nextWorkerId(
        "coder",
        entries.map((e) => e.id),
      );
      entries.push(makeEntry({ id: next }));
      return next;
    });
    expect(id).toBe("coder");
    expect(
      await registry.transact((entries) =>
        nextWorkerId(
          "coder",
          entries.map((e) => e.id),
        ),
      ),
    ).toBe("coder-2");
  });

  it("writes nothing when fn throws", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry());
    const before = await readFile(file, "utf8");
    await expect(
      registry.transact((entries) => {
        entries.length = 0;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("refuses duplicate ids or invalid entries left by fn, and writes nothing", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry());
    const before = await readFile(file, "utf8");
    expect(await errorCode(() => registry.transact((entries) => void entries.push(makeEntry())))).toBe(
      "REGISTRY_INVALID_ENTRY",
    );
    expect(
      await errorCode(() =>
        registry.transact((entries) => {
          (entries[0] as { pid: number }).pid = -4;
        }),
      ),
    ).toBe("REGISTRY_INVALID_ENTRY");
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("does not rewrite the file when nothing changed", async () => {
    const registry = openRegistry({ file });
    await registry.upsert(makeEntry());
    const old = new Date(2_000_000_000);
    await utimes(file, old, old);
    await registry.transact(() => "read only");
    expect((await stat(file)).mtimeMs).toBe(old.getTime());
  });

  it("serialises concurrent transactions within one process", async () => {
    const registry = openRegistry({ file });
    const other = openRegistry({ file }); // a second handle on the same file
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? registry : other).transact((entries) => {
          const id = nextWorkerId(
            "coder",
            entries.map((e) => e.id),
          );
          entries.push(makeEntry({ id }));
          return id;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(20);
    expect((await registry.list()).map((e) => e.id).sort()).toEqual([...ids].sort());
  });
});

describe("openRegistry: corrupt files", () => {
  const cases: [string, string][] = [
    ["truncated JSON", '{"version":1,"entries":[{"id":"coder","prof'],
    ["an empty file", ""],
    ["not JSON at all", "\u0000\u0000garbage"],
    ["the wrong shape", '{"workers":[]}'],
    ["entries that are not a list", '{"version":1,"entries":{"coder":{}}}'],
    ["a JSON array", "[]"],
  ];
  for (const [name, content] of cases) {
    it(`moves ${name} aside, warns, and starts empty`, async () => {
      await mkdir(join(dir, "nested"), { recursive: true });
      await writeFile(file, content);
      const logger = memoryLogger();
      const registry = openRegistry({ file, logger });
      expect(await registry.list()).toEqual([]);
      const aside = await corruptCopies();
      expect(aside).toHaveLength(1);
      expect(await readFile(join(dir, "nested", aside[0] ?? ""), "utf8")).toBe(content);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]?.message).toMatch(/corrupt/);
      expect(logger.warnings[0]?.details).toMatchObject({
        file,
        setAsideAs: join(dir, "nested", aside[0] ?? ""),
      });
      // The registry works normally afterwards, and the corrupt copy is left alone.
      await registry.upsert(makeEntry());
      expect((await registry.list()).map((e) => e.id)).toEqual(["coder"]);
      expect(await corruptCopies()).toHaveLength(1);
      expect(logger.warnings).toHaveLength(1);
    });
  }

  it("sets invalid entries aside while the valid ones survive", async () => {
    await mkdir(join(dir, "nested"), { recursive: true });
    const good = makeEntry({ id: "coder" });
    const alsoGood = makeEntry({ id: "docs", profile: "docs" });
    const content = JSON.stringify({
      version: 1,
      entries: [
        good,
        { ...good, id: "bad", pid: "not a pid" },
        { id: "truncated" },
        alsoGood,
        { ...alsoGood, status: "busy" }, // duplicate id: the first one is kept
        42,
      ],
    });
    await writeFile(file, content);
    const logger = memoryLogger();
    const registry = openRegistry({ file, logger });
    expect((await registry.list()).map((e) => [e.id, e.status])).toEqual([
      ["coder", "ready"],
      ["docs", "ready"],
    ]);
    // The original, invalid entries included, is kept aside; the file now holds the valid ones.
    const aside = await corruptCopies();
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, "nested", aside[0] ?? ""), "utf8")).toBe(content);
    expect(JSON.parse(await readFile(file, "utf8")).entries.map((e: { id: string }) => e.id)).toEqual([
      "coder",
      "docs",
    ]);
    expect(logger.warnings).toHaveLength(1);
    const invalid = (logger.warnings[0]?.details as { invalid: string[] } | undefined)?.invalid ?? [];
    expect(invalid).toHaveLength(4);
    expect(invalid[0]).toMatch(/^#1 "bad": pid:/);
    expect(invalid[1]).toMatch(/^#2 "truncated": /);
    expect(invalid[2]).toMatch(/^#4 "docs": duplicate id/);
    expect(invalid[3]).toMatch(/^#5: /);
    // Repaired once: reading again warns no more.
    await registry.list();
    expect(logger.warnings).toHaveLength(1);
  });

  it("repairs invalid entries inside a transaction, even one that throws", async () => {
    await mkdir(join(dir, "nested"), { recursive: true });
    await writeFile(file, JSON.stringify({ version: 1, entries: [makeEntry(), { id: "x" }] }));
    const logger = memoryLogger();
    const registry = openRegistry({ file, logger });
    await expect(
      registry.transact(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(JSON.parse(await readFile(file, "utf8")).entries).toHaveLength(1);
    expect(await corruptCopies()).toHaveLength(1);
  });

  it("sets a file from a newer format version aside whole, reports it, and starts fresh", async () => {
    await mkdir(join(dir, "nested"), { recursive: true });
    const content = JSON.stringify({ version: 2, entries: [], somethingNew: true });
    await writeFile(file, content);
    const logger = memoryLogger();
    const registry = openRegistry({ file, logger });
    expect(await registry.list()).toEqual([]);
    const asides = (await readdir(dirname(file))).filter((f) => f.includes(".version-2-"));
    expect(asides).toHaveLength(1);
    expect(await readFile(join(dirname(file), asides[0] ?? ""), "utf8")).toBe(content);
    expect(logger.warnings.map((w) => w.message).join("\n")).toMatch(/format version 2, newer than/);
    await registry.upsert(makeEntry());
    expect(JSON.parse(await readFile(file, "utf8")).version).toBe(1);
    expect(await corruptCopies()).toEqual([]);
  });
});

describe("openRegistry: the cross-process lock", () => {
  const holderScript = fileURLToPath(new URL("./test-support/lock-holder.ts", import.meta.url));
  let holder: ChildProcess | undefined;
  afterEach(async () => {
    if (holder !== undefined && holder.exitCode === null && holder.signalCode === null) {
      const exited = once(holder, "exit");
      holder.kill("SIGKILL");
      await exited;
    }
    holder = undefined;
  });

  it("times out with REGISTRY_LOCK_TIMEOUT while another process holds the lock, then proceeds", async () => {
    await mkdir(join(dir, "nested"), { recursive: true });
    holder = spawn(process.execPath, ["--import", "tsx", holderScript, file], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const [chunk] = (await once(holder.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
    expect(chunk.toString()).toBe("locked\n");
    const registry = openRegistry({ file, lockTimeoutMs: 200 });
    expect(await errorCode(() => registry.upsert(makeEntry()))).toBe("REGISTRY_LOCK_TIMEOUT");
    // Lock-free reads still work while the lock is held.
    expect(await registry.list()).toEqual([]);
    // Once the holder lets go, writes go through.
    const exited = once(holder, "exit");
    holder.stdin?.end();
    await exited;
    await registry.upsert(makeEntry());
    expect(await registry.list()).toHaveLength(1);
  });

  it("takes over the lock of a holder that was SIGKILLed (no exit hook ran)", async () => {
    await mkdir(join(dir, "nested"), { recursive: true });
    const killed = spawn(process.execPath, ["--import", "tsx", holderScript, file], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    holder = killed;
    await once(killed.stdout as NodeJS.ReadableStream, "data");
    const exited = once(killed, "exit");
    killed.kill("SIGKILL");
    await exited;
    expect((await stat(`${file}.lock`)).isDirectory()).toBe(true); // left behind
    const registry = openRegistry({ file, lockTimeoutMs: 60_000, staleMs: 2_000 });
    await registry.upsert(makeEntry());
    expect((await registry.list()).map((e) => e.id)).toEqual(["coder"]);
    expect((await readdir(join(dir, "nested"))).sort()).toEqual(["registry.json"]);
  }, 120_000);

  it("takes over a stale lock left by a process that died holding it", async () => {
    await mkdir(`${file}.lock`, { recursive: true });
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, longAgo, longAgo);
    const registry = openRegistry({ file, lockTimeoutMs: 5_000, staleMs: 2_000 });
    await registry.upsert(makeEntry());
    expect(await registry.list()).toHaveLength(1);
    expect((await readdir(join(dir, "nested"))).sort()).toEqual(["registry.json"]);
  });
});
