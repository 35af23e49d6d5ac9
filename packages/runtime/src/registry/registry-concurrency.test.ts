import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRegistry } from "./registry.js";
import { tempDir } from "./test-support/entries.js";

const writerScript = fileURLToPath(new URL("./test-support/registry-writer.ts", import.meta.url));
const WRITERS = 4;
const PER_WRITER = 25;
/** A guard against a hang (each write fsyncs twice), not a performance threshold. */
const HANG_GUARD_MS = 180_000;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
const running = new Set<ChildProcess>();
afterEach(async () => {
  // Only after a failure can a writer still be running: stop it before removing its directory.
  for (const child of running) child.kill("SIGKILL");
  await Promise.all(
    [...running].map((child) =>
      child.exitCode === null && child.signalCode === null ? once(child, "exit") : undefined,
    ),
  );
  running.clear();
  await cleanup();
});

/** Runs one writer process to completion and returns the ids it reports having written. */
async function runWriter(file: string, writer: number, mode: "upsert" | "allocate"): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", writerScript, file, String(writer), String(PER_WRITER), mode],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  running.delete(child);
  if (code !== 0) throw new Error(`writer ${writer} exited with ${code}: ${err}`);
  return JSON.parse(out) as string[];
}

describe("the device registry under concurrent writers in separate processes", () => {
  it(
    `loses no entry when ${WRITERS} processes each upsert ${PER_WRITER} entries`,
    async () => {
      const file = join(dir, "registry.json");
      const written = await Promise.all(
        Array.from({ length: WRITERS }, (_, w) => runWriter(file, w, "upsert")),
      );
      const expected = written.flat().sort();
      expect(expected).toHaveLength(WRITERS * PER_WRITER);
      const stored = (await openRegistry({ file }).list()).map((e) => e.id).sort();
      expect(stored).toEqual(expected);
      // No temporary file, no lock directory and no corrupt copy is left behind.
      expect(await readdir(dir)).toEqual(["registry.json"]);
    },
    HANG_GUARD_MS,
  );

  it(
    `never hands out one worker id twice when ${WRITERS} processes allocate ids at once`,
    async () => {
      const file = join(dir, "registry.json");
      const allocated = (
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => runWriter(file, w, "allocate")))
      ).flat();
      const total = WRITERS * PER_WRITER;
      expect(new Set(allocated).size).toBe(total);
      // Exactly the stable sequence coder, coder-2, …, coder-100, with no gap and no duplicate.
      const sequence = ["coder", ...Array.from({ length: total - 1 }, (_, i) => `coder-${i + 2}`)];
      expect([...allocated].sort()).toEqual([...sequence].sort());
      expect((await openRegistry({ file }).list()).map((e) => e.id).sort()).toEqual([...sequence].sort());
    },
    HANG_GUARD_MS,
  );
});
