import { createRequire } from "node:module";
import { OrchestraError } from "@orchestra/core";
import { resolveOpencode } from "@orchestra/process";
import { type CheckResult, type CheckStatus, checkResult } from "./check.js";

const pluginPackage = createRequire(import.meta.url)("@orchestra/plugin/package.json") as {
  peerDependencies: Record<string, string>;
};

/** The OpenCode the repository develops and tests against: the catalog's `opencode-ai` (opencode.test.ts checks it). */
const TESTED_OPENCODE = "1.18.33";

/**
 * The OpenCode versions Open Orchestra supports: the `major.minor` line of the plugin's
 * `@opencode-ai/plugin` peer range (`^1.18.3`: any 1.18.x), and the version it is tested with.
 */
export const SUPPORTED_OPENCODE = (() => {
  const range = pluginPackage.peerDependencies["@opencode-ai/plugin"] ?? "";
  const base = range.replace(/^[\^~=v\s]+/, "");
  return { tested: TESTED_OPENCODE, line: base.split(".").slice(0, 2).join(".") };
})();

/** Whether `version` (as `opencode --version` prints it) is in the supported line. */
export function versionSupport(version: string): CheckStatus {
  const [major, minor] = version.trim().replace(/^v/, "").split(".");
  return `${major}.${minor}` === SUPPORTED_OPENCODE.line ? "pass" : "fail";
}

const SUPPORTED_TEXT = `supported: OpenCode ${SUPPORTED_OPENCODE.line}.x, tested with ${SUPPORTED_OPENCODE.tested}`;

/**
 * `opencode`: the binary workers would run, found as `orchestra workers spawn` finds it
 * ($ORCHESTRA_OPENCODE_BIN, the opencode-ai package from the project, then beside the CLI, then
 * PATH), and whether its version is supported.
 */
export function checkOpencode(options: { env: NodeJS.ProcessEnv; projectDir: string }): {
  result: CheckResult;
  /** The binary's version, when one was found. */
  version?: string;
} {
  let found: { binary: string; version: string };
  try {
    found = resolveOpencode({
      env: options.env,
      resolveFrom: options.projectDir,
      fallbackFrom: [import.meta.dirname],
      searchPath: true,
    });
  } catch (error) {
    if (!OrchestraError.isInstance(error)) throw error;
    return { result: checkResult("opencode", "fail", error.message, error.hints.join("; ")) };
  }
  const status = versionSupport(found.version);
  const result =
    status === "pass"
      ? checkResult("opencode", "pass", `OpenCode ${found.version} at ${found.binary} (${SUPPORTED_TEXT})`)
      : checkResult(
          "opencode",
          status,
          `OpenCode ${found.version} at ${found.binary} is not supported (${SUPPORTED_TEXT})`,
          `install the tested version: npm i -g opencode-ai@${SUPPORTED_OPENCODE.tested} (or add it to the project), or point ORCHESTRA_OPENCODE_BIN at a ${SUPPORTED_OPENCODE.line}.x binary`,
        );
  return { result, version: found.version };
}
