import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import type { Catalog } from "./catalog.js";
import type { CatalogFromOpencodeOptions } from "./opencode-catalog.js";
import { catalogFromOpencode } from "./opencode-catalog.js";
import { ResolverError } from "./resolver-error.js";

/** Parse a saved `GET /provider` answer: gzip (detected by its magic bytes) or plain JSON. */
export function parseCatalogBytes(bytes: Uint8Array, options: CatalogFromOpencodeOptions = {}): Catalog {
  let text: string;
  try {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    text = new TextDecoder().decode(raw);
  } catch (cause) {
    throw new ResolverError(
      "RESOLVER_CATALOG_UNAVAILABLE",
      `The catalog${options.source ? ` ${options.source}` : ""} is not valid gzip.`,
      {
        cause,
        hints: ["Save OpenCode's GET /provider answer as JSON, optionally gzipped."],
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ResolverError(
      "RESOLVER_CATALOG_UNAVAILABLE",
      `The catalog${options.source ? ` ${options.source}` : ""} is not valid JSON.`,
      {
        cause,
        hints: ["Save OpenCode's GET /provider answer as JSON, optionally gzipped."],
      },
    );
  }
  return catalogFromOpencode(json, options);
}

/**
 * Read a catalog file: OpenCode's `GET /provider` answer saved as `.json` or `.json.gz`.
 * @throws {ResolverError} `RESOLVER_CATALOG_UNAVAILABLE` when the file is missing or unreadable.
 */
export async function readCatalogFile(
  path: string,
  options: Omit<CatalogFromOpencodeOptions, "source"> = {},
): Promise<Catalog> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new ResolverError("RESOLVER_CATALOG_UNAVAILABLE", `Cannot read the catalog file ${path}.`, {
      cause,
      hints: ["Check the path; save one with `curl http://127.0.0.1:<port>/provider > catalog.json`."],
    });
  }
  return parseCatalogBytes(bytes, { ...options, source: path });
}

/** Options of {@link fetchCatalog}. */
export interface FetchCatalogOptions extends Omit<CatalogFromOpencodeOptions, "source"> {
  /** Give up after this many milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Basic-auth password (`OPENCODE_SERVER_PASSWORD`), if the server has one. */
  readonly password?: string;
  /** Basic-auth user (default `opencode`). */
  readonly username?: string;
}

/**
 * Fetch `GET /provider` from a running OpenCode server and adapt it.
 * @throws {ResolverError} `RESOLVER_CATALOG_UNAVAILABLE` when the server cannot be reached or answers badly.
 */
export async function fetchCatalog(serverUrl: string, options: FetchCatalogOptions = {}): Promise<Catalog> {
  const url = new URL("/provider", serverUrl).toString();
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.username ?? "opencode"}:${options.password}`).toString("base64")}`;
  }
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (cause) {
    throw new ResolverError("RESOLVER_CATALOG_UNAVAILABLE", `Cannot reach ${url}.`, {
      cause,
      hints: [
        'Is `opencode serve` running there? Read the URL from its "opencode server listening on" line.',
      ],
    });
  }
  if (!res.ok) {
    throw new ResolverError("RESOLVER_CATALOG_UNAVAILABLE", `${url} answered HTTP ${res.status}.`, {
      hints: res.status === 401 ? ["The server needs a password (OPENCODE_SERVER_PASSWORD)."] : [],
    });
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const { timeoutMs: _t, password: _p, username: _u, ...rest } = options;
  return parseCatalogBytes(bytes, { ...rest, source: url });
}
