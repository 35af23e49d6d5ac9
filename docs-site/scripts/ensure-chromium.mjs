#!/usr/bin/env node
// Make sure Debian's Chromium is installed, for the documentation site's browser test (playwright-core
// drives it headless through `executablePath`; no browser is ever downloaded). Installs the Debian/Ubuntu
// package `chromium` with apt-get (after `apt-get update`) when it is missing and this process may install
// packages (root, or passwordless sudo). Prints the browser's path on stdout; exit 0 when it runs, 1 otherwise.
// Usage: node docs-site/scripts/ensure-chromium.mjs [--quiet]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { aptInstall } from "../../scripts/apt-install.mjs";

const quiet = process.argv.includes("--quiet");
const log = (line) => {
  if (!quiet) process.stderr.write(`ensure-chromium: ${line}\n`);
};
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

function find() {
  const fromEnv = process.env.ORCHESTRA_CHROMIUM;
  for (const path of fromEnv ? [fromEnv, ...CANDIDATES] : CANDIDATES) {
    if (!existsSync(path)) continue;
    const r = spawnSync(path, ["--headless", "--no-sandbox", "--version"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    if (r.status === 0) return { path, version: r.stdout.trim() };
  }
  return undefined;
}

let found = find();
if (!found && process.platform === "linux") {
  aptInstall(["--no-install-recommends", "chromium"], { log, quiet, timeoutMs: 900_000, what: "chromium" });
  found = find();
}
if (found) {
  log(`${found.version} at ${found.path}`);
  process.stdout.write(`${found.path}\n`);
  process.exit(0);
}
log(
  "install Chromium: `sudo apt-get install -y chromium` (Debian/Ubuntu), or set ORCHESTRA_CHROMIUM to a Chromium/Chrome binary.",
);
process.exit(1);
