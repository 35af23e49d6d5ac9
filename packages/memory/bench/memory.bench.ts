/**
 * Memory bench: `put` and `search` at 1k / 10k / 100k memories, embedded and Neo4j, p50/p99.
 *
 *   pnpm --filter @orchestra/memory bench
 *   BENCH_BACKENDS=embedded BENCH_SIZES=1000,10000 pnpm --filter @orchestra/memory bench
 *
 * The corpus is synthetic but shaped like real memories: a 3 000-word vocabulary with a Zipf-like
 * skew, values of 12–40 words, 1–3 tags out of 24, keys like `topic/123`. Each size is reached by
 * bulk-loading with `putMany` in batches (one transaction / one UNWIND query each), and the load
 * time is reported as its own row. Queries are two vocabulary words (any may match), limit 10.
 * Neo4j runs on the same launcher the tests use, with the full JIT and a 1 GiB page cache.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchStats, measure, report, summarize } from "@orchestra/testkit";
import { openEmbeddedStore } from "../src/embedded-store.js";
import type { MemoryStore, PutMemoryInput } from "../src/memory-store.js";
import { openNeo4jStore } from "../src/neo4j-store.js";
import { type Neo4jTestServer, startNeo4jTestServer } from "../test-fixtures/neo4j-server.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "embedded,neo4j").split(",");
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

// Deterministic PRNG (mulberry32) so every run benches the same corpus and queries.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ru",
  "sa",
  "ti",
  "vo",
  "ze",
  "po",
  "qua",
  "bri",
  "dan",
  "fel",
  "gor",
  "hin",
];
const VOCAB = Array.from({ length: 3000 }, (_, i) => {
  let w = "";
  let n = i + 7;
  do {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return w;
});
const TAGS = Array.from({ length: 24 }, (_, i) => `tag${i}`);
const TOPICS = ["decision", "summary", "fact", "note", "todo", "preference"];
const word = (): string => VOCAB[Math.floor(VOCAB.length * rand() ** 2)] ?? "x"; // skewed towards common words
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

function memoryAt(i: number): PutMemoryInput {
  const words = Array.from({ length: 12 + Math.floor(rand() * 29) }, word);
  const tags = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(TAGS)))];
  return { key: `${pick(TOPICS)}/${i}`, value: `${words.join(" ")}.`, tags, source: { workerId: "bench" } };
}

async function loadTo(store: MemoryStore, from: number, to: number, batch: number): Promise<number> {
  const started = performance.now();
  for (let i = from; i < to; i += batch) {
    const items = Array.from({ length: Math.min(batch, to - i) }, (_, j) => memoryAt(i + j));
    await store.putMany(items);
  }
  return performance.now() - started;
}

async function benchStore(
  name: string,
  store: MemoryStore,
  batch: number,
  results: BenchStats[],
): Promise<void> {
  let loaded = 0;
  let extra = 0;
  for (const size of SIZES) {
    const loadMs = await loadTo(store, loaded, size, batch);
    results.push(summarize(`${name}: load ${loaded}→${size} (putMany, batches of ${batch})`, [loadMs]));
    process.stdout.write(`${name}: loaded ${size} in ${(loadMs / 1000).toFixed(1)} s\n`);
    loaded = size;
    results.push(
      await measure(
        `${name}: put @${size}`,
        async () => {
          await store.put({ key: `bench-extra/${extra++}`, value: memoryAt(extra).value, tags: ["extra"] });
          return undefined;
        },
        { runs: RUNS, warmup: 20 },
      ),
    );
    const queries = Array.from({ length: RUNS + 20 }, () => `${word()} ${word()}`);
    let q = 0;
    results.push(
      await measure(
        `${name}: search @${size}`,
        async () => {
          const hits = await store.search(queries[q++ % queries.length] ?? "x", { limit: 10 });
          if (hits.length === 0) throw new Error("a bench query found nothing; the corpus is wrong");
          return undefined;
        },
        { runs: RUNS, warmup: 20 },
      ),
    );
    results.push(
      await measure(
        `${name}: search+tag @${size}`,
        async () => {
          await store.search(queries[q++ % queries.length] ?? "x", { tags: [pick(TAGS)], limit: 10 });
          return undefined;
        },
        { runs: RUNS, warmup: 20 },
      ),
    );
    results.push(
      await measure(`${name}: recent @${size}`, async () => void (await store.recent({ limit: 10 })), {
        runs: RUNS,
        warmup: 20,
      }),
    );
  }
}

const results: BenchStats[] = [];
if (BACKENDS.includes("embedded")) {
  const dir = mkdtempSync(join(tmpdir(), "orchestra-memory-bench-"));
  const store = openEmbeddedStore({ path: join(dir, "bench.db"), project: "/bench" });
  try {
    await benchStore("embedded", store, 5_000, results);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (BACKENDS.includes("neo4j")) {
  let server: Neo4jTestServer | undefined;
  try {
    server = await startNeo4jTestServer({ jvmArgs: ["-Xms1g", "-Xmx2g"], pageCacheMiB: 1024 });
    results.push(summarize("neo4j: server start (cached artifacts)", [server.timings.totalMs]));
    const store = await openNeo4jStore({
      uri: server.uri,
      user: server.user,
      password: server.password,
      project: "/bench",
    });
    try {
      await benchStore("neo4j", store, 5_000, results);
    } finally {
      await store.close();
    }
    process.stdout.write(`neo4j: server RSS after the bench: ${server.rssMiB() ?? "?"} MiB\n`);
  } finally {
    await server?.stop();
  }
}
report("@orchestra/memory", results, join(HERE, "..", "bench-results", "memory.json"));
