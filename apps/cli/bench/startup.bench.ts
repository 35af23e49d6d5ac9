// What the `orchestra` command pays before it does anything: fresh processes of
// `orchestra --version` and `orchestra workers list --json` against an empty device registry (a fresh
// XDG_DATA_HOME), spawn to exit, for this build (apps/cli/dist) and a baseline build, interleaved
// (each round runs each kind once), with a bare `node -e 0` as the floor. The baseline is
// BENCH_BASELINE_CLI (the main.js of another build), or else the CLI at the git ref BENCH_BASELINE_REF
// (default HEAD; HEAD~1 once the change is committed) built into .tmp/cli-startup-baseline.
// Prints median/p99 tables; writes bench-results/startup.json.
//   npx tsx apps/cli/bench/startup.bench.ts   (BENCH_RUNS=20 by default; build the CLI first)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { formatTable, summarize } from "@orchestra/testkit";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const cliDir = join(import.meta.dirname, "..");
const repo = join(cliDir, "..", "..");
const current = join(cliDir, "dist", "main.js");
const out = join(cliDir, "bench-results", "startup.json");
if (!existsSync(current))
  throw new Error(
    `The startup bench runs the built CLI, but ${current} does not exist. Build it first: npx --yes pnpm@10.34.9 --filter @orchestra/cli build`,
  );

/**
 * The CLI at `ref`, built with its own tsup config into a scratch copy of the repo's layout (the
 * files the build reads), whose node_modules is the real package's, so it imports the same packages.
 */
function buildBaseline(ref: string): string {
  const scratch = join(repo, ".tmp", "cli-startup-baseline");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const files = ["tsup.base.ts", "tsconfig.base.json", "apps/cli/package.json", "apps/cli/tsconfig.json"];
  const archive = execFileSync(
    "git",
    ["archive", ref, "--", ...files, "apps/cli/tsup.config.ts", "apps/cli/src"],
    { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
  );
  execFileSync("tar", ["-x", "-C", scratch], { input: archive });
  symlinkSync(join(cliDir, "node_modules"), join(scratch, "apps", "cli", "node_modules"), "dir");
  execFileSync(join(cliDir, "node_modules", ".bin", "tsup"), [], {
    cwd: join(scratch, "apps", "cli"),
    stdio: "ignore",
  });
  return join(scratch, "apps", "cli", "dist", "main.js");
}

const baseline = process.env.BENCH_BASELINE_CLI ?? buildBaseline(process.env.BENCH_BASELINE_REF ?? "HEAD");
const home = mkdtempSync(join(tmpdir(), "orchestra-startup-bench-"));
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };

/** One fresh process, spawn to exit (ms); its stdout must be `expected`. */
function run(args: readonly string[], expected: string): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { env, cwd: home, encoding: "utf8" });
  const ms = performance.now() - start;
  if (child.status !== 0 || child.stdout.trim() !== expected)
    throw new Error(
      `node ${args.join(" ")} exited with ${child.status}, stdout ${JSON.stringify(child.stdout.slice(0, 200))}: ${child.stderr.slice(0, 500)}`,
    );
  return ms;
}

const version = execFileSync(process.execPath, [current, "--version"], { encoding: "utf8" }).trim();
const builds = { current, baseline };
const kinds: Record<string, { args: string[]; expected: string }> = {
  "bare node": { args: ["-e", "0"], expected: "" },
};
for (const [build, main] of Object.entries(builds)) {
  kinds[`${build}: --version`] = { args: [main, "--version"], expected: version };
  kinds[`${build}: workers list --json`] = {
    args: [main, "workers", "list", "--json"],
    expected: "[]",
  };
}
const samples = new Map<string, number[]>();
for (let round = 0; round < RUNS; round++)
  for (const [name, kind] of Object.entries(kinds)) {
    const ms = run(kind.args, kind.expected);
    samples.set(name, [...(samples.get(name) ?? []), ms]);
  }
rmSync(home, { recursive: true, force: true });

const rows = [...samples].map(([name, ms]) => summarize(name, ms));
console.log(formatTable(rows));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ runs: RUNS, baseline, processes: rows }, null, 2)}\n`);
console.log(`wrote ${out}`);
