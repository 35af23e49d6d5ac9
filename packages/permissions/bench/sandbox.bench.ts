// Sandbox start-up overhead per shell call: `bash -c true` run directly versus through the full
// sandbox command (argv built from scratch each call: the project walk, the launcher bwrap with its
// guard, the inner bwrap), plus the cost of building the argv alone on this repository.
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { type BenchStats, measure, report } from "@orchestra/testkit";
import { type Permissions, sandboxArgv, sandboxCommand } from "../src/index.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const pkg = fileURLToPath(new URL("..", import.meta.url));
const coder: Permissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "none" },
  paths: { denied: ["**/.env", "**/*.key", "~/.ssh/**"] },
};
const reviewer: Permissions = { categories: { filesystem: "read", execution: "sandboxed", network: "none" } };
const options = { runs: 60, warmup: 5 };
const bash = (line: string) => {
  const r = spawnSync("/bin/bash", ["-c", line], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
};

const results: BenchStats[] = [];
results.push(await measure("direct: bash -c true", () => bash("true"), options));
for (const [label, permissions, cwd] of [
  ["sandbox filesystem: read (one bwrap), package dir", reviewer, pkg],
  ["sandbox filesystem: full (launcher + guard + bwrap), package dir", coder, pkg],
  ["sandbox filesystem: full, whole repo (walk + find)", coder, repo],
] as const) {
  results.push(
    await measure(label, () => bash(sandboxCommand(permissions, "true", { cwd, home: homedir() })), options),
  );
}
let entries = 0;
results.push(
  await measure(
    "sandboxArgv alone (project walk), whole repo",
    () => {
      entries = sandboxArgv(coder, "true", { cwd: repo, home: homedir() }).length;
    },
    options,
  ),
);
const direct = results[0]?.medianMs ?? Number.NaN;
for (const r of results.slice(1, 4))
  console.log(
    `${r.name}: ${(r.medianMs / direct).toFixed(1)}× direct (median), +${(r.medianMs - direct).toFixed(1)} ms`,
  );
console.log(`argv length for the whole repo: ${entries} words`);

report(
  "@orchestra/permissions sandbox start-up per shell call",
  results,
  fileURLToPath(new URL("../bench-results/sandbox.json", import.meta.url)),
);
