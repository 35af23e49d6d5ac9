import type { CapabilityPatch, ModelCapabilities } from "./capabilities.js";
import { catalogPatch, inferFromLowerText, isChatModel, mergeCapabilities } from "./capabilities.js";
import type { Catalog, CatalogModel, CatalogProvider } from "./catalog.js";
import { isDeprecated } from "./catalog.js";

/** A size class guessed from the model name, used only as a ranking hint. */
export type SizeHint = "small" | "medium" | "large";

/** One model of a {@link CatalogIndex}: the catalog entry plus everything precomputed for ranking. */
export interface IndexedModel {
  /** The catalog entry. */
  readonly model: CatalogModel;
  /** `provider/model`. */
  readonly ref: string;
  /** Merged capabilities, with the origin of every field. */
  readonly capabilities: ModelCapabilities;
  /** Kind `chat` with text in and out. */
  readonly chat: boolean;
  /** Marked deprecated in the catalog. */
  readonly deprecated: boolean;
  /** The provider has credentials. */
  readonly connected: boolean;
  /** The provider's default model. */
  readonly providerDefault: boolean;
  /** Release date as a sortable number (`YYYYMMDD`), `-1` when unknown. */
  readonly releaseKey: number;
  /** Input + output price in USD per 1M tokens, `null` when unknown. */
  readonly price: number | null;
  /** Size class guessed from the name. */
  readonly size: SizeHint;
  /** The name says it is a coding model (`code`, `coder`, `codex`, `devstral`…). */
  readonly codeModel: boolean;
  /** The general capability score (see README, "Scoring"); higher is more capable. */
  readonly score: number;
}

/** Options of {@link buildCatalogIndex}: the two capability sources besides the catalog and names. */
export interface CatalogIndexOptions {
  /** User overrides from config, keyed by `provider/model`. Highest precedence. */
  readonly capabilityOverrides?: Readonly<Record<string, CapabilityPatch>>;
  /** What a provider query reported, keyed by `provider/model`. Below catalog metadata. */
  readonly providerCapabilities?: Readonly<Record<string, CapabilityPatch>>;
}

/** A catalog indexed once for fast resolves. Build it with {@link buildCatalogIndex} and reuse it. */
export interface CatalogIndex {
  /** The catalog it was built from. */
  readonly catalog: Catalog;
  /** Every model, sorted by `ref`. */
  readonly models: readonly IndexedModel[];
  /** The models of connected providers, sorted by `ref`. */
  readonly connectedModels: readonly IndexedModel[];
  /** Connected provider ids. */
  readonly connected: ReadonlySet<string>;
  /** Every provider id, sorted. */
  readonly providerIds: readonly string[];
  /** The model named `provider/model`, if any. */
  get(ref: string): IndexedModel | undefined;
  /** The provider with this id, if any. */
  provider(id: string): CatalogProvider | undefined;
  /** Every model that has this model id, across providers, sorted by `ref`. */
  withModelId(modelId: string): readonly IndexedModel[];
  /** The models of one provider, sorted by id. */
  modelsOf(providerId: string): readonly IndexedModel[];
}

const SMALL =
  /(^|[-_/.\s:])(mini|nano|lite|small|flash|haiku|tiny|fast|instant|air|micro|\d(\.\d)?b|1[0-4]b)([-_/.\s:]|$)/;
const LARGE = /(^|[-_/.\s:])(opus|pro|ultra|max|large|plus|\d{3,}b)([-_/.\s:]|$)/;
const CODE = /cod(e|er|ex|estral)|devstral/;

