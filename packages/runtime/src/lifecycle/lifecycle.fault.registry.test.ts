// Fault injection around the device registry (issue 12 §2, faults 2, 3a, 6 and 7), against the fake
// `opencode serve` (test-fixtures/fake-opencode.mjs) and child-process orchestrators.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OrchestraError } from "@orchestra/core";
import { currentProcessIdentity, isProcessAlive } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { openRegistry } from "../registry/registry.js";
import type { WorkerInfo } from "../workers/worker.js";
import { recoverWorkers } from "./recovery.js";
import { startChildOrchestrator } from "./test-support/child.js";
import {
  type Home,
  makeHarness,
  makeHome,
  orphans,
  recordedPids,
  removeHome,
  waitFor,
} from "./test-support/harness.js";

let homes: Home[] = [];
const immutable: string[] = [];
/** Lock holders and child orchestrators, killed after each test whatever happened. */
const children: ChildProcess[] = [];
function home(): Home {
  const h = makeHome();
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const dir of immutable.splice(0)) execFileSync("chattr", ["-i", dir]);
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const h of homes) removeHome(h);
  homes = [];
});

const quiet = { warn: () => {} };
const registryOf = (h: Home) => openRegistry({ file: h.registryFile, logger: quiet });
const codeOf = (error: unknown) => (OrchestraError.isInstance(error) ? error.code : String(error));
/** The identity `orchestra workers cleanup` recovers with: this process, as the CLI. */
const cliOwner = () => ({ kind: "cli" as const, ...currentProcessIdentity() });

