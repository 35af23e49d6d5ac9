import type { PluginInput } from "@opencode-ai/plugin";
import type { Activity } from "./activity.js";

/** Whether the host OpenCode server asks for a password. */
type HostAuth = "password" | "none" | "unknown";

/** What `orchestrator_status` and the start-up warning say about the host server. */
export interface HostServerStatus {
  /** The host server's URL, as OpenCode gave it to the plugin. */
  readonly url: string;
  /** `password`: it answered 401 without credentials; `none`: it answered without them; `unknown`: no answer. */
  readonly auth: HostAuth;
  /** How that was found out. */
  readonly detail: string;
  /** What to do, when the server is (or may be) open. */
  readonly fix?: string;
}

/** How to close an open host server. */
const HOST_PASSWORD_FIX =
  "Set OPENCODE_SERVER_PASSWORD before starting OpenCode (for example `export OPENCODE_SERVER_PASSWORD=$(openssl rand -base64 24)`); clients then log in as `opencode` (or OPENCODE_SERVER_USERNAME) with that password.";

/**
 * Probe the host server the plugin runs in: one request without credentials (never with the
 * password). A 401 means it is protected, an answer means anyone on the machine can drive it (its
 * `/session/:id/shell` route and `PATCH /config` never pass the plugin's checks). When the probe gets
 * no answer, `OPENCODE_SERVER_PASSWORD` in the environment decides. Never throws.
 */
export async function probeHostServer(
  url: string,
  directory: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<HostServerStatus> {
  const envHasPassword = Boolean(env.OPENCODE_SERVER_PASSWORD);
  let status: number | undefined;
  let failure = "";
  try {
    // The plugin's own project directory, so the probe never starts another OpenCode instance.
    const answer = await fetch(`${url}/path`, {
      headers: { "x-opencode-directory": encodeURIComponent(directory) },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = answer.status;
    await answer.body?.cancel();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (status === 401)
    return { url, auth: "password", detail: "it answers 401 to a request without credentials" };
  if (status !== undefined && status >= 200 && status < 300)
    return {
      url,
      auth: "none",
      detail:
        "it answers requests without credentials: any local process can drive it, and through it every session worker, past the plugin's checks",
      fix: HOST_PASSWORD_FIX,
    };
  const probe = status === undefined ? `no answer (${failure || "unknown error"})` : `HTTP ${status}`;
  return envHasPassword
    ? { url, auth: "password", detail: `OPENCODE_SERVER_PASSWORD is set; a probe got ${probe}` }
    : {
        url,
        auth: "unknown",
        detail: `a probe got ${probe}, and OPENCODE_SERVER_PASSWORD is not set, so if this server listens, it has no password`,
        fix: HOST_PASSWORD_FIX,
      };
}

/** The start-up warning for `status`, or `undefined` when the server is protected. */
function hostServerWarning(status: HostServerStatus): string | undefined {
  if (status.auth === "password") return undefined;
  const what = status.auth === "none" ? "has no password" : "may have no password";
  return `The host OpenCode server at ${status.url} ${what}: ${status.detail}. ${status.fix ?? HOST_PASSWORD_FIX}`;
}

/** Where the start-up warning goes: OpenCode's log and TUI, and `orchestrator_output`. */
export interface HostWarningSinks {
  readonly client: PluginInput["client"];
  readonly activity: Activity;
}

/**
 * Probe the host server in the background (the plugin's start must not wait for the server it runs
 * in) and, when it is or may be open, warn: a `warn` line in OpenCode's log, a TUI toast and an
 * `orchestrator_output` entry. Returns the probe's result for `orchestrator_status`.
 */
export function watchHostServer(
  url: string,
  directory: string,
  sinks: HostWarningSinks,
): Promise<HostServerStatus> {
  const status = probeHostServer(url, directory);
  void status.then((s) => {
    const warning = hostServerWarning(s);
    if (warning === undefined) return;
    sinks.activity.log("warn", warning);
    void sinks.client.app
      .log({ body: { service: "open-orchestra", level: "warn", message: warning } })
      .catch(() => undefined);
    void sinks.client.tui
      .showToast({ body: { title: "Open Orchestra", message: warning, variant: "warning" } })
      .catch(() => undefined);
  });
  return status;
}
