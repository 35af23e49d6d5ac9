import type { CapabilityPatch, ModelCapabilities } from "./capabilities.js";
import { catalogPatch, inferFromLowerText, isChatModel, mergeCapabilities } from "./capabilities.js";
import type { Catalog, CatalogModel, CatalogProvider } from "./catalog.js";
import { isDeprecated } from "./catalog.js";
import {
  isKnownFree,
  originOf,
  previewKind,
  type SizeHint,
  sameModelKey,
  sizeOf,
  specialPurpose,
  unversioned,
  variantBase,
} from "./model-traits.js";
import { type QualityTerms, qualityOf, qualityTerms, type TierSource } from "./quality.js";

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
  /**
   * Input + output price in USD per 1M tokens; `null` when unknown. A catalog price of 0 counts as
   * unknown unless the model is known to be free ({@link IndexedModel.free}); then it is 0.
   */
  readonly price: number | null;
  /** The catalog prices the model at 0 and nothing says it is free: the price is unknown. */
  readonly zeroPriced: boolean;
  /** A `:free`/`-free` variant or "free" in the name (opt-in: `allowFree`). */
  readonly free: boolean;
  /** Alpha, beta or stealth (opt-in: `allowPreview`). */
  readonly preview: "alpha" | "beta" | "stealth" | undefined;
  /** Special-purpose (deep research, computer use, realtime, image…): never picked by auto tags. */
  readonly special: string | undefined;
  /** The first party that makes the model, when it is not this provider (a gateway or reseller). */
  readonly origin: string | undefined;
  /** The same model at its first party (`anthropic/claude-opus-5` for `openrouter/anthropic/claude-opus-5`), if offered. */
  readonly firstPartyRef: string | undefined;
  /** The base model id when this is a `-fast`/`-pro`/… variant of a model of the same provider. */
  readonly variantOf: string | undefined;
  /** Size class from the family and size words of the id. */
  readonly size: SizeHint;
  /** The input price (USD per 1M) used as the tier, `null` when unknown. */
  readonly tierPrice: number | null;
  /** Where the tier came from. */
  readonly tierSource: TierSource;
  /** The terms of {@link IndexedModel.score}. */
  readonly quality: QualityTerms;
  /** The quality number (README, "Quality order"); higher is better. */
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

