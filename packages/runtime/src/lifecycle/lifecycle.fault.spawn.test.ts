// Fault injection around spawns and hand-outs (issue 12 §2, faults 1, 4 and 5), against the fake
// `opencode serve` (test-fixtures/fake-opencode.mjs) and child-process hosts.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isProcessAlive, processStartTime } from "@orchestra/process";
import { afterEach, describe, expect, it } from "vitest";
import { openRegistry } from "../registry/registry.js";
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
const thieves: number[] = [];
function home(): Home {
  const h = makeHome();
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const h of homes) removeHome(h);
  homes = [];
  for (const pid of thieves.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

const registryOf = (h: Home) => openRegistry({ file: h.registryFile, logger: { warn: () => {} } });

/**
 * SIGKILL a worker's group and spin (synchronously, so no exit event can run meanwhile) until the
 * kernel has turned it into a zombie: the process is gone, but the runtime has not heard of it.
 */
function killWithoutTelling(pid: number): void {
  process.kill(-pid, "SIGKILL");
  const deadline = Date.now() + 5_000;
  while (processStartTime(pid) !== undefined) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not die within 5 s of SIGKILL`);
  }
}

describe("spawn and hand-out faults (fake opencode)", { timeout: 60_000 }, () => {
  it("fault 1: a warm worker whose process died before its exit event is never handed out", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      config: { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
    });
    await lifecycle.start();
    const idleWorker = async () => {
      await waitFor(() => (lifecycle.warmStats().coder?.idle ?? 0) >= 1, 15_000, "a warm worker");
      const info = orchestra.pool.list().find((w) => w.profile === "coder" && w.status === "ready");
      return info?.pid ?? 0;
    };

    // acquire(): the dead idle worker is discarded and a fresh one is created for the caller.
    const firstPid = await idleWorker();
    killWithoutTelling(firstPid);
    const lease = await lifecycle.acquire("coder", { timeoutMs: 30_000 });
    expect(lease.worker.info.pid).not.toBe(firstPid);
    expect(isProcessAlive(lease.worker.info.pid ?? 0)).toBe(true);
    expect((await lease.worker.ask("still there?")).text).toBe("fake answer to: still there?");
    lease.release();

    // spawn()'s synchronous hot path: a dead warm worker is not returned either.
    const secondPid = await idleWorker();
    killWithoutTelling(secondPid);
    const worker = await orchestra.spawn("coder", { reuse: false });
    expect(worker.info.pid).not.toBe(secondPid);
    expect((await worker.ask("hello")).text).toBe("fake answer to: hello");

    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("fault 4: shutdown racing a spawn's ready, 20 times, leaks no worker and lets the host exit", async () => {
    const h = home();
    const script = fileURLToPath(new URL("../../test-fixtures/shutdown-race.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(h), "20"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let exitCode: number | null | "still running" = "still running";
    try {
      exitCode = await Promise.race([
        exited,
        // A leaked worker keeps the host's event loop alive: it would never exit on its own.
        waitFor(() => out.includes("DONE"), 50_000, "DONE")
          .then(() => waitFor(() => child.exitCode !== null, 5_000, "the host to exit on its own"))
          .then(() => exited),
      ]);
    } catch {
      exitCode = "still running";
    } finally {
      child.kill("SIGKILL");
    }
    expect(out.match(/^ITER \d+/gm)?.length).toBe(20);
    expect(exitCode).toBe(0);
    expect(recordedPids(h).length).toBe(20);
    expect(orphans(h)).toEqual([]);
    expect(await registryOf(h).list()).toEqual([]);
  });

  it("fault 5: a port taken between choosing and binding it is retried on another port", async () => {
    const h = home();
    const marker = join(h.root, "stolen-port");
    const { orchestra, lifecycle } = await makeHarness({
      home: h,
      env: { FAKE_OPENCODE_STEAL_PORT: marker },
    });
    await lifecycle.start();
    const spawned = orchestra.spawn("coder").then(
      (worker) => worker,
      (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
    );
    const worker = await spawned;
    expect(existsSync(marker)).toBe(true);
    const [stolenPort, thief] = readFileSync(marker, "utf8").trim().split(" ").map(Number);
    thieves.push(thief ?? 0);
    if (typeof worker === "string") throw new Error(`the spawn failed: ${worker}`);
    expect(worker.info.port).not.toBe(stolenPort);
    expect((await worker.ask("hi")).text).toBe("fake answer to: hi");
    expect((await registryOf(h).get(worker.id))?.port).toBe(worker.info.port);
    // The first attempt's process is gone: only the second one lives.
    expect(recordedPids(h).length).toBe(2);
    expect(orphans(h)).toEqual([worker.info.pid]);
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });
});
