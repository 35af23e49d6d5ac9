#!/usr/bin/env node
// Make sure bubblewrap (`bwrap`) is installed and can build a sandbox, for `execution: sandboxed`
// and its tests. Installs the Debian/Ubuntu package `bubblewrap` with apt-get when it is missing and
// this process may install packages (root, or passwordless sudo). Exit 0 when bwrap works, 1 otherwise.
// Usage: node packages/permissions/scripts/ensure-bubblewrap.mjs [--quiet]
import { spawnSync } from "node:child_process";

const quiet = process.argv.includes("--quiet");
const log = (line) => {
  if (!quiet) process.stderr.write(`ensure-bubblewrap: ${line}\n`);
};

function works() {
  const r = spawnSync(
    "bwrap",
    [
      "--die-with-parent",
      "--unshare-all",
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--",
      "true",
    ],
    { encoding: "utf8", timeout: 10_000 },
  );
  if (r.error) return { ok: false, missing: r.error.code === "ENOENT", why: r.error.message };
  return { ok: r.status === 0, missing: false, why: r.stderr.trim() || `exit ${r.status}` };
}

function run(cmd, args) {
  log(`$ ${[cmd, ...args].join(" ")}`);
  return (
    spawnSync(cmd, args, { stdio: quiet ? "ignore" : ["ignore", "inherit", "inherit"], timeout: 300_000 })
      .status === 0
  );
}

let state = works();
if (state.ok) process.exit(0);
if (process.platform !== "linux") {
  log(`bubblewrap needs Linux (this is ${process.platform}); sandboxed execution is refused here.`);
  process.exit(1);
}
if (state.missing) {
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  if (hasApt && (root || sudo)) {
    // `env` survives sudo's environment reset; apt-get must not ask questions.
    const apt = (...args) =>
      root
        ? run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
        : run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args]);
    if (apt("update", "-qq")) apt("install", "-y", "-qq", "bubblewrap");
    state = works();
  } else {
    log("bwrap is missing and cannot be installed from here (needs apt-get and root or passwordless sudo).");
  }
}
if (state.ok) {
  log("bubblewrap is ready.");
  process.exit(0);
}
log(
  state.missing
    ? "install bubblewrap: `sudo apt-get install -y bubblewrap` (Debian/Ubuntu) or your distribution's package."
    : `bwrap is installed but cannot create a sandbox (${state.why}). Unprivileged user namespaces may be disabled; on Ubuntu 24.04+ allow them for bwrap (AppArmor) or run: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`,
);
process.exit(1);
