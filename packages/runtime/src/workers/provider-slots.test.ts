import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  defaultProviderSlotsFile,
  describeSlotWait,
  ProviderSlots,
  type SlotWait,
  withProviderSlot,
} from "./provider-slots.js";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "provider-slots-"));
  file = join(dir, "provider-slots.json");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const slots = (cap: number) => new ProviderSlots({ caps: { anthropic: cap }, file, pollMs: 10 });

/** Start waiting for a slot; resolves `queued` once the ticket is in the queue (it had to wait). */
function waitFor(s: ProviderSlots, onAdmitted: () => void) {
  let queued!: () => void;
  const isQueued = new Promise<void>((resolve) => {
    queued = resolve;
  });
  const waits: SlotWait[] = [];
  const controller = new AbortController();
  const release = s
    .acquire("anthropic", {
      signal: controller.signal,
      waitIntervalMs: 60_000,
      onWait: (w) => {
        waits.push(w);
        queued();
      },
    })
    .then((r) => {
      onAdmitted();
      return r;
    });
  return { release, isQueued, waits, controller };
}

async function queueIn(): Promise<Record<string, { holding: boolean }[]>> {
  return (JSON.parse(await readFile(file, "utf8")) as { providers: Record<string, { holding: boolean }[]> })
    .providers;
}

describe("ProviderSlots", () => {
  it("lives beside the device registry", () => {
    expect(defaultProviderSlotsFile("/data/opencode/orchestra/registry.json")).toBe(
      "/data/opencode/orchestra/provider-slots.json",
    );
  });

  it("admits asks in arrival order (FIFO) when the cap is reached", async () => {
    const cap1 = slots(1);
    const first = await cap1.acquire("anthropic");
    const order: string[] = [];
    const b = waitFor(slots(1), () => order.push("b"));
    await b.isQueued;
    const c = waitFor(slots(1), () => order.push("c"));
    await c.isQueued;
    const d = waitFor(cap1, () => order.push("d"));
    await d.isQueued;
    expect(b.waits[0]).toMatchObject({ provider: "anthropic", inUse: 1, cap: 1, ahead: 0 });
    expect(d.waits[0]).toMatchObject({ inUse: 1, cap: 1, ahead: 2 });
    expect(describeSlotWait(d.waits[0] as SlotWait)).toBe(
      "waiting for an anthropic slot: 1 of 1 in use, 2 asks ahead",
    );
    expect(order).toEqual([]);

    await first();
    await (await b.release)();
    await (await c.release)();
    await (await d.release)();
    expect(order).toEqual(["b", "c", "d"]);
    expect(await queueIn()).toEqual({});
  });

  it("never admits more than the cap at once", async () => {
    const s = slots(2);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await s.acquire("anthropic");
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        await release();
      }),
    );
    expect(most).toBe(2);
  });

  it("a provider without a cap is never queued", async () => {
    const release = await slots(1).acquire("openai");
    await release();
    await expect(readFile(file, "utf8")).rejects.toThrow();
  });

  it("drops a holder whose process is gone (or whose pid now belongs to another process)", async () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        providers: {
          anthropic: [
            { id: "crashed", pid: gone, startTime: "linux:boot:1", holding: true, since: 0 },
            { id: "reused", pid: process.ppid, startTime: "linux:other:2", holding: true, since: 0 },
          ],
        },
      }),
    );
    const release = await slots(1).acquire("anthropic");
    const queue = await queueIn();
    expect(queue.anthropic).toHaveLength(1);
    expect(queue.anthropic?.[0]).toMatchObject({ holding: true, pid: process.pid });
    await release();
  });

  it("each process applies its own cap: a raised cap admits at once, a lowered one waits until use drops below it", async () => {
    const a = await slots(1).acquire("anthropic");
    // Another process with a cap of 2 gets the second slot at once.
    const b = await slots(2).acquire("anthropic");
    let admitted = false;
    const c = waitFor(slots(1), () => {
      admitted = true;
    });
    await c.isQueued;
    expect(c.waits[0]).toMatchObject({ inUse: 2, cap: 1 });
    await a();
    // Still 1 of 1 in use.
    await new Promise((r) => setTimeout(r, 100));
    expect(admitted).toBe(false);
    await b();
    await (await c.release)();
    expect(admitted).toBe(true);
  });

  it("an aborted wait withdraws its ticket and lets the next one through", async () => {
    const held = await slots(1).acquire("anthropic");
    const b = waitFor(slots(1), () => undefined);
    await b.isQueued;
    b.controller.abort(new Error("cancelled by the user"));
    await expect(b.release).rejects.toThrow("cancelled by the user");
    expect((await queueIn()).anthropic).toHaveLength(1);
    await held();
    expect(await queueIn()).toEqual({});
  });

  it("a corrupt file starts over empty", async () => {
    await writeFile(file, "{ not json");
    const warnings: string[] = [];
    const s = new ProviderSlots({
      caps: { anthropic: 1 },
      file,
      logger: { warn: (m) => warnings.push(m) },
    });
    const release = await s.acquire("anthropic");
    await release();
    expect(warnings[0]).toContain("is not valid");
  });

  it("withProviderSlot reports the wait as the ask's progress, and a timeout while waiting fails the ask", async () => {
    const held = await slots(1).acquire("anthropic");
    const progress: string[] = [];
    const timeout = AbortSignal.timeout(300);
    const error = await withProviderSlot(
      slots(1),
      "anthropic",
      {
        workerId: "coder",
        startedAt: performance.now(),
        onProgress: (p) => progress.push(`${p.workerId}: ${p.activity}`),
        signals: [undefined, timeout],
      },
      async () => "answered",
    ).catch((e: unknown) => e);
    expect(progress[0]).toBe("coder: waiting for an anthropic slot: 1 of 1 in use");
    expect(error).toMatchObject({ code: "WORKER_ASK_FAILED" });
    expect((error as Error).message).toContain(
      'worker "coder" did not answer: it stopped waiting for an anthropic slot',
    );
    await held();
    // Free again: the prompt runs, and its slot is given back after.
    const answer = await withProviderSlot(
      slots(1),
      "anthropic",
      { workerId: "coder", startedAt: 0, signals: [] },
      async () => {
        expect((await queueIn()).anthropic).toMatchObject([{ holding: true }]);
        return "answered";
      },
    );
    expect(answer).toBe("answered");
    expect(await queueIn()).toEqual({});
  });
});
