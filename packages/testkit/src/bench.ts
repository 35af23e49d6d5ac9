import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";

/** Summary statistics of one benchmark, in milliseconds. */
export interface BenchStats {
  /** Benchmark name. */
  name: string;
  /** Number of timed runs. */
  runs: number;
  /** Median, in milliseconds. */
  medianMs: number;
  /** 99th percentile (nearest rank), in milliseconds. */
  p99Ms: number;
  /** Fastest run, in milliseconds. */
  minMs: number;
  /** Slowest run, in milliseconds. */
  maxMs: number;
  /** Arithmetic mean, in milliseconds. */
  meanMs: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed runs (default 7). */
  runs?: number;
  /** Untimed warm-up runs first (default 0). */
  warmup?: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Statistics of raw samples in milliseconds. */
export function summarize(name: string, samplesMs: readonly number[]): BenchStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return {
    name,
    runs: sorted.length,
    medianMs: median,
    p99Ms: percentile(sorted, 99),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    meanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

/**
 * Time `fn` over several runs and summarise. `fn` may return a number of milliseconds to
 * report instead of its own wall time (for example a time measured inside the run).
 */
export async function measure(
  name: string,
  fn: () => Promise<number | undefined> | number | undefined,
  options: MeasureOptions = {},
): Promise<BenchStats> {
  const runs = options.runs ?? 7;
  for (let i = 0; i < (options.warmup ?? 0); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const reported = await fn();
    samples.push(typeof reported === "number" ? reported : performance.now() - start);
  }
  return summarize(name, samples);
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 0.001) return `${(ms * 1_000_000).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Render results as an aligned text table (median, p99, min, max). */
export function formatTable(results: readonly BenchStats[]): string {
  const header = ["benchmark", "runs", "median", "p99", "min", "max"];
  const rows = results.map((r) => [
    r.name,
    String(r.runs),
    fmt(r.medianMs),
    fmt(r.p99Ms),
    fmt(r.minMs),
    fmt(r.maxMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Print the table and write `{ suite, date, node, results }` as JSON to `file`. */
export function report(suite: string, results: readonly BenchStats[], file: string): void {
  process.stdout.write(`\n${suite}\n${formatTable(results)}\n`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ suite, date: new Date().toISOString(), node: process.version, platform: process.platform, results }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${file}\n`);
}
