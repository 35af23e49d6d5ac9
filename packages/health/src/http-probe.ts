import type { Probe, ProbeResult } from "./probe.js";

/** Options of {@link httpProbe}. */
export interface HttpProbeOptions {
  /** Path resolved against the URL (for example `/session`). Default: the URL as given. */
  path?: string;
  /** HTTP basic auth credentials. Credentials written in the URL are used when this is absent. */
  auth?: { username: string; password: string };
  /** The probe's own timeout, on top of the caller's signal (the monitor already applies one). */
  timeoutMs?: number;
  /** HTTP method (default `GET`). */
  method?: "GET" | "HEAD";
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

/**
 * Build a {@link Probe} that requests `url` and maps the answer:
 * 2xx → `ok`; 401/403 → `misconfigured` (the server is alive but refuses our credentials);
 * any other status, a network error or a timeout → `fail`. The body is discarded. Credentials
 * never appear in the reasons.
 *
 * @example
 * ```ts
 * monitor.add("coder", { probe: httpProbe("http://127.0.0.1:4096", { path: "/session", auth: { username: "opencode", password } }) });
 * ```
 */
export function httpProbe(url: string | URL, options: HttpProbeOptions = {}): Probe {
  const target = new URL(options.path ?? "", url);
  let auth = options.auth;
  if (auth === undefined && (target.username !== "" || target.password !== "")) {
    auth = { username: decodeURIComponent(target.username), password: decodeURIComponent(target.password) };
  }
  target.username = "";
  target.password = "";
  const shown = target.toString();
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }
  const doFetch = options.fetch ?? fetch;
  const method = options.method ?? "GET";

  return async (signal: AbortSignal): Promise<ProbeResult> => {
    const combined =
      options.timeoutMs === undefined
        ? signal
        : AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
    let response: Response;
    try {
      response = await doFetch(shown, { method, headers, signal: combined, redirect: "manual" });
    } catch (error) {
      if (combined.aborted) return { status: "fail", reason: `${method} ${shown} timed out or was aborted` };
      return { status: "fail", reason: `${method} ${shown} failed: ${errorText(error)}` };
    }
    try {
      await response.body?.cancel();
    } catch {
      // The body is irrelevant; a failure to discard it does not change the verdict.
    }
    if (response.status >= 200 && response.status < 300) return { status: "ok" };
    if (response.status === 401 || response.status === 403) {
      return {
        status: "misconfigured",
        reason: `${method} ${shown} answered HTTP ${response.status}: the server is up but refuses our credentials; check the password it was started with`,
      };
    }
    return { status: "fail", reason: `${method} ${shown} answered HTTP ${response.status}` };
  };
}
