import type {
  Catalog,
  CatalogCapabilities,
  CatalogModel,
  CatalogProvider,
  ModalitySet,
  ModelCost,
} from "./catalog.js";
import { MODALITIES } from "./catalog.js";
import { ResolverError } from "./resolver-error.js";

/**
 * The shape of OpenCode's `GET /provider` answer (`{ all, default, connected }`), as far as the
 * resolver reads it. Declared here so the resolver has no OpenCode dependency; every field is
 * optional because the adapter validates what it reads. `config.providers()` (`{ providers, default }`)
 * is accepted too.
 */
export interface OpencodeProviderList {
  /** Every provider OpenCode knows. */
  readonly all?: readonly OpencodeProvider[];
  /** The connected providers only (the shape of `GET /config/providers`). */
  readonly providers?: readonly OpencodeProvider[];
  /** Default model id per provider id. */
  readonly default?: Readonly<Record<string, string>>;
  /** Ids of the providers that have credentials. */
  readonly connected?: readonly string[];
}

/** One provider of {@link OpencodeProviderList}. */
export interface OpencodeProvider {
  readonly id?: string;
  readonly name?: string;
  readonly env?: readonly string[];
  /** Models keyed by model id. */
  readonly models?: Readonly<Record<string, OpencodeModel>>;
}

/** One model of {@link OpencodeProvider}. Prices are USD per 1M tokens. */
export interface OpencodeModel {
  readonly id?: string;
  readonly name?: string;
  readonly family?: string;
  readonly capabilities?: {
    readonly attachment?: boolean;
    readonly reasoning?: boolean;
    readonly toolcall?: boolean;
    readonly input?: Partial<Record<string, boolean>>;
    readonly output?: Partial<Record<string, boolean>>;
  };
  readonly cost?: {
    readonly input?: number;
    readonly output?: number;
    readonly cache?: { readonly read?: number; readonly write?: number };
  };
  readonly limit?: { readonly context?: number; readonly output?: number };
  readonly status?: string;
  readonly release_date?: string;
}

