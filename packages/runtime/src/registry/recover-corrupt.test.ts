// A corrupt registry file orphans no worker: entries still readable in its text are salvaged, and
// running workers of this registry are found by their process marker (a real child process
// carrying the marker and listening on a port stands in for an `opencode serve` worker).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { processStartTime } from "@orchestra/process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRegistry } from "./registry.js";
import { salvageEntries } from "./salvage.js";
import { makeEntry, memoryLogger, tempDir } from "./test-support/entries.js";
import { REGISTRY_FILE_ENV, scanWorkerProcesses } from "./worker-scan.js";

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  file = join(dir, "nested", "registry.json");
  await mkdir(join(dir, "nested"), { recursive: true });
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await cleanup();
});

/** A process group leader marked as worker `id` of `registry`, listening on a port (printed). */
async function markedWorker(id: string, registry: string): Promise<{ pid: number; port: number }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      "const s=require('node:http').createServer(()=>{});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))",
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        ORCHESTRA_WORKER: "1",
        ORCHESTRA_WORKER_ID: id,
        ORCHESTRA_WORKER_PROFILE: "coder",
        OPENCODE_SERVER_PASSWORD: "pw",
        OPENCODE_CONFIG_CONTENT: JSON.stringify({ model: "scripted/fake-fast" }),
        [REGISTRY_FILE_ENV]: registry,
      },
    },
  );
  children.push(child);
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { pid: child.pid ?? 0, port: Number(line.toString().trim()) };
}

describe("salvageEntries", () => {
  it("reads every complete, valid entry of a truncated or garbled file, first id kept", () => {
    const coder = makeEntry({ id: "coder" });
    const docs = makeEntry({ id: "docs", profile: "docs" });
    const whole = JSON.stringify({ version: 1, entries: [coder, docs] }, null, 2);
    expect(salvageEntries(whole.slice(0, whole.lastIndexOf("]")))).toEqual([coder, docs]);
    expect(salvageEntries(whole.slice(0, whole.indexOf('"docs"')))).toEqual([coder]);
    expect(
      salvageEntries(`\u0000garbage ${JSON.stringify(coder)} {"id":"x"} ${JSON.stringify(coder)}`),
    ).toEqual([coder]);
    // A brace inside a string does not split an object.
    const tricky = makeEntry({ id: "tricky", directory: "/tmp/{weird}/dir}" });
    expect(salvageEntries(`[${JSON.stringify(tricky)}`)).toEqual([tricky]);
    expect(salvageEntries("")).toEqual([]);
  });
});

describe("openRegistry: a corrupt file orphans no worker", () => {
  it("keeps the salvaged entries in the fresh registry and names them and the set-aside file", async () => {
    const coder = makeEntry({ id: "coder" });
    const whole = JSON.stringify({ version: 1, entries: [coder] });
    await writeFile(file, whole.slice(0, -2));
    const logger = memoryLogger();
    const registry = openRegistry({ file, logger });
    expect(await registry.list()).toEqual([coder]);
    const details = logger.warnings[0]?.details as { setAsideAs: string; recovered: string[] };
    expect(details.recovered).toEqual(["coder"]);
    const message = logger.warnings[0]?.message ?? "";
    expect(message).toContain(`moved it aside as ${details.setAsideAs}`);
    expect(message).toContain(`coder (pid ${coder.pid})`);
    expect(message).toContain("`orchestra workers stop <id>`");
    // Written back: the next read is clean and warns no more.
    expect(await registry.list()).toEqual([coder]);
    expect(logger.warnings).toHaveLength(1);
  });

  it("finds a running worker of this registry by its process marker, with its identity and port", async () => {
    const worker = await markedWorker("found", file);
    const other = await markedWorker("elsewhere", join(dir, "other-registry.json"));
    await writeFile(file, "\u0000\u0000 not json");
    const logger = memoryLogger();
    const entries = await openRegistry({ file, logger }).list();
    expect(entries).toEqual([
      expect.objectContaining({
        id: "found",
        profile: "coder",
        kind: "process",
        pid: worker.pid,
        pgid: worker.pid,
        processStartTime: processStartTime(worker.pid),
        url: `http://127.0.0.1:${worker.port}`,
        port: worker.port,
        status: "ready",
        model: "scripted/fake-fast",
        owner: expect.objectContaining({ kind: "cli", pid: worker.pid }),
        passwordHash: expect.stringMatching(/^sha256:/),
      }),
    ]);
    expect(entries.map((e) => e.pid)).not.toContain(other.pid);
    expect(logger.warnings[0]?.message).toContain(`found (pid ${worker.pid})`);
    expect(logger.warnings[0]?.message).toContain("1 found running by their process marker");
  });

  it("says plainly when nothing could be recovered", async () => {
    await writeFile(file, "{ not json");
    expect(scanWorkerProcesses(file)).toEqual([]);
    const logger = memoryLogger();
    expect(await openRegistry({ file, logger }).list()).toEqual([]);
    expect(logger.warnings[0]?.message).toMatch(/No worker could be read from it.*ORCHESTRA_WORKER=1/);
  });
});
