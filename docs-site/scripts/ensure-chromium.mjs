#!/usr/bin/env node
// Make sure Debian's Chromium is installed, for the documentation site's browser test (playwright-core
// drives it headless through `executablePath`; no browser is ever downloaded). Installs the Debian/Ubuntu
// package `chromium` with apt-get (after `apt-get update`) when it is missing and this process may install
// packages (root, or passwordless sudo). Prints the browser's path on stdout; exit 0 when it runs, 1 otherwise.
// Usage: node docs-site/scripts/ensure-chromium.mjs [--quiet]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

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

function run(cmd, args) {
  log(`$ ${[cmd, ...args].join(" ")}`);
  return (
    spawnSync(cmd, args, { stdio: quiet ? "ignore" : ["ignore", "inherit", "inherit"], timeout: 900_000 })
      .status === 0
  );
}

let found = find();
if (!found && process.platform === "linux") {
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  if (hasApt && (root || sudo)) {
    // `env` survives sudo's environment reset; apt-get must not ask questions.
    const apt = (...args) =>
      root
        ? run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
        : run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args]);
    if (apt("update", "-qq")) apt("install", "-y", "-qq", "--no-install-recommends", "chromium");
    found = find();
  } else {
    log(
      "chromium is missing and cannot be installed from here (needs apt-get and root or passwordless sudo).",
    );
  }
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
