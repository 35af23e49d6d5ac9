// Install Debian/Ubuntu packages with apt-get (after `apt-get update`), for the project's own setup
// scripts (docs-site/scripts/ensure-chromium.mjs, packages/permissions/scripts/ensure-bubblewrap.mjs):
// only where apt-get exists and this process may install packages (root, or passwordless sudo).
import { spawnSync } from "node:child_process";

/**
 * `apt-get update`, then `apt-get install -y <args>`, non-interactive. Returns false, having said
 * why through `log`, when this process cannot install packages here; true once apt-get ran (whether
 * the package works is the caller's to check).
 *
 * @param {string[]} installArgs what follows `apt-get install -y -qq` (packages, flags)
 * @param {{ log: (line: string) => void, quiet: boolean, timeoutMs: number, what: string }} options
 */
export function aptInstall(installArgs, { log, quiet, timeoutMs, what }) {
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  if (!hasApt || !(root || sudo)) {
    log(
      `${what} is missing and cannot be installed from here (needs apt-get and root or passwordless sudo).`,
    );
    return false;
  }
  const run = (cmd, args) => {
    log(`$ ${[cmd, ...args].join(" ")}`);
    const stdio = quiet ? "ignore" : ["ignore", "inherit", "inherit"];
    return spawnSync(cmd, args, { stdio, timeout: timeoutMs }).status === 0;
  };
  // `env` survives sudo's environment reset; apt-get must not ask questions.
  const apt = (...args) =>
    root
      ? run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
      : run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args]);
  if (apt("update", "-qq")) apt("install", "-y", "-qq", ...installArgs);
  return true;
}
