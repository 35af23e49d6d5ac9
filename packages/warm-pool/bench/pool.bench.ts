// Warm acquire + release against a cold create (a simulated 50 ms creation), p50/p99.
// Run: pnpm --filter @orchestra/warm-pool bench   → bench-results/pool.json
import { performance } from "node:perf_hooks";
import { type BenchStats, measure, report } from "@orchestra/testkit";
import { createWarmPool } from "../src/index.js";

const COLD_CREATE_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Fake {
  id: number;
}
let nextId = 1;

async function warm(): Promise<BenchStats[]> {
  const pool = createWarmPool<Fake>({
    size: 4,
    max: 8,
    create: async () => ({ id: nextId++ }),
    destroy: () => {},
  });
  await sleep(20); // let the warm target fill
  const acquireRelease = await measure(
    "warm acquire+release (await acquire)",
    async () => {
      const start = performance.now();
      const lease = await pool.acquire();
      lease.release();
      return performance.now() - start;
    },
    { runs: 20_000, warmup: 2_000 },
  );
  const sync = await measure(
    "warm tryAcquire+release (sync)",
    () => {
      const start = performance.now();
      const lease = pool.tryAcquire();
      lease?.release();
      return performance.now() - start;
    },
    { runs: 20_000, warmup: 2_000 },
  );
  // A realistic lease: 4 concurrent holders, each keeps the worker across an event-loop turn.
  const contended = await measure(
    "warm acquire, 4 holders in parallel",
    async () => {
      const times = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const start = performance.now();
          const lease = await pool.acquire();
          const took = performance.now() - start;
          await new Promise((r) => setImmediate(r));
          lease.release();
          return took;
        }),
      );
      return Math.max(...times);
    },
    { runs: 2_000, warmup: 200 },
  );
  await pool.close();
  return [acquireRelease, sync, contended];
}

async function cold(): Promise<BenchStats> {
  const pool = createWarmPool<Fake>({
    size: 0,
    max: 1,
    create: async () => {
      await sleep(COLD_CREATE_MS);
      return { id: nextId++ };
    },
    destroy: () => {},
  });
  const stats = await measure(
    `cold acquire (create takes ${COLD_CREATE_MS} ms) + dirty release`,
    async () => {
      const start = performance.now();
      const lease = await pool.acquire();
      const took = performance.now() - start;
      lease.release({ dirty: true });
      await sleep(1); // let the destroy finish so the next acquire is cold again
      return took;
    },
    { runs: 40, warmup: 2 },
  );
  await pool.close();
  return stats;
}

const results = [...(await warm()), await cold()];
report(
  "warm-pool: warm acquire vs cold create",
  results,
  new URL("../bench-results/pool.json", import.meta.url).pathname,
);
const p99 = results[0]?.p99Ms ?? Number.NaN;
process.stdout.write(
  `warm acquire+release p99 = ${(p99 * 1000).toFixed(1)} µs (target < 5 ms: ${p99 < 5 ? "met" : "MISSED"})\n`,
);
