import { type CheckResult, checkResult } from "./check.js";
import { type ServerAccess, serverGet } from "./server-access.js";

/** Tools only the Open Orchestra plugin registers: the plugin is loaded when the server lists them. */
const PLUGIN_TOOLS = ["orchestrator_status", "spawn_worker"] as const;

/**
 * `server-plugin` (with `--server`): whether the Open Orchestra plugin loaded in the host server:
 * its tools are among the server's tool ids (`GET /experimental/tool/ids`, OpenCode 1.18). OpenCode
 * skips a plugin it cannot load and serves anyway, so this is where a broken install shows.
 */
export async function checkServerPlugin(access: ServerAccess): Promise<CheckResult> {
  const answer = await serverGet(access, "/experimental/tool/ids");
  if (!answer.ok) return checkResult("server-plugin", "fail", `cannot reach ${access.url}: ${answer.reason}`);
  if (answer.status === 401)
    return checkResult(
      "server-plugin",
      "warn",
      `not checked: ${access.url} needs a password`,
      "set OPENCODE_SERVER_PASSWORD to the server's and run doctor again",
    );
  if (answer.status !== 200 || !Array.isArray(answer.body))
    return checkResult(
      "server-plugin",
      "fail",
      `${access.url}/experimental/tool/ids answered HTTP ${answer.status} without a tool list: is this OpenCode 1.18?`,
    );
  const ids = answer.body as unknown[];
  const missing = PLUGIN_TOOLS.filter((t) => !ids.includes(t));
  if (missing.length === 0)
    return checkResult(
      "server-plugin",
      "pass",
      `the Open Orchestra plugin is loaded in ${access.url} (${PLUGIN_TOOLS.join(", ")} among its ${ids.length} tools)`,
    );
  return checkResult(
    "server-plugin",
    "fail",
    `the Open Orchestra plugin is not loaded in ${access.url}: its tools (${missing.join(", ")}) are missing among the server's ${ids.length}`,
    'add "@orchestra/plugin" (or the path of its dist/index.js) to "plugin" in opencode.json and restart; OpenCode skips a plugin it cannot load: look for "failed to load plugin" in $XDG_DATA_HOME/opencode/log/',
  );
}
