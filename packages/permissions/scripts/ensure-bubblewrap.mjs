#!/usr/bin/env node
// Make sure bubblewrap (`bwrap`) is installed and can build a sandbox, for `execution: sandboxed`
// and its tests. Installs the Debian/Ubuntu package `bubblewrap` with apt-get when it is missing and
// this process may install packages (root, or passwordless sudo). Exit 0 when bwrap works, 1 otherwise.
// Usage: node packages/permissions/scripts/ensure-bubblewrap.mjs [--quiet]
import { spawnSync } from "node:child_process";
import { aptInstall } from "../../../scripts/apt-install.mjs";

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

let state = works();
if (state.ok) process.exit(0);
if (process.platform !== "linux") {
  log(`bubblewrap needs Linux (this is ${process.platform}); sandboxed execution is refused here.`);
  process.exit(1);
}
if (state.missing && aptInstall(["bubblewrap"], { log, quiet, timeoutMs: 300_000, what: "bwrap" }))
  state = works();
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
