// Prints one closing line for the whole repository, `N passed, N failed, N skipped`, from the
// JSON results each package's vitest run writes to .vitest/results.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
let passed = 0;
let failed = 0;
let skipped = 0;
const dirs = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(group, name)),
);
for (const dir of [...dirs, "scripts/release", "docs-site"]) {
  const file = join(root, dir, ".vitest", "results.json");
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, "utf8"));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
