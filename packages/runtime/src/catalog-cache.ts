import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { OpencodeProviderList } from "@orchestra/resolver";
import writeFileAtomic from "write-file-atomic";
import { catalogFingerprint, providerEnvNames } from "./catalog-fingerprint.js";
import type { OpencodeCatalog } from "./catalog-server.js";

/** 2: the entry holds the user's default model beside the catalog. */
const FORMAT = 2;

/** One cached catalog, per project directory. */
interface CacheEntry {
  format: number;
  directory: string;
  fingerprint: string;
  envNames: string[];
  catalog: OpencodeProviderList;
  defaultModel?: string;
}

/** Options of {@link cachedCatalog}. */
export interface CachedCatalogOptions {
  /** The `opencode` binary the catalog comes from. */
  binary: string;
  /** The project directory (one cache entry per directory). */
  directory: string;
  /** The environment OpenCode runs with (HOME, XDG dirs, config variables, API keys). */
  env: NodeJS.ProcessEnv;
  /**
   * Reads the catalog (`GET /provider`) and the default model (`GET /config`) from OpenCode;
   * called only when the cache is stale.
   */
  fetch: () => Promise<OpencodeCatalog>;
  /** Where the entries live (default `$XDG_CACHE_HOME/orchestra/catalog`, else `~/.cache/...`). */
  cacheDir?: string;
}

/** The catalog, the user's default model and where they came from. */
export interface CachedCatalog extends OpencodeCatalog {
  /** `cache`: read from disk, no OpenCode started; `opencode`: fetched (and stored). */
  source: "cache" | "opencode";
}

/** The cache file of `directory`'s catalog. */
export function catalogCacheFile(
  options: Pick<CachedCatalogOptions, "directory" | "env" | "cacheDir">,
): string {
  const base =
    options.cacheDir ??
    join(options.env.XDG_CACHE_HOME ?? join(options.env.HOME ?? homedir(), ".cache"), "orchestra", "catalog");
  const key = createHash("sha256").update(resolve(options.directory)).digest("hex").slice(0, 24);
  return join(base, `${key}.json`);
}

/**
 * The catalog without what the resolver never reads and may be secret: each provider's `options`
 * (an `apiKey` from the config) and `key` (from `auth.json` or the environment).
 */
function withoutSecrets(catalog: OpencodeProviderList): OpencodeProviderList {
  const strip = (providers: OpencodeProviderList["all"]) =>
    providers?.map((provider) => {
      const { options: _options, key: _key, ...rest } = provider as Record<string, unknown>;
      return rest as NonNullable<OpencodeProviderList["all"]>[number];
    });
  const all = strip(catalog.all);
  const providers = strip(catalog.providers);
  return { ...catalog, ...(all ? { all } : {}), ...(providers ? { providers } : {}) };
}

function readEntry(file: string, directory: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
    if (entry.format !== FORMAT || entry.directory !== resolve(directory)) return undefined;
    return Array.isArray(entry.envNames) && typeof entry.fingerprint === "string" ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether {@link cachedCatalog} would answer from the cache now (no OpenCode needed): a fresh
 * entry exists for `directory`.
 */
export function isCatalogCached(options: Omit<CachedCatalogOptions, "fetch">): boolean {
  const entry = readEntry(catalogCacheFile(options), options.directory);
  return (
    entry !== undefined &&
    entry.fingerprint ===
      catalogFingerprint({
        binary: options.binary,
        directory: options.directory,
        env: options.env,
        envNames: entry.envNames,
      })
  );
}

/**
 * The model catalog of OpenCode in `directory` and the user's default model (the merged config's
 * `model`), read once and cached on disk per project. The
 * entry is used while nothing it depends on changed (see `catalogFingerprint`: the OpenCode config
 * files of the project and the user, `auth.json`, the models.dev cache, the binary, OpenCode's
 * config variables and the providers' API-key variables); otherwise `fetch` reads it again and
 * the entry is replaced. Provider options and keys (secrets) are not stored: the catalog read from
 * the cache has none. A cache that cannot be written costs the next call a fetch, nothing else.
 *
 * @example
 * ```ts
 * const { catalog } = await cachedCatalog({ binary, directory, env: process.env, fetch: () => temporaryCatalog(binary, directory, signal) });
 * ```
 */
export async function cachedCatalog(options: CachedCatalogOptions): Promise<CachedCatalog> {
  const file = catalogCacheFile(options);
  const inputs = { binary: options.binary, directory: options.directory, env: options.env };
  const entry = readEntry(file, options.directory);
  if (entry && entry.fingerprint === catalogFingerprint({ ...inputs, envNames: entry.envNames }))
    return {
      catalog: entry.catalog,
      ...(entry.defaultModel === undefined ? {} : { defaultModel: entry.defaultModel }),
      source: "cache",
    };
  // Files edited while OpenCode read them: the catalog may predate the edit, so it is not stored.
  const before = catalogFingerprint({ ...inputs, envNames: [] });
  const read = await options.fetch();
  const { catalog } = read;
  if (catalogFingerprint({ ...inputs, envNames: [] }) !== before) return { ...read, source: "opencode" };
  const envNames = providerEnvNames(catalog);
  const fingerprint = catalogFingerprint({ ...inputs, envNames });
  const fresh: CacheEntry = {
    format: FORMAT,
    directory: resolve(options.directory),
    fingerprint,
    envNames,
    catalog: withoutSecrets(catalog),
    ...(read.defaultModel === undefined ? {} : { defaultModel: read.defaultModel }),
  };
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(fresh), { mode: 0o600 });
  } catch {
    // Not cached: the next spawn reads the catalog from OpenCode again.
  }
  return { ...read, source: "opencode" };
}
