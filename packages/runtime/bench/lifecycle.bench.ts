// Cold process-worker spawn against a warm acquire, p50/p99, with real `opencode serve` workers
// and a scripted model, in one run.
//   pnpm --filter @orchestra/runtime bench:lifecycle [-- --cold-runs 7 --warm-runs 9]
// Writes bench-results/lifecycle.json.
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type BenchStats, measure, report, startScriptedModel } from "@orchestra/testkit";
import { makeHome, removeHome, waitFor } from "../src/lifecycle/test-support/harness.js";
import { makeRealHarness } from "../src/lifecycle/test-support/real-opencode.js";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const coldRuns = arg("--cold-runs", 7);
const warmRuns = arg("--warm-runs", 9);
const leaseRuns = arg("--lease-runs", 2_000);
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "bench-results", "lifecycle.json");

const model = await startScriptedModel({});
const home = makeHome();
const results: BenchStats[] = [];
try {
  // Cold: no warm pool; every spawn starts `opencode serve`, creates the session, sends the prompt.
  {
    const { orchestra, lifecycle } = await makeRealHarness(home, model, {
      spawn: { startupTimeoutMs: 120_000 },
    });
    await lifecycle.start();
    results.push(
      await measure(
        "cold process-worker spawn (orchestra.spawn, opencode serve → ready)",
        async () => {
          const t0 = performance.now();
          const worker = await orchestra.spawn("coder", { reuse: false });
          const ms = performance.now() - t0;
          await orchestra.stop(worker.id);
          return ms;
        },
        { runs: coldRuns, warmup: 1 },
      ),
    );
    await lifecycle.shutdown();
  }
  // Warm: warmPool.profiles.coder.size = 1; spawn hands out the idle worker from memory.
  {
    const { orchestra, lifecycle } = await makeRealHarness(home, model, {
      spawn: { startupTimeoutMs: 120_000 },
      // maxUses high: recycling every 100 leases (the default) would put cold spawns in the lease samples.
      warmPool: { enabled: true, profiles: { coder: { size: 1, maxUses: 100_000 } } },
    });
    await lifecycle.start();
    const idle = () => lifecycle.warmStats().coder?.idle === 1;
    results.push(
      await measure(
        "warm spawn (orchestra.spawn hot path, idle warm worker handed out)",
        async () => {
          await waitFor(idle, 120_000, "replenishment"); // untimed
          const t0 = performance.now();
          const worker = await orchestra.spawn("coder", { reuse: false });
          const ms = performance.now() - t0;
          await orchestra.stop(worker.id);
          return ms;
        },
        { runs: warmRuns, warmup: 1 },
      ),
    );
    await waitFor(idle, 120_000, "replenishment");
    results.push(
      await measure(
        "warm acquire + release (lifecycle.acquire lease round trip)",
        async () => {
          const t0 = performance.now();
          const lease = await lifecycle.acquire("coder");
          lease.release();
          return performance.now() - t0;
        },
        { runs: leaseRuns, warmup: 50 },
      ),
    );
    await lifecycle.shutdown();
  }
  report("runtime lifecycle: cold spawn vs warm acquire (real opencode serve)", results, out);
} finally {
  removeHome(home);
  await model.close();
}