/** Options of {@link catalogFromOpencode}. */
export interface CatalogFromOpencodeOptions {
  /**
   * Connected provider ids. Overrides the answer's own `connected` list (an offline server may report
   * none). Ids the catalog does not know are dropped.
   */
  readonly connected?: readonly string[];
  /** A label for diagnostics, e.g. the file or URL the answer came from. */
  readonly source?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function positive(value: unknown): number | null {
  const n = finite(value);
  return n === undefined || n === 0 ? null : n;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

function modalities(value: unknown): Partial<ModalitySet> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Partial<Record<keyof ModalitySet, boolean>> = {};
  for (const m of MODALITIES) {
    const b = bool(value[m]);
    if (b !== undefined) out[m] = b;
  }
  return out;
}

/** Prices stay `null` unless both input and output are stated numbers: missing is not 0. */
function cost(value: unknown): ModelCost | null {
  if (!isRecord(value)) return null;
  const input = finite(value.input);
  const output = finite(value.output);
  if (input === undefined || output === undefined) return null;
  const cache = isRecord(value.cache) ? value.cache : {};
  const cacheRead = finite(cache.read);
  const cacheWrite = finite(cache.write);
  return {
    input,
    output,
    ...(cacheRead === undefined ? {} : { cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWrite }),
  };
}

function capabilities(value: unknown): CatalogCapabilities {
  if (!isRecord(value)) return {};
  const out: {
    attachment?: boolean;
    reasoning?: boolean;
    toolCall?: boolean;
    input?: Partial<ModalitySet>;
    output?: Partial<ModalitySet>;
  } = {};
  const attachment = bool(value.attachment);
  const reasoning = bool(value.reasoning);
  const toolCall = bool(value.toolcall);
  const input = modalities(value.input);
  const output = modalities(value.output);
  if (attachment !== undefined) out.attachment = attachment;
  if (reasoning !== undefined) out.reasoning = reasoning;
  if (toolCall !== undefined) out.toolCall = toolCall;
  if (input !== undefined) out.input = input;
  if (output !== undefined) out.output = output;
  return out;
}

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

function model(providerId: string, key: string, raw: Record<string, unknown>): CatalogModel {
  const limit = isRecord(raw.limit) ? raw.limit : {};
  const family = typeof raw.family === "string" && raw.family !== "" ? raw.family : undefined;
  return {
    providerId,
    id: key,
    ref: `${providerId}/${key}`,
    name: typeof raw.name === "string" && raw.name !== "" ? raw.name : key,
    ...(family === undefined ? {} : { family }),
    capabilities: capabilities(raw.capabilities),
    cost: cost(raw.cost),
    contextWindow: positive(limit.context),
    maxOutputTokens: positive(limit.output),
    status: typeof raw.status === "string" && raw.status !== "" ? raw.status : null,
    releaseDate:
      typeof raw.release_date === "string" && DATE.test(raw.release_date) ? raw.release_date : null,
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Build a {@link Catalog} from OpenCode's `GET /provider` answer (or `GET /config/providers`).
 *
 * - Model ids are the keys of each provider's `models` object and may contain `/`, `:` and `@`.
 * - Prices are kept in USD per 1M tokens. A missing price stays `null` (unknown); note that OpenCode
 *   itself already turns a missing price into 0, which the adapter cannot undo.
 * - `limit.context` of 0 or missing becomes `null` (unknown).
 * - Providers and models are sorted by id, so the result never depends on JSON key order.
 *
 * @throws {ResolverError} `RESOLVER_CATALOG_UNAVAILABLE` when the answer has no provider list.
 *
 * @example
 * ```ts
 * const raw = await (await fetch(`${url}/provider`)).json();
 * const catalog = catalogFromOpencode(raw, { connected: ["anthropic"] });
 * ```
 */
export function catalogFromOpencode(answer: unknown, options: CatalogFromOpencodeOptions = {}): Catalog {
  if (!isRecord(answer)) {
    throw new ResolverError("RESOLVER_CATALOG_UNAVAILABLE", "The catalog is not a JSON object.", {
      hints: ["Pass the JSON body of OpenCode's GET /provider ({ all, default, connected })."],
    });
  }
  const list = Array.isArray(answer.all)
    ? answer.all
    : Array.isArray(answer.providers)
      ? answer.providers
      : null;
  if (list === null) {
    throw new ResolverError(
      "RESOLVER_CATALOG_UNAVAILABLE",
      "The catalog has no provider list (`all` or `providers`).",
      {
        hints: ["Pass the JSON body of OpenCode's GET /provider ({ all, default, connected })."],
      },
    );
  }
  const defaults = isRecord(answer.default) ? answer.default : {};
  const seen = new Set<string>();
  const providers: CatalogProvider[] = [];
  for (const raw of list) {
    if (!isRecord(raw) || typeof raw.id !== "string" || raw.id === "" || seen.has(raw.id)) continue;
    const id = raw.id;
    seen.add(id);
    const models = isRecord(raw.models) ? raw.models : {};
    const modelList: CatalogModel[] = [];
    for (const key of Object.keys(models).sort(byString)) {
      const m = models[key];
      if (key !== "" && isRecord(m)) modelList.push(model(id, key, m));
    }
    const def = defaults[id];
    providers.push({
      id,
      name: typeof raw.name === "string" && raw.name !== "" ? raw.name : id,
      env: Array.isArray(raw.env)
        ? raw.env.filter((e): e is string => typeof e === "string").sort(byString)
        : [],
      ...(typeof def === "string" && def !== "" ? { defaultModel: def } : {}),
      models: modelList,
    });
  }
  providers.sort((a, b) => byString(a.id, b.id));
  const rawConnected =
    options.connected ??
    (Array.isArray(answer.connected)
      ? answer.connected.filter((c): c is string => typeof c === "string")
      : Array.isArray(answer.providers)
        ? providers.map((p) => p.id)
        : []);
  const connected = [...new Set(rawConnected.filter((c) => seen.has(c)))].sort(byString);
  return { providers, connected, ...(options.source === undefined ? {} : { source: options.source }) };
}
