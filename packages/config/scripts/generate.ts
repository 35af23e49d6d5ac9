// `pnpm generate`: write every file generated from the config schema.
// `pnpm generate --check`: exit 1, naming each stale file, without writing.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildArtifacts } from "./artifacts.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const check = process.argv.includes("--check");
const stale: string[] = [];

for (const artifact of await buildArtifacts()) {
  const file = join(repo, artifact.path);
  let current: string | undefined;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = undefined;
  }
  if (current === artifact.content) continue;
  stale.push(artifact.path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, artifact.content);
    console.log(`wrote ${artifact.path}`);
  }
}

if (check && stale.length > 0) {
  console.error(`Stale generated files (run \`pnpm generate\`):\n${stale.map((s) => `  ${s}`).join("\n")}`);
  process.exit(1);
}
if (stale.length === 0) console.log("generated files are up to date");
