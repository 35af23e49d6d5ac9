// Bench over the full real snapshot: index build time, and resolve p50/p99 per input kind.
// Run: pnpm --filter @orchestra/resolver bench   (writes bench-results/resolve.json)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type BenchStats, report, summarize } from "@orchestra/testkit";
import {
  buildCatalogIndex,
  type CatalogIndex,
  createResolver,
  parseCatalogBytes,
  type ResolverConfig,
} from "../src/index.js";

const fixture = fileURLToPath(new URL("../fixtures/opencode-1.18.33-provider.json.gz", import.meta.url));
const bytes = readFileSync(fixture);
const realistic = ["anthropic", "google", "openai", "openrouter", "opencode"];
const catalogAll = parseCatalogBytes(bytes, { connected: [] });
const everyProvider = catalogAll.providers.map((p) => p.id);
const results: BenchStats[] = [];

function time(name: string, runs: number, fn: () => unknown): BenchStats {
  for (let i = 0; i < Math.min(50, runs); i++) fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  const s = summarize(name, samples);
  results.push(s);
  process.stderr.write(`  ${name}: median ${(s.medianMs * 1000).toFixed(1)} µs\n`);
  return s;
}

// 1. Parse + adapt the gzipped snapshot, and build the index (all 8,218 models), wall and CPU time.
time("gunzip + parse + adapt snapshot", 15, () => parseCatalogBytes(bytes, { connected: realistic }));
const catalog = parseCatalogBytes(bytes, { connected: realistic });
time("index build (8,218 models)", 30, () => buildCatalogIndex(catalog));
{
  const cpu: number[] = [];
  for (let i = 0; i < 30; i++) {
    const c = process.cpuUsage();
    buildCatalogIndex(catalog);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  results.push(summarize("index build, process CPU time", cpu));
}

const config: ResolverConfig = {
  modelAliases: { sonnet: "anthropic/claude-sonnet-4-5", best: "sonnet", eyes: "auto:vision" },
  modelSelection: { mode: "balanced", maxCostPer1kTokens: 0.02, preferredProviders: ["anthropic", "openai"] },
};

function perKind(label: string, index: CatalogIndex): void {
  const kinds: [string, string | string[]][] = [
    ["explicit", "anthropic/claude-sonnet-4-5"],
    ["explicit, id with / : @", "openrouter/openai/gpt-4o"],
    ["alias → alias", "best"],
    ["default alias (opus → newest of the family)", "opus"],
    ["bare id (one connected provider / first party)", "claude-sonnet-4-5"],
    ["auto:vision", "auto:vision"],
    ["node:code (synonym)", "node:code"],
    ["auto:cheap", "auto:cheap"],
    ["fallback chain of 3", ["nope/x", "anthropic/claude-2.1", "auto:fast"]],
    ["error: unknown model + suggestions", "anthropic/claude-sonet-4-5"],
  ];
  const warm = createResolver(index, config);
  for (const [name, ref] of kinds) {
    // Warm: the same resolver answers again (every answer is memoised per resolver).
    time(`${label}: ${name}, warm`, 3000, () => warm.tryResolve(ref));
    // Cold: a fresh resolver over the same index each time, so the whole pipeline runs.
    const heavy =
      name.startsWith("error") ||
      name.startsWith("default alias") ||
      name.startsWith("fallback") ||
      name.startsWith("auto") ||
      name.startsWith("node");
    time(`${label}: ${name}, cold`, heavy ? 40 : 1000, () => createResolver(index, config).tryResolve(ref));
  }
}

perKind(`${realistic.length} connected`, buildCatalogIndex(catalog));
perKind("all 225 connected", buildCatalogIndex(parseCatalogBytes(bytes, { connected: everyProvider })));

report(
  "@orchestra/resolver over opencode 1.18.33 GET /provider (225 providers, 8,218 models)",
  results,
  fileURLToPath(new URL("../bench-results/resolve.json", import.meta.url)),
);
