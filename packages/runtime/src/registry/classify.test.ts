import type { ChildProcess } from "node:child_process";
import { currentProcessIdentity, processStartTime } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { classifyEntry } from "./classify.js";
import { makeEntry, startIdle, stopIdle } from "./test-support/entries.js";

const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopIdle));
});

/** A live "worker" process and an entry for it owned by this test process. */
async function liveWorkerEntry() {
  const worker = await startIdle();
  children.push(worker);
  const entry = makeEntry({
    pid: worker.pid,
    pgid: worker.pid,
    processStartTime: processStartTime(worker.pid) ?? "",
    renewedAt: 10_000,
    ttlMs: 5_000,
  });
  return { worker, entry };
}

describe("classifyEntry", () => {
  it("alive-owned: worker and owner alive, renewed within the TTL", async () => {
    const { entry } = await liveWorkerEntry();
    expect(classifyEntry(entry, 10_000)).toBe("alive-owned");
    expect(classifyEntry(entry, 15_000)).toBe("alive-owned");
  });

  it("expired: owner alive but the entry was not renewed within ttlMs", async () => {
    const { entry } = await liveWorkerEntry();
    expect(classifyEntry(entry, 15_001)).toBe("expired");
  });

  it("dead: the worker process is gone", async () => {
    const { worker, entry } = await liveWorkerEntry();
    await stopIdle(worker);
    expect(classifyEntry(entry, 10_000)).toBe("dead");
  });

  it("dead: a reused pid (a live unrelated process with another start time) is not our worker", async () => {
    // Record a real worker, kill it, then point a fake entry at a live unrelated process (this
    // test runner) while keeping the dead worker's start time: exactly what pid reuse looks like.
    const { worker, entry } = await liveWorkerEntry();
    await stopIdle(worker);
    const reused = { ...entry, pid: process.pid, pgid: process.pid };
    expect(classifyEntry(reused, 10_000)).toBe("dead");
    // Sanity check: with the runner's real start time it would be alive.
    expect(classifyEntry({ ...reused, processStartTime: currentProcessIdentity().startTime }, 10_000)).toBe(
      "alive-owned",
    );
  });

  it("alive-orphaned: the worker lives but its owner orchestrator died", async () => {
    const owner = await startIdle();
    children.push(owner);
    const { entry } = await liveWorkerEntry();
    const owned = {
      ...entry,
      owner: { kind: "orchestrator" as const, pid: owner.pid, startTime: processStartTime(owner.pid) ?? "" },
    };
    expect(classifyEntry(owned, 10_000)).toBe("alive-owned");
    await stopIdle(owner);
    expect(classifyEntry(owned, 10_000)).toBe("alive-orphaned");
    // Orphaned wins over expired: both mean "nobody is looking after it".
    expect(classifyEntry(owned, 99_000)).toBe("alive-orphaned");
  });

  it("alive-orphaned: the owner's pid is live but belongs to another process (reused owner pid)", async () => {
    const { entry } = await liveWorkerEntry();
    const forgedOwner = { ...entry.owner, startTime: `${entry.owner.startTime}0` };
    expect(classifyEntry({ ...entry, owner: forgedOwner }, 10_000)).toBe("alive-orphaned");
  });

  it("cli-owned-alive: a live CLI worker is never up for killing, whatever its owner or TTL", async () => {
    const cli = await startIdle();
    children.push(cli);
    const { entry } = await liveWorkerEntry();
    const cliEntry = {
      ...entry,
      owner: { kind: "cli" as const, pid: cli.pid, startTime: processStartTime(cli.pid) ?? "" },
    };
    await stopIdle(cli); // the CLI process has exited, as it always does after `workers spawn`
    expect(classifyEntry(cliEntry, 10_000)).toBe("cli-owned-alive");
    expect(classifyEntry(cliEntry, 10_000_000)).toBe("cli-owned-alive");
  });

  it("dead: a CLI worker whose process is gone is cleaned up like any other", async () => {
    const { worker, entry } = await liveWorkerEntry();
    await stopIdle(worker);
    expect(classifyEntry({ ...entry, owner: { ...entry.owner, kind: "cli" } }, 10_000)).toBe("dead");
  });
});
