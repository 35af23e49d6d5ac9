// How fast a SIGKILLed stub worker is seen dead through its exit event, and what one HTTP
// probe of a healthy stub costs. Run: pnpm --filter @orchestra/health bench → bench-results/detection.json
import { performance } from "node:perf_hooks";
import { describeExit, isGroupAlive } from "@orchestra/process";
import { measure, report } from "@orchestra/testkit";
import { createHealthMonitor, httpProbe } from "../src/index.js";
import { killAllStubs, startStub } from "../test-fixtures/stub.js";

const monitor = createHealthMonitor({ intervalMs: 3_600_000 });

const exitDetection = await measure(
  "SIGKILL → dead event (exit signal)",
  async () => {
    const stub = await startStub();
    const id = `w${stub.pid}`;
    monitor.add(id, { probe: httpProbe(stub.url), liveness: () => isGroupAlive(stub.pid) });
    stub.child.once("exit", (code, signal) => monitor.reportExit(id, describeExit(code, signal)));
    const dead = new Promise<number>((resolve) =>
      monitor.on("dead", (deadId) => {
        if (deadId === id) resolve(performance.now());
      }),
    );
    const start = performance.now();
    process.kill(-stub.pid, "SIGKILL");
    const took = (await dead) - start;
    monitor.remove(id);
    return took;
  },
  { runs: 20, warmup: 1 },
);

const stub = await startStub();
const probe = httpProbe(stub.url, { path: "/session" });
const never = new AbortController().signal;
const probeCost = await measure(
  "httpProbe round trip (healthy stub)",
  async () => {
    const result = await probe(never);
    if (result.status !== "ok") throw new Error(`unexpected ${result.status}`);
    return undefined;
  },
  { runs: 500, warmup: 20 },
);

monitor.stop();
killAllStubs();
report(
  "health: death detection and probe cost",
  [exitDetection, probeCost],
  new URL("../bench-results/detection.json", import.meta.url).pathname,
);
