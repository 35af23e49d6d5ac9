// The second OpenCode of the e2e suite: the newest `opencode-ai` on npm, next to the pinned one the
// repository develops with (pnpm-workspace.yaml's catalog). The peer range of @opencode-ai/plugin
// and @opencode-ai/sdk (RELEASING.md) promises both; this runs the plugin's e2e files against the
// newest through ORCHESTRA_OPENCODE_BIN, which @orchestra/testkit's startOpencode honours.
//
//   node scripts/release/opencode-newest.mjs            (pnpm --filter @orchestra/release-scripts opencode-newest)
//   node scripts/release/opencode-newest.mjs 1.18.3     (another version)
//   node scripts/release/opencode-newest.mjs --floor    (the lower end of the plugin's peer range)
//
// When the newest is the pinned version, the regular e2e run already covers it and nothing more
// runs. Otherwise `opencode-ai@<newest>` (and its linux-x64 binary package) is installed from the
// registry with npm into node_modules/.cache/opencode-ai-<version>/, once per version.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The e2e files run against the newest OpenCode: the plugin in OpenCode, and OpenCode installing it. */
const E2E_FILES = ["src/plugin.e2e.test.ts", "src/opencode-install.e2e.test.ts"];

const pinned = /^\s*opencode-ai:\s*"?([^"\s]+)"?\s*$/m.exec(
  readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8"),
)?.[1];
if (!pinned) throw new Error("pnpm-workspace.yaml's catalog names no opencode-ai version");

/** The lower end of the plugin's `@opencode-ai/plugin` peer range (`^1.18.3` → `1.18.3`). */
function peerFloor() {
  const plugin = JSON.parse(readFileSync(join(repoRoot, "apps", "plugin", "package.json"), "utf8"));
  const range = plugin.peerDependencies?.["@opencode-ai/plugin"] ?? "";
  const floor = /^[\^~>=\s]*(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!floor)
    throw new Error(`apps/plugin's @opencode-ai/plugin peer range "${range}" has no plain lower end`);
  return floor;
}

let newest = process.argv[2] === "--floor" ? peerFloor() : process.argv[2];
try {
  newest ??= execFileSync("npm", ["view", "opencode-ai", "version"], { encoding: "utf8" }).trim();
} catch (error) {
  process.stderr.write(
    `cannot ask the npm registry for the newest opencode-ai: ${error.message}\n` +
      "this check needs the registry (npm view opencode-ai version); run it where npm can reach it\n",
  );
  process.exit(1);
}

if (newest === pinned) {
  process.stdout.write(
    `opencode-ai ${newest} (the newest on npm unless named) is the pinned version: the e2e suite already runs it\n`,
  );
  process.exit(0);
}

const dir = join(repoRoot, "node_modules", ".cache", `opencode-ai-${newest}`);
const binary = join(dir, "node_modules", "opencode-ai", "bin", "opencode.exe");
if (!existsSync(binary)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "name": "opencode-newest", "private": true }\n');
  execFileSync("npm", ["install", "--no-audit", "--no-fund", `opencode-ai@${newest}`], {
    cwd: dir,
    stdio: "inherit",
  });
}
process.stdout.write(`running ${E2E_FILES.join(", ")} against OpenCode ${newest} (pinned: ${pinned})\n`);
const run = spawnSync("npx", ["vitest", "run", ...E2E_FILES], {
  cwd: join(repoRoot, "apps", "plugin"),
  env: { ...process.env, ORCHESTRA_OPENCODE_BIN: binary },
  stdio: "inherit",
});
process.exit(run.status ?? 1);
