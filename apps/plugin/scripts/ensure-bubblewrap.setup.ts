import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Vitest global setup: the enforcement e2e test runs sandboxed shell commands under a real
 * bubblewrap, and OpenCode's grep/glob tools need ripgrep, so install both where they are missing and this machine allows it (root or passwordless
 * sudo with apt-get). Never fails the run itself: the tests then fail with the probe's reason.
 */
export default function setup(): void {
  const script = fileURLToPath(
    new URL("../../../packages/permissions/scripts/ensure-bubblewrap.mjs", import.meta.url),
  );
  spawnSync(process.execPath, [script], { stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 });
  // OpenCode's grep and glob tools run ripgrep: without it they always fail, and a red-team check
  // that "the grep tool leaked no secret" would pass without the tool ever running.
  const ripgrep = fileURLToPath(
    new URL("../../../packages/permissions/scripts/ensure-ripgrep.mjs", import.meta.url),
  );
  spawnSync(process.execPath, [ripgrep], { stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 });
}
