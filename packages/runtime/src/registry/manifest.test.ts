import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { currentProcessIdentity } from "@orchestra/process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deleteManifest, readManifest, writeManifest } from "./manifest.js";
import { hashPassword } from "./password-hash.js";
import type { Manifest } from "./schema.js";
import { errorCode, memoryLogger, tempDir } from "./test-support/entries.js";

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  file = join(dir, "opencode", "orchestrator-recovery.json");
});
afterEach(async () => {
  await cleanup();
});

function sampleManifest(): Manifest {
  return {
    orchestrator: currentProcessIdentity(),
    writtenAt: 1_700_000_000_000,
    workers: [
      {
        id: "coder",
        pid: 4242,
        pgid: 4242,
        processStartTime: "linux:boot:123",
        url: "http://127.0.0.1:4100",
        passwordHash: hashPassword("secret"),
      },
      { id: "docs", pid: 4343, pgid: 4343, processStartTime: "linux:boot:456", url: null },
    ],
  };
}

async function asideCopies(): Promise<string[]> {
  return (await readdir(join(dir, "opencode"))).filter((n) =>
    n.startsWith("orchestrator-recovery.json.corrupt-"),
  );
}

describe("recovery manifest", () => {
  it("round-trips through an atomic 0600 write, and is deleted once", async () => {
    const manifest = sampleManifest();
    await writeManifest(manifest, { file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readManifest({ file })).toEqual(manifest);
    expect(await readdir(join(dir, "opencode"))).toEqual(["orchestrator-recovery.json"]);
    expect(await deleteManifest({ file })).toBe(true);
    expect(await deleteManifest({ file })).toBe(false);
    expect(await readManifest({ file })).toBeUndefined();
  });

  it("replaces an earlier manifest", async () => {
    await writeManifest(sampleManifest(), { file });
    const later = { ...sampleManifest(), writtenAt: 1_800_000_000_000, workers: [] };
    await writeManifest(later, { file });
    expect(await readManifest({ file })).toEqual(later);
  });

  it("reads as undefined when there is none", async () => {
    expect(await readManifest({ file })).toBeUndefined();
  });

  it("refuses to write an invalid manifest (a password instead of its hash)", async () => {
    const bad = sampleManifest();
    const first = bad.workers[0];
    if (first !== undefined) first.passwordHash = "secret";
    expect(await errorCode(() => writeManifest(bad, { file }))).toBe("REGISTRY_INVALID_ENTRY");
    expect(await readManifest({ file })).toBeUndefined();
  });

  for (const [name, content] of [
    ["truncated", '{"orchestrator":{"pid":1,"startTime":"x"},"writtenAt":1,"work'],
    ["empty", ""],
    ["of the wrong shape", '{"orchestrator":"me","workers":[]}'],
  ] as const) {
    it(`sets a ${name} manifest aside with a warning and ignores it`, async () => {
      await writeManifest(sampleManifest(), { file });
      await writeFile(file, content);
      const logger = memoryLogger();
      expect(await readManifest({ file, logger })).toBeUndefined();
      const aside = await asideCopies();
      expect(aside).toHaveLength(1);
      expect(await readFile(join(dir, "opencode", aside[0] ?? ""), "utf8")).toBe(content);
      expect(logger.warnings.map((w) => w.message)).toEqual([
        expect.stringMatching(/recovery manifest was corrupt/),
      ]);
      // The corrupt manifest is gone, so the next start is not fooled by it again.
      expect(await readManifest({ file, logger })).toBeUndefined();
      expect(logger.warnings).toHaveLength(1);
    });
  }

  it("drops invalid workers but keeps the valid ones, with the original set aside", async () => {
    const manifest = sampleManifest();
    const content = JSON.stringify({
      ...manifest,
      workers: [...manifest.workers, { id: "ghost", pid: "nope" }],
    });
    await writeManifest(manifest, { file });
    await writeFile(file, content);
    const logger = memoryLogger();
    expect(await readManifest({ file, logger })).toEqual(manifest);
    const aside = await asideCopies();
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, "opencode", aside[0] ?? ""), "utf8")).toBe(content);
    expect((logger.warnings[0]?.details as { invalid: string[] } | undefined)?.invalid ?? []).toEqual([
      expect.stringMatching(/^#2 "ghost": /),
    ]);
    expect(await readManifest({ file, logger })).toEqual(manifest);
    expect(logger.warnings).toHaveLength(1);
  });
});
