import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * The path of Debian's Chromium for playwright-core, installed on demand by the project's own setup script
 * (`scripts/ensure-chromium.mjs`: `apt-get update` then `apt-get install chromium`; no browser download).
 * Throws with the script's reason when no Chromium can be had.
 */
export function chromiumPath(): string {
  const script = join(import.meta.dirname, "..", "scripts", "ensure-chromium.mjs");
  const result = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 900_000 });
  const path = result.stdout.trim().split("\n").pop();
  if (result.status !== 0 || !path) {
    throw new Error(`no Chromium for the browser test: ${result.stderr.trim() || `exit ${result.status}`}`);
  }
  return path;
}
