import { allowed, type Decision, Denial, denied, deny } from "./decision.js";
import type { NetworkLevel } from "./schema.js";

const DOTTED_127 =
  /^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const LOCAL_INSTEAD = "`http://localhost[:port]/…`, `http://127.0.0.1[:port]/…` or `http://[::1][:port]/…`";

/** A URL split into the parts the validator judges. */
export interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Split a URL by hand (WHATWG parsing would normalise `0x7f.1` to `127.0.0.1`, hiding the trick).
 * `defaultScheme` is used for bare `host/path` forms (as curl accepts them). The host is returned
 * in lower case, as WHATWG and every resolver read it (`LOCALHOST` is `localhost`); only ASCII
 * reaches that point, so lower-casing cannot turn one host into another.
 */
export function parseUrl(raw: string, defaultScheme?: string): ParsedUrl {
  if (/[\\\s\p{Cc}\p{Cf}]/u.test(raw)) {
    deny(
      "network.invalid-url",
      `The URL \`${raw}\` contains a backslash, whitespace or control character.`,
      LOCAL_INSTEAD,
    );
  }
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
  let scheme: string;
  let rest: string;
  if (m) {
    scheme = (m[1] as string).toLowerCase();
    rest = raw.slice(m[0].length);
  } else if (
    defaultScheme !== undefined &&
    !raw.includes("://") &&
    !/^[a-zA-Z][a-zA-Z0-9+.-]*:[^0-9]/.test(raw)
  ) {
    scheme = defaultScheme;
    rest = raw;
  } else {
    deny("network.invalid-url", `\`${raw}\` is not an http(s) URL.`, LOCAL_INSTEAD);
  }
  if (scheme !== "http" && scheme !== "https") {
    deny("network.invalid-url", `The scheme \`${scheme}:\` is not allowed.`, "http:// or https:// URLs");
  }
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (/[^\x21-\x7e]/.test(authority)) {
    deny("network.invalid-url", `The host of \`${raw}\` contains non-ASCII characters.`, LOCAL_INSTEAD);
  }
  if (authority.includes("@")) {
    deny(
      "network.invalid-url",
      `\`${raw}\` carries userinfo (\`…@\`), which can disguise the real host.`,
      LOCAL_INSTEAD,
    );
  }
  if (authority.includes("%")) {
    deny("network.invalid-url", `The host of \`${raw}\` is percent-encoded.`, LOCAL_INSTEAD);
  }
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close === -1) deny("network.invalid-url", `Unclosed IPv6 literal in \`${raw}\`.`, LOCAL_INSTEAD);
    host = authority.slice(0, close + 1).toLowerCase();
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) {
      deny("network.invalid-url", `Unexpected text after the IPv6 literal in \`${raw}\`.`, LOCAL_INSTEAD);
    }
    portText = after === "" ? undefined : after.slice(1);
  } else {
    const colon = authority.indexOf(":");
    host = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
    portText = colon === -1 ? undefined : authority.slice(colon + 1);
  }
  if (host === "") deny("network.invalid-url", `\`${raw}\` has no host.`, LOCAL_INSTEAD);
  let port = scheme === "https" ? 443 : 80;
  if (portText !== undefined && portText !== "") {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      deny(
        "network.invalid-url",
        `The port \`${portText}\` in \`${raw}\` is not a number from 0 to 65535.`,
        LOCAL_INSTEAD,
      );
    }
    port = Number(portText);
  }
  return { scheme, host, port };
}

/** True for the only loopback spellings `network: localhost` admits. */
export function isCanonicalLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || DOTTED_127.test(host);
}

/** Throws a denial unless `raw` may be fetched under `level`. */
export function checkUrl(
  raw: string,
  level: NetworkLevel,
  reservedPorts: readonly number[],
  defaultScheme?: string,
): void {
  if (level === "none")
    deny("network.none", `Fetching \`${raw}\` needs network access.`, "no network use at all");
  const url = parseUrl(raw, defaultScheme);
  if (level === "localhost" && !isCanonicalLoopback(url.host)) {
    deny(
      "network.not-localhost",
      `The host \`${url.host}\` is not a canonical loopback spelling (decimal, hex, octal or short IPv4, 0.0.0.0, IPv4-mapped IPv6 and trailing dots are refused).`,
      LOCAL_INSTEAD,
    );
  }
  if (reservedPorts.includes(url.port)) {
    deny(
      "network.reserved-port",
      `Port ${url.port} belongs to the orchestrator or a worker.`,
      "any other local port",
    );
  }
}

/** `checkUrl` as a {@link Decision} instead of a throw. */
export function decideUrl(raw: string, level: NetworkLevel, reservedPorts: readonly number[]): Decision {
  try {
    checkUrl(raw, level, reservedPorts);
    return allowed(`Fetching \`${raw}\` is allowed (network: ${level}).`);
  } catch (error) {
    if (error instanceof Denial) return denied(error);
    throw error;
  }
}

/** The outcome of {@link decideRedirect}: an allow carries the absolute URL of the next hop. */
export interface RedirectDecision extends Decision {
  /** The URL to fetch next (only on allow). */
  readonly url?: string;
}

/**
 * Decide one redirect hop: `location` (a `Location` header, absolute or relative) taken from the
 * response to `from` (a URL already allowed). The hop is judged twice: as written, with the rules
 * of `checkUrl` (so `//0x7f.1/` is refused as `0x7f.1` even though WHATWG would rewrite it to
 * `127.0.0.1`), and as WHATWG resolves it, which is the URL that gets fetched.
 */
export function decideRedirect(
  from: string,
  location: string,
  level: NetworkLevel,
  reservedPorts: readonly number[],
): RedirectDecision {
  try {
    if (/[\\\s\p{Cc}\p{Cf}]/u.test(location)) {
      deny(
        "network.invalid-url",
        `The redirect target \`${location}\` contains a backslash, whitespace or control character.`,
        "a redirect to an http(s) URL this profile may fetch directly",
      );
    }
    let base: URL;
    let next: URL;
    try {
      base = new URL(from);
      next = new URL(location, base);
    } catch {
      deny(
        "network.invalid-url",
        `The redirect target \`${location}\` is not a URL.`,
        "a redirect to an http(s) URL this profile may fetch directly",
      );
    }
    // As written: absolute, scheme-relative (`//host/`) or a path on the same host.
    const written = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location)
      ? location
      : location.startsWith("//")
        ? `${base.protocol}${location}`
        : next.href;
    checkUrl(written, level, reservedPorts);
    checkUrl(next.href, level, reservedPorts);
    return { ...allowed(`The redirect to \`${next.href}\` is allowed (network: ${level}).`), url: next.href };
  } catch (error) {
    if (error instanceof Denial) return denied(error);
    throw error;
  }
}