/** Hold the registry's lock from another process until the returned function is called. */
async function holdRegistryLock(h: Home): Promise<() => Promise<void>> {
  mkdirSync(dirname(h.registryFile), { recursive: true });
  const script = fileURLToPath(new URL("../registry/test-support/lock-holder.ts", import.meta.url));
  const holder = spawn(process.execPath, ["--import", "tsx", script, h.registryFile], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(holder);
  await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
  return async () => {
    holder.stdin?.end();
    if (holder.exitCode === null) await once(holder, "exit");
  };
}

describe("device registry faults (fake opencode)", { timeout: 60_000 }, () => {
  it("fault 2: a registry written by a newer version is set aside; cleanup and the host still work", async () => {
    const h = home();
    mkdirSync(dirname(h.registryFile), { recursive: true });
    const newer = `${JSON.stringify({ version: 2, entries: [{ id: "from-the-future", shape: "unknown" }] })}\n`;
    const asides = () => readdirSync(dirname(h.registryFile)).filter((f) => f.includes(".version-2-"));

    // `orchestra workers cleanup` runs recovery without an adopter: it must not fail.
    writeFileSync(h.registryFile, newer);
    const cleanup = await recoverWorkers({
      registry: registryOf(h),
      owner: cliOwner(),
      manifestFile: h.manifestFile,
    });
    expect(cleanup.found).toBe(0);
    expect(asides()).toHaveLength(1);
    expect(readFileSync(join(dirname(h.registryFile), asides()[0] ?? ""), "utf8")).toBe(newer);

    // The host starts and spawns; the newer file is kept aside, not lost.
    writeFileSync(h.registryFile, newer);
    const { orchestra, lifecycle, warnings } = await makeHarness({ home: h });
    await lifecycle.start();
    const worker = await orchestra.spawn("coder");
    expect((await registryOf(h).get(worker.id))?.status).toBe("ready");
    expect(JSON.parse(readFileSync(h.registryFile, "utf8")).version).toBe(1);
    expect(asides()).toHaveLength(2);
    expect(warnings.join("\n")).toMatch(/format version 2.*newer/);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });

  it("fault 2: a registry error while a worker becomes ready keeps the worker and the spawn", async () => {
    const h = home();
    const registry = openRegistry({ file: h.registryFile, lockTimeoutMs: 300, logger: quiet });
    const { orchestra, lifecycle } = await makeHarness({ home: h, registry });
    await lifecycle.start();
    const errors: string[] = [];
    lifecycle.on("registry:error", (error) => errors.push(codeOf(error)));
    const release = await holdRegistryLock(h);
    const worker = await orchestra.spawn("coder");
    expect(worker.status).toBe("ready");
    expect(errors).toContain("REGISTRY_LOCK_TIMEOUT");
    expect((await worker.ask("hi")).text).toBe("fake answer to: hi");
    await release();
    // The write is retried once the registry can be written again.
    await waitFor(async () => (await registryOf(h).get(worker.id))?.status === "ready", 15_000, "the retry");
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("fault 3a: a worker spawned when its orchestrator is SIGKILLed is found and stopped by cleanup", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "signals", { FAKE_OPENCODE_START_DELAY: "20000" });
    children.push(crashed.child);
    await crashed.line("SPAWNING");
    await waitFor(() => recordedPids(h).length === 1, 10_000, "the worker process");
    const [workerPid = 0] = recordedPids(h);
    await waitFor(
      async () => (await registryOf(h).list()).some((e) => e.pid === workerPid && e.status === "starting"),
      10_000,
      "a starting entry with the worker's pid",
    );
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    expect(isProcessAlive(workerPid)).toBe(true); // the hazard: it outlives its owner

    const report = await recoverWorkers({
      registry: registryOf(h),
      owner: cliOwner(),
      manifestFile: h.manifestFile,
      graceMs: 2_000,
    });
    expect(report.killed.map((k) => k.pid)).toEqual([workerPid]);
    await waitFor(() => orphans(h).length === 0, 5_000, "no orphans");
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("fault 3a: recovery never reconnects a worker that was still starting; it stops it", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "signals", { FAKE_OPENCODE_START_DELAY: "20000" });
    children.push(crashed.child);
    await crashed.line("SPAWNING");
    await waitFor(() => recordedPids(h).length === 1, 10_000, "the worker process");
    const [workerPid = 0] = recordedPids(h);
    await waitFor(
      async () => (await registryOf(h).list()).some((e) => e.pid === workerPid),
      10_000,
      "the worker's entry",
    );
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    const { orchestra, lifecycle } = await makeHarness({ home: h });
    const report = await lifecycle.start();
    expect(report.reconnected).toEqual([]);
    expect(report.killed.map((k) => k.pid)).toEqual([workerPid]);
    expect(orchestra.pool.list()).toEqual([]);
    await waitFor(() => orphans(h).length === 0, 5_000, "no orphans");
    expect(await registryOf(h).list()).toEqual([]);
    await lifecycle.shutdown();
  });

  it("fault 6: an unwritable registry keeps the worker, reports, holds it in memory and retries", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({ home: h });
    await lifecycle.start();
    const errors: Array<[string, string | undefined]> = [];
    lifecycle.on("registry:error", (error, id) => errors.push([codeOf(error), id]));
    // A read-only directory, even for root: the immutable attribute refuses new files and renames.
    const dataDir = dirname(h.registryFile);
    execFileSync("chattr", ["+i", dataDir]);
    immutable.push(dataDir);

    const worker = await orchestra.spawn("coder");
    expect(worker.status).toBe("ready");
    expect((await worker.ask("hello")).text).toBe("fake answer to: hello");
    expect(errors).toContainEqual(["REGISTRY_IO", worker.id]);
    expect(await registryOf(h).get(worker.id)).toBeUndefined();
    expect(lifecycle.workers()).toEqual([
      expect.objectContaining({ id: worker.id, status: "ready", recorded: false }),
    ]);

    execFileSync("chattr", ["-i", dataDir]);
    immutable.splice(immutable.indexOf(dataDir), 1);
    await waitFor(async () => (await registryOf(h).get(worker.id))?.status === "ready", 15_000, "the retry");
    expect(lifecycle.workers()).toEqual([expect.objectContaining({ id: worker.id, recorded: true })]);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("fault 7: a worker leased when its orchestrator crashed is stopped by recovery, never handed out", async () => {
    const h = home();
    const crashed = startChildOrchestrator(h, "lease", {
      ORCHESTRA_TEST_CONFIG: JSON.stringify({
        warmPool: { enabled: true, profiles: { coder: { size: 1 } } },
      }),
    });
    children.push(crashed.child);
    const leased = JSON.parse((await crashed.line("LEASED ")).slice(7)) as WorkerInfo;
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;

    const { orchestra, lifecycle } = await makeHarness({ home: h });
    const report = await lifecycle.start();
    expect(report.reconnected.map((r) => r.id)).not.toContain(leased.id);
    expect(report.killed.map((r) => r.id)).toContain(leased.id);
    expect(orchestra.pool.get(leased.id)).toBeUndefined();
    await waitFor(() => !isProcessAlive(leased.pid ?? 0), 5_000, "the leased worker to stop");
    const next = await orchestra.spawn("coder");
    expect(next.info.pid).not.toBe(leased.pid);
    expect((await next.ask("fresh?")).text).toBe("fake answer to: fresh?");
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });
});