function log2(n: number): number {
  return Math.log(n) / Math.LN2;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function releaseKey(date: string | null): number {
  if (date === null) return -1;
  const y = Number.parseInt(date.slice(0, 4), 10);
  const m = Number.parseInt(date.slice(5, 7), 10);
  const d = date.length >= 10 ? Number.parseInt(date.slice(8, 10), 10) : 1;
  return y * 10_000 + (m || 1) * 100 + (d || 1);
}

/**
 * The general capability score. Deterministic and independent of the current date.
 *
 * `10·reasoning + 10·toolCall + min(21, 3·log2(context/8k)) + min(10, 2·log2(maxOutput/4k))
 *  + 3·vision + 2·pdf + (large +8 | small −8) + min(16, 4·years since 2023) − 2·beta`;
 * unknown context, output or date add 0.
 */
export function capabilityScore(
  caps: ModelCapabilities,
  size: SizeHint,
  release: number,
  status: string | null,
): number {
  let s = 0;
  if (caps.reasoning) s += 10;
  if (caps.toolCall) s += 10;
  if (caps.contextWindow !== null) s += clamp(3 * log2(caps.contextWindow / 8192), 0, 21);
  if (caps.maxOutputTokens !== null) s += clamp(2 * log2(caps.maxOutputTokens / 4096), 0, 10);
  if (caps.vision) s += 3;
  if (caps.input.pdf) s += 2;
  if (size === "large") s += 8;
  if (size === "small") s -= 8;
  if (release > 0) {
    const years = Math.floor(release / 10_000) + ((Math.floor(release / 100) % 100) - 1) / 12 - 2023;
    s += clamp(4 * years, 0, 16);
  }
  if (status === "beta" || status === "alpha") s -= 2;
  return Math.round(s * 1000) / 1000;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Index a catalog once: merge every model's capabilities from the four sources, precompute ranking
 * keys, and build the lookup maps. A resolve is then a map lookup (explicit, alias) or a memoised ranking
 * (auto tags). Build it again when the catalog or the capability sources change.
 *
 * @example
 * ```ts
 * const index = buildCatalogIndex(catalog, { capabilityOverrides: { "local/llava": { vision: true } } });
 * const resolver = createResolver(index, { modelAliases: { fast: "auto:fast" } });
 * ```
 */
export function buildCatalogIndex(catalog: Catalog, options: CatalogIndexOptions = {}): CatalogIndex {
  const overrides = options.capabilityOverrides ?? {};
  const queried = options.providerCapabilities ?? {};
  const connected = new Set(catalog.connected);
  const byRef = new Map<string, IndexedModel>();
  const byProvider = new Map<string, IndexedModel[]>();
  const byModelId = new Map<string, IndexedModel[]>();
  const providers = new Map<string, CatalogProvider>();
  const models: IndexedModel[] = [];
  const own = (rec: Readonly<Record<string, CapabilityPatch>>, key: string): CapabilityPatch | undefined =>
    Object.hasOwn(rec, key) ? rec[key] : undefined;

  for (const provider of catalog.providers) {
    if (providers.has(provider.id)) continue;
    providers.set(provider.id, provider);
    const list: IndexedModel[] = [];
    for (const model of provider.models) {
      if (byRef.has(model.ref)) continue;
      const text = `${model.id} ${model.name}`.toLowerCase();
      const capabilities = mergeCapabilities([
        { source: "override", patch: own(overrides, model.ref) },
        { source: "catalog", patch: catalogPatch(model) },
        { source: "provider", patch: own(queried, model.ref) },
        { source: "inferred", patch: inferFromLowerText(text) },
      ]);
      const size: SizeHint = SMALL.test(text) ? "small" : LARGE.test(text) ? "large" : "medium";
      const release = releaseKey(model.releaseDate);
      const entry: IndexedModel = {
        model,
        ref: model.ref,
        capabilities,
        chat: isChatModel(capabilities),
        deprecated: isDeprecated(model),
        connected: connected.has(provider.id),
        providerDefault: provider.defaultModel === model.id,
        releaseKey: release,
        price: model.cost === null ? null : model.cost.input + model.cost.output,
        size,
        codeModel: CODE.test(text),
        score: capabilityScore(capabilities, size, release, model.status),
      };
      byRef.set(entry.ref, entry);
      list.push(entry);
      models.push(entry);
      const same = byModelId.get(model.id);
      if (same === undefined) byModelId.set(model.id, [entry]);
      else same.push(entry);
    }
    list.sort((a, b) => byString(a.model.id, b.model.id));
    byProvider.set(provider.id, list);
  }
  models.sort((a, b) => byString(a.ref, b.ref));
  for (const list of byModelId.values()) list.sort((a, b) => byString(a.ref, b.ref));
  const connectedModels = models.filter((m) => m.connected);
  const providerIds = [...providers.keys()].sort(byString);
  const empty: readonly IndexedModel[] = [];
  return {
    catalog,
    models,
    connectedModels,
    connected,
    providerIds,
    get: (ref) => byRef.get(ref),
    provider: (id) => providers.get(id),
    withModelId: (id) => byModelId.get(id) ?? empty,
    modelsOf: (id) => byProvider.get(id) ?? empty,
  };
}
