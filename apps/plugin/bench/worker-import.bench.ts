// What a process worker pays to load the plugin: `import("apps/plugin/dist/index.js")` in a fresh
// node process with ORCHESTRA_WORKER=1 (worker mode), timed inside the process around the import,
// and the whole process (spawn to exit). Baseline in the same run: a bare `node` that imports
// nothing; with BENCH_BASELINE_PLUGIN=<path of another build's index.js> (e.g. the previous commit's,
// built into bench-results/), that plugin's worker-mode import too. Each round runs each kind once,
// interleaved. Prints median/p99 tables; writes bench-results/worker-import.json.
//   npx tsx apps/plugin/bench/worker-import.bench.ts   (BENCH_RUNS=20 by default; build the plugin first)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatTable, summarize } from "@orchestra/testkit";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const plugin = join(import.meta.dirname, "..", "dist", "index.js");
const out = join(import.meta.dirname, "..", "bench-results", "worker-import.json");
if (!existsSync(plugin))
  throw new Error(
    `The worker-import bench loads the built plugin, but ${plugin} does not exist. Build it first: npx --yes pnpm@10.34.9 --filter @orchestra/plugin... build`,
  );

/** Code that imports `file` and prints how long the import took (ms). */
const importOf = (file: string) =>
  `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
const baseline = process.env.BENCH_BASELINE_PLUGIN;

/** One fresh node process: the import's own time (ms, measured inside) and the process's (spawn to exit). */
function run(code: string, env: NodeJS.ProcessEnv): { importMs: number; processMs: number } {
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], { env, encoding: "utf8" });
  const processMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`node exited with ${child.status}: ${child.stderr.slice(0, 500)}`);
  return { importMs: Number(child.stdout), processMs };
}

const worker = { PATH: process.env.PATH, ORCHESTRA_WORKER: "1" };
const kinds: Record<string, { code: string; env: NodeJS.ProcessEnv }> = {
  "bare node": { code: "process.stdout.write('0')", env: { PATH: process.env.PATH } },
  "plugin import, worker mode": { code: importOf(plugin), env: worker },
  "plugin import, orchestrator mode": { code: importOf(plugin), env: { PATH: process.env.PATH } },
  ...(baseline ? { "baseline plugin import, worker mode": { code: importOf(baseline), env: worker } } : {}),
};
const samples = new Map<string, { importMs: number[]; processMs: number[] }>();
for (let round = 0; round < RUNS; round++)
  for (const [name, kind] of Object.entries(kinds)) {
    const { importMs, processMs } = run(kind.code, kind.env);
    const s = samples.get(name) ?? { importMs: [], processMs: [] };
    s.importMs.push(importMs);
    s.processMs.push(processMs);
    samples.set(name, s);
  }

const imports = [...samples]
  .filter(([n]) => n !== "bare node")
  .map(([n, s]) => summarize(`${n}: import`, s.importMs));
const processes = [...samples].map(([n, s]) => summarize(`${n}: process`, s.processMs));
console.log(formatTable([...imports, ...processes]));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ runs: RUNS, imports, processes }, null, 2)}\n`);
console.log(`wrote ${out}`);