function releaseKey(date: string | null): number {
  if (date === null) return -1;
  const y = Number.parseInt(date.slice(0, 4), 10);
  const m = Number.parseInt(date.slice(5, 7), 10);
  const d = date.length >= 10 ? Number.parseInt(date.slice(8, 10), 10) : 1;
  return y * 10_000 + (m || 1) * 100 + (d || 1);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const isZeroPriced = (m: CatalogModel): boolean =>
  m.cost !== null && m.cost.input === 0 && m.cost.output === 0;

/**
 * The provider says its models are free: every model is priced at 0 and at least half are marked
 * free (OpenCode's built-in `opencode` provider). Then its unmarked models at 0 are free too.
 */
function saysFree(provider: CatalogProvider): boolean {
  const n = provider.models.length;
  if (n === 0 || !provider.models.every(isZeroPriced)) return false;
  return provider.models.filter(isKnownFree).length * 2 >= n;
}

/** An {@link IndexedModel} while the index is built (the tier needs every model first). */
type Draft = { -readonly [K in keyof IndexedModel]: IndexedModel[K] };

const ZERO_TERMS: QualityTerms = { tier: 0, recency: 0, sizeWords: 0, capability: 0, penalty: 0 };

/**
 * The tier price of a model, in order: the base model's price when this is a `-fast`/`-pro` variant
 * priced above it (a flagship served faster is still a flagship, no better), else its own known input
 * price, else the cheapest known price of the same model at any provider; then its quality.
 */
function settleTier(
  e: Draft,
  byRef: ReadonlyMap<string, Draft>,
  cheapest: ReadonlyMap<string, number>,
): void {
  const base = e.variantOf === undefined ? undefined : byRef.get(`${e.model.providerId}/${e.variantOf}`);
  if (base?.tierPrice != null && e.tierPrice !== null && base.tierPrice < e.tierPrice) {
    e.tierPrice = base.tierPrice;
    e.tierSource = "base-price";
  } else if (e.tierPrice === null) {
    const same = cheapest.get(sameModelKey(e.model.id));
    if (same !== undefined) {
      e.tierPrice = same;
      e.tierSource = "same-model-price";
    } else {
      e.tierSource = "name";
    }
  }
  e.quality = qualityTerms({
    capabilities: e.capabilities,
    size: e.size,
    releaseKey: e.releaseKey,
    tierPrice: e.tierPrice,
    unversioned: unversioned(e.model.id),
    preview: e.preview !== undefined,
  });
  e.score = qualityOf(e.quality);
}

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
  const byRef = new Map<string, Draft>();
  const byProvider = new Map<string, IndexedModel[]>();
  const byModelId = new Map<string, IndexedModel[]>();
  const providers = new Map<string, CatalogProvider>();
  const models: Draft[] = [];
  const cheapestSameModel = new Map<string, number>();
  const own = (rec: Readonly<Record<string, CapabilityPatch>>, key: string): CapabilityPatch | undefined =>
    Object.hasOwn(rec, key) ? rec[key] : undefined;

  for (const provider of catalog.providers) {
    if (providers.has(provider.id)) continue;
    providers.set(provider.id, provider);
    const list: Draft[] = [];
    const ids = new Set(provider.models.map((m) => m.id));
    const freeProvider = saysFree(provider);
    for (const model of provider.models) {
      if (byRef.has(model.ref)) continue;
      const text = `${model.id} ${model.name}`.toLowerCase();
      const capabilities = mergeCapabilities([
        { source: "override", patch: own(overrides, model.ref) },
        { source: "catalog", patch: catalogPatch(model) },
        { source: "provider", patch: own(queried, model.ref) },
        { source: "inferred", patch: inferFromLowerText(text) },
      ]);
      const release = releaseKey(model.releaseDate);
      const free = isKnownFree(model) || (freeProvider && isZeroPriced(model));
      const zero = isZeroPriced(model);
      const price = model.cost === null || (zero && !free) ? null : model.cost.input + model.cost.output;
      const key = sameModelKey(model.id);
      const input = price === null || free ? null : (model.cost?.input ?? null);
      if (input !== null && input > 0) {
        const seen = cheapestSameModel.get(key);
        if (seen === undefined || input < seen) cheapestSameModel.set(key, input);
      }
      const origin = originOf(model);
      const preview = previewKind(model);
      const entry: Draft = {
        model,
        ref: model.ref,
        capabilities,
        chat: isChatModel(capabilities),
        deprecated: isDeprecated(model),
        connected: connected.has(provider.id),
        providerDefault: provider.defaultModel === model.id,
        releaseKey: release,
        price,
        zeroPriced: zero && !free,
        free,
        preview,
        special: specialPurpose(model.id),
        origin: origin === provider.id ? undefined : origin,
        firstPartyRef: undefined,
        variantOf: variantBase(model.id, (id) => ids.has(id)),
        size: sizeOf(model.id),
        tierPrice: input,
        tierSource: "price",
        quality: ZERO_TERMS,
        score: 0,
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
  const firstParty = new Map<string, string>();
  for (const e of models)
    if (e.origin === undefined)
      firstParty.set(`${e.model.providerId}\u0000${sameModelKey(e.model.id)}`, e.ref);
  for (const e of models) {
    if (e.origin !== undefined)
      e.firstPartyRef = firstParty.get(`${e.origin}\u0000${sameModelKey(e.model.id)}`);
    settleTier(e, byRef, cheapestSameModel);
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
