#!/usr/bin/env node
// Make sure ripgrep (`rg`) is installed: OpenCode's grep and glob tools run it, so without it they
// always fail and the red-team checks of those tools prove nothing. Installs the Debian/Ubuntu
// package `ripgrep` with apt-get when it is missing and this process may install packages (root, or
// passwordless sudo). Exit 0 when `rg --version` works, 1 otherwise.
// Usage: node packages/permissions/scripts/ensure-ripgrep.mjs [--quiet]
import { spawnSync } from "node:child_process";

const quiet = process.argv.includes("--quiet");
const log = (line) => {
  if (!quiet) process.stderr.write(`ensure-ripgrep: ${line}\n`);
};
const works = () => spawnSync("rg", ["--version"], { stdio: "ignore", timeout: 10_000 }).status === 0;
const run = (cmd, args) => {
  log(`$ ${[cmd, ...args].join(" ")}`);
  return (
    spawnSync(cmd, args, { stdio: quiet ? "ignore" : ["ignore", "inherit", "inherit"], timeout: 300_000 })
      .status === 0
  );
};

if (works()) process.exit(0);
const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
const root = process.getuid?.() === 0;
const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
if (process.platform === "linux" && hasApt && (root || sudo)) {
  // `env` survives sudo's environment reset; apt-get must not ask questions.
  const apt = (...args) =>
    root
      ? run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
      : run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args]);
  if (!apt("install", "-y", "-qq", "ripgrep") && apt("update", "-qq")) apt("install", "-y", "-qq", "ripgrep");
}
if (works()) {
  log("ripgrep is ready.");
  process.exit(0);
}
log("install ripgrep: `sudo apt-get install -y ripgrep` (Debian/Ubuntu) or your distribution's package.");
process.exit(1);
