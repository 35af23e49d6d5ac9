import { type CheckResult, checkResult } from "./check.js";
import { type ServerAccess, serverGet } from "./server-access.js";

const UNREACHABLE_HINT =
  'is `opencode serve` running there? Its "opencode server listening on" line gives the URL';

/**
 * `server-auth` (with `--server`): whether the host server needs a password. A request without
 * credentials that succeeds is a `warn` (any local process can drive the server); with
 * OPENCODE_SERVER_PASSWORD set, the server must accept it.
 */
export async function checkServerAuth(access: ServerAccess): Promise<CheckResult> {
  const anonymous = await serverGet(access, "/config", { anonymous: true });
  if (!anonymous.ok)
    return checkResult(
      "server-auth",
      "fail",
      `cannot reach ${access.url}: ${anonymous.reason}`,
      UNREACHABLE_HINT,
    );
  if (anonymous.status === 200)
    return checkResult(
      "server-auth",
      "warn",
      `${access.url} answers without a password: any local process can drive it (its config, sessions and shell)`,
      "start OpenCode with OPENCODE_SERVER_PASSWORD set (user `opencode`, or OPENCODE_SERVER_USERNAME); workers already get their own passwords",
    );
  if (anonymous.status !== 401)
    return checkResult(
      "server-auth",
      "fail",
      `${access.url}/config answered HTTP ${anonymous.status}`,
      UNREACHABLE_HINT,
    );
  if (access.password === undefined)
    return checkResult(
      "server-auth",
      "pass",
      `${access.url} needs a password (set OPENCODE_SERVER_PASSWORD for doctor to check the plugin and providers there)`,
    );
  const authenticated = await serverGet(access, "/config");
  if (authenticated.ok && authenticated.status === 200)
    return checkResult(
      "server-auth",
      "pass",
      `${access.url} needs a password, and OPENCODE_SERVER_PASSWORD is accepted`,
    );
  return checkResult(
    "server-auth",
    "fail",
    `${access.url} needs a password and rejects OPENCODE_SERVER_PASSWORD (user ${access.username})`,
    "set OPENCODE_SERVER_PASSWORD (and OPENCODE_SERVER_USERNAME if it is not `opencode`) to the server's",
  );
}
