// The fetch behind the plugin's `webfetch`: redirects are never followed by the HTTP client. Each
// `Location` is judged by @orchestra/permissions (as written and as resolved) against the worker's
// network level and reserved ports before the next request is sent, so a redirect cannot take a
// worker anywhere it could not fetch directly. Checking only the first URL and then letting the
// client follow (what OpenCode's built-in does) is exactly the hole this closes.
import { errorMarker, OrchestraError } from "@orchestra/core";
import { decideRedirect, decideUrl, type NetworkLevel, type RuleId } from "@orchestra/permissions";

/** Redirect statuses that carry a `Location` to follow. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The most redirects one fetch follows. */
export const MAX_REDIRECTS = 10;
/** The largest body read, in bytes (as OpenCode's built-in webfetch). */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Stable codes of {@link WebfetchError}. */
export type WebfetchErrorCode =
  /** A URL or a redirect hop is outside the worker's network rule; nothing was sent to it. */
  | "PLUGIN_WEBFETCH_DENIED"
  /** More than {@link MAX_REDIRECTS} redirects. */
  | "PLUGIN_WEBFETCH_TOO_MANY_REDIRECTS"
  /** The final response was not 2xx. */
  | "PLUGIN_WEBFETCH_STATUS"
  /** The body is larger than {@link MAX_RESPONSE_BYTES}. */
  | "PLUGIN_WEBFETCH_TOO_LARGE";

/** Thrown by {@link fetchChecked}; the message is what the model reads. */
export class WebfetchError extends OrchestraError<WebfetchErrorCode> {
  static override readonly marker = errorMarker("WebfetchError");
  /** True for a WebfetchError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is WebfetchError {
    return OrchestraError.hasMarker(value, WebfetchError.marker);
  }

  /** The permission rule behind a `PLUGIN_WEBFETCH_DENIED`. */
  readonly rule: RuleId | undefined;
  constructor(code: WebfetchErrorCode, message: string, rule?: RuleId) {
    super(code, message);
    this.rule = rule;
  }
}

/** The network rule each hop is held to; `undefined` follows redirects unchecked (unrestricted sessions). */
export interface HopRule {
  readonly level: NetworkLevel;
  /** Ports of the orchestrator and the workers, read at each hop. */
  readonly reservedPorts: () => readonly number[];
  /** Named in deny messages. */
  readonly worker: string;
}

/** Options of {@link fetchChecked}. */
export interface FetchCheckedOptions {
  readonly rule: HopRule | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Told about every refused hop. */
  readonly log?: (line: string) => void;
  /** The User-Agent of the one retry after a Cloudflare challenge (403 with `cf-mitigated: challenge`). */
  readonly honestUserAgent?: string;
}

/** A fetched response: the URL it came from and its body, already read within the size limit. */
export interface FetchedPage {
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Every URL requested, in order (the first one included). */
  readonly hops: readonly string[];
}

function denied(
  rule: HopRule,
  what: string,
  ruleId: RuleId,
  reason: string,
  log?: (line: string) => void,
): never {
  const message = `Denied by Open Orchestra [${ruleId}] for worker ${rule.worker}: ${what} ${reason}`;
  log?.(`denied webfetch for ${rule.worker} [${ruleId}]: ${what} ${reason}`);
  throw new WebfetchError("PLUGIN_WEBFETCH_DENIED", message, ruleId);
}

async function request(url: string, options: FetchCheckedOptions, manual: boolean): Promise<Response> {
  const init: RequestInit = {
    headers: { ...options.headers },
    signal: options.signal,
    redirect: manual ? "manual" : "follow",
  };
  const first = await fetch(url, init);
  if (
    first.status === 403 &&
    first.headers.get("cf-mitigated") === "challenge" &&
    options.honestUserAgent !== undefined
  ) {
    await first.body?.cancel();
    return fetch(url, { ...init, headers: { ...options.headers, "User-Agent": options.honestUserAgent } });
  }
  return first;
}

async function readCapped(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new WebfetchError(
      "PLUGIN_WEBFETCH_TOO_LARGE",
      `Response too large (exceeds ${MAX_RESPONSE_BYTES} bytes). Fetch a smaller page or a range of it.`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new WebfetchError(
        "PLUGIN_WEBFETCH_TOO_LARGE",
        `Response too large (exceeds ${MAX_RESPONSE_BYTES} bytes). Fetch a smaller page or a range of it.`,
      );
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/**
 * GET `url`. Under a {@link HopRule}, the URL and every redirect hop are checked before any request
 * goes to them, redirects are taken one at a time (`redirect: "manual"`), and a refused hop throws
 * {@link WebfetchError} `PLUGIN_WEBFETCH_DENIED` without being requested. Without a rule, redirects are
 * followed as any client does. A non-2xx final status throws `PLUGIN_WEBFETCH_STATUS`.
 */
export async function fetchChecked(url: string, options: FetchCheckedOptions): Promise<FetchedPage> {
  const { rule, log } = options;
  const hops = [url];
  if (rule) {
    const first = decideUrl(url, rule.level, rule.reservedPorts());
    if (first.decision === "deny")
      denied(rule, `Fetching \`${url}\` was refused:`, first.rule, first.reason, log);
  }
  let current = url;
  let response = await request(current, options, rule !== undefined);
  while (rule && REDIRECTS.has(response.status) && response.headers.has("location")) {
    const location = response.headers.get("location") ?? "";
    await response.body?.cancel();
    if (hops.length > MAX_REDIRECTS) {
      throw new WebfetchError(
        "PLUGIN_WEBFETCH_TOO_MANY_REDIRECTS",
        `\`${url}\` redirected more than ${MAX_REDIRECTS} times (last to \`${location}\`); the chain was not followed further. Fetch the final URL directly.`,
      );
    }
    const hop = decideRedirect(current, location, rule.level, rule.reservedPorts());
    if (hop.decision === "deny" || hop.url === undefined) {
      denied(
        rule,
        `\`${current}\` redirected (${response.status}) to \`${location}\`, which was not requested:`,
        hop.rule,
        hop.reason,
        log,
      );
    }
    current = hop.url;
    hops.push(current);
    response = await request(current, options, true);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new WebfetchError("PLUGIN_WEBFETCH_STATUS", `Request failed with status code: ${response.status}`);
  }
  const body = await readCapped(response);
  return {
    url: rule ? current : response.url || current,
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body,
    hops,
  };
}
