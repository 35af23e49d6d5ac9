import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Vitest global setup: install bubblewrap when it is missing and this machine allows it (CI runs
 * as root or with passwordless sudo). Never fails the run itself: the sandbox tests fail with the
 * reason (`probeBubblewrap`) when the sandbox cannot be built.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL("../scripts/ensure-bubblewrap.mjs", import.meta.url));
  spawnSync(process.execPath, [script], { stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 });
}
