/** Every {@link Modality}, in a fixed order (a tuple, so a schema can take it as an enum). */
export const MODALITIES = ["text", "image", "audio", "video", "pdf"] as const;

/** The modalities a model can take in or give out. */
export type Modality = (typeof MODALITIES)[number];

/** A flag per modality. */
export type ModalitySet = Readonly<Record<Modality, boolean>>;

/**
 * Prices in **USD per 1M tokens**, as the catalog states them. The config's
 * `maxCostPer1kTokens` is per 1k: see {@link inputPricePer1k}.
 */
export interface ModelCost {
  /** Input (prompt) price, USD per 1M tokens. */
  readonly input: number;
  /** Output (completion) price, USD per 1M tokens. */
  readonly output: number;
  /** Cache-read price, USD per 1M tokens, when stated. */
  readonly cacheRead?: number;
  /** Cache-write price, USD per 1M tokens, when stated. */
  readonly cacheWrite?: number;
}

/**
 * What the catalog itself says about a model's capabilities. Every field is optional: a field the
 * catalog does not state is *unknown* and is filled by a lower-precedence source (see `mergeCapabilities`).
 */
export interface CatalogCapabilities {
  /** Accepts file attachments of some kind (not the same as vision). */
  readonly attachment?: boolean;
  /** Has an extended-thinking / reasoning mode. */
  readonly reasoning?: boolean;
  /** Supports tool (function) calls. */
  readonly toolCall?: boolean;
  /** Input modalities the catalog lists. */
  readonly input?: Partial<ModalitySet>;
  /** Output modalities the catalog lists. */
  readonly output?: Partial<ModalitySet>;
}

/** One model of a {@link Catalog}. */
export interface CatalogModel {
  /** The provider's id, e.g. `anthropic`. */
  readonly providerId: string;
  /** The model id inside the provider. May contain `/`, `:` and `@`. */
  readonly id: string;
  /** `providerId/id`: the reference that names this model. */
  readonly ref: string;
  /** Display name. */
  readonly name: string;
  /** Model family, when the catalog states one. */
  readonly family?: string;
  /** Capabilities as the catalog states them. */
  readonly capabilities: CatalogCapabilities;
  /** Prices, or `null` when the catalog does not state them (unknown, never "free"). */
  readonly cost: ModelCost | null;
  /** Context window in tokens, or `null` when unknown (the catalog's 0 means unknown). */
  readonly contextWindow: number | null;
  /** Maximum output tokens, or `null` when unknown. */
  readonly maxOutputTokens: number | null;
  /** Catalog status (`active`, `beta`, `alpha`, `deprecated`…), or `null` when not stated. */
  readonly status: string | null;
  /** Release date as `YYYY-MM-DD` (or `YYYY-MM`), or `null` when unknown. */
  readonly releaseDate: string | null;
}

/** One provider of a {@link Catalog}. */
export interface CatalogProvider {
  /** Provider id, e.g. `openai`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Environment variables that connect this provider (from the catalog), for hints. */
  readonly env: readonly string[];
  /** The provider's default model id, when the catalog names one. */
  readonly defaultModel?: string;
  /** The provider's models, sorted by id. */
  readonly models: readonly CatalogModel[];
}

/** A model catalog: providers, their models, and which providers are connected (have credentials). */
export interface Catalog {
  /** Providers, sorted by id. */
  readonly providers: readonly CatalogProvider[];
  /** Ids of the connected providers, sorted. Only these are considered for auto tags. */
  readonly connected: readonly string[];
  /** Where the catalog came from, for diagnostics. */
  readonly source?: string;
}

/** `true` when the catalog marks the model deprecated. */
export function isDeprecated(model: CatalogModel): boolean {
  return model.status === "deprecated";
}

/**
 * The model's input price in **USD per 1k tokens** (the unit of `maxCostPer1kTokens`): the catalog's
 * per-1M price divided by 1000. `null` when the cost is unknown.
 */
export function inputPricePer1k(cost: ModelCost | null): number | null {
  return cost === null ? null : cost.input / 1000;
}
