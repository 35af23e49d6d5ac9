import { probeBubblewrap } from "@orchestra/permissions";
import type { ProfileRegistry } from "@orchestra/profiles";
import { type CheckResult, checkResult } from "./check.js";

/**
 * `sandbox`: when an enabled profile has `execution: sandboxed`, bubblewrap (`bwrap`) must be
 * installed and able to build the sandbox here (the plugin's own probe, `probeBubblewrap`). Without
 * it those profiles' shell calls are refused, never run unsandboxed: `fail` on Linux, where it can
 * be installed; `warn` elsewhere (macOS has no bubblewrap), saying what happens instead.
 */
export function checkSandbox(
  registry: ProfileRegistry,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): CheckResult {
  const sandboxed = registry
    .list()
    .filter((e) => e.ok && e.resolved.profile.permissions.categories.execution === "sandboxed")
    .map((e) => e.id);
  if (sandboxed.length === 0)
    return checkResult(
      "sandbox",
      "pass",
      "no enabled profile has execution: sandboxed; bubblewrap is not needed",
    );
  const who = `profiles with execution: sandboxed (${sandboxed.join(", ")})`;
  if (platform !== "linux") {
    return checkResult(
      "sandbox",
      "warn",
      `bubblewrap needs Linux (this is ${platform}): the ${who} have every shell call refused, never run unsandboxed; their file, search and web tools work within their permissions`,
      "run workers that need a shell on Linux, or give those profiles execution: full (no sandbox) or none in your config",
    );
  }
  const probe = probeBubblewrap(env);
  if (probe.ok) return checkResult("sandbox", "pass", `${probe.version} builds the sandbox for the ${who}`);
  return checkResult(
    "sandbox",
    "fail",
    `${probe.reason}: the ${who} have every shell call refused`,
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap) and allow unprivileged user namespaces, or change those profiles' execution level",
  );
}
