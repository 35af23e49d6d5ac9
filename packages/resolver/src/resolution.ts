import type { AutoTag, Requirements } from "./auto-tags.js";
import type { ModelCapabilities } from "./capabilities.js";
import type { ModelCost } from "./catalog.js";
import type { CatalogIndex } from "./catalog-index.js";
import type { SelectionMode } from "./ranking.js";
import type { ClassifiedReference, ModelAliases } from "./reference.js";
import type { FailedAttempt, ResolverError } from "./resolver-error.js";

/** `modelSelection` from the orchestrator config. */
export interface ModelSelection {
  /** How qualifying models are ranked (default `performance`). */
  readonly mode?: SelectionMode;
  /** Cap on the INPUT price in USD per **1k** tokens (the catalog's per-1M price / 1000). Unknown prices never pass. */
  readonly maxCostPer1kTokens?: number;
  /** An ordered filter with fallback: the first provider here that has a qualifying model wins. */
  readonly preferredProviders?: readonly string[];
  /** Let auto tags pick free models (`:free`/`-free` variants). Default `false`. */
  readonly allowFree?: boolean;
  /** Let auto tags pick preview models (alpha, beta, stealth). Default `false`. */
  readonly allowPreview?: boolean;
  /** Accept deprecated models named explicitly (auto tags never pick them). Default `false`. */
  readonly allowDeprecated?: boolean;
}

/** Configuration of a {@link Resolver}. */
export interface ResolverConfig {
  /** Aliases: short name → reference. Alias → alias is allowed; cycles are `RESOLVER_ALIAS_CYCLE` errors. */
  readonly modelAliases?: ModelAliases;
  /** Cost-aware selection. */
  readonly modelSelection?: ModelSelection;
  /** The session's default model (`provider/model`); `auto` picks it when it is usable. */
  readonly defaultModel?: string;
  /** Accept deprecated models named explicitly (auto tags never pick them). Default `false`; `true` here or in `modelSelection` enables it. */
  readonly allowDeprecated?: boolean;
  /** Let auto tags pick free models (`:free`/`-free` variants). Default `false`; `true` here or in `modelSelection` enables it. */
  readonly allowFree?: boolean;
  /** Let auto tags pick preview models (alpha, beta, stealth). Default `false`; `true` here or in `modelSelection` enables it. */
  readonly allowPreview?: boolean;
  /** At most this many entries in `rejected` (default 20). */
  readonly maxRejected?: number;
}

/** How the answer was reached. */
export type Provenance = "alias" | "explicit" | "auto-tag" | "fallback";

/** A candidate that lost, and why. */
export interface RejectedCandidate {
  /** `provider/model`. */
  readonly model: string;
  /** Why it lost or was filtered out. */
  readonly reason: string;
}

/** Prices of the resolved model: the catalog's per-1M figures and the per-1k figures the config uses. */
export interface ResolvedCost extends ModelCost {
  /** Always `"USD per 1M tokens"` for `input`, `output` and the cache prices. */
  readonly unit: "USD per 1M tokens";
  /** Input price in USD per 1k tokens (`input / 1000`), the unit of `maxCostPer1kTokens`. */
  readonly inputPer1k: number;
  /** Output price in USD per 1k tokens. */
  readonly outputPer1k: number;
}

/** A successful resolution. */
export interface Resolution {
  /** The chosen model, `provider/model`. */
  readonly model: string;
  /** Its provider id. */
  readonly providerId: string;
  /** Its model id (may contain `/`, `:`, `@`). */
  readonly modelId: string;
  /** How it was reached. `fallback` when an earlier reference of the chain failed. */
  readonly provenance: Provenance;
  /** The reference that produced this model (for a fallback, the one that worked). */
  readonly input: string;
  /** The auto tag that chose it, if one did. */
  readonly tag?: AutoTag;
  /** Merged capabilities, with the origin of every field. */
  readonly capabilities: ModelCapabilities;
  /** Prices, or `null` when unknown. */
  readonly cost: ResolvedCost | null;
  /** Catalog status. */
  readonly status: string | null;
  /** Catalog release date. */
  readonly releaseDate: string | null;
  /** Why this model, in order, in plain words. */
  readonly reasons: readonly string[];
  /** Things the caller should know about the pick (unknown price, missing tool calls…); empty when none. */
  readonly warnings: readonly string[];
  /** Candidates that lost and why (capped; see `rejectedTotal`). */
  readonly rejected: readonly RejectedCandidate[];
  /** How many candidates were rejected in all. */
  readonly rejectedTotal: number;
  /** References of the chain that were tried first and failed. */
  readonly attempts: readonly FailedAttempt[];
}

/** Per-call options of {@link Resolver.resolve}. */
export interface ResolveOptions {
  /** Extra hard requirements (e.g. `{ vision: true }` for a profile with `supportsVision`). */
  readonly require?: Requirements;
}

/** The result of {@link Resolver.tryResolve}. */
export type ResolveResult =
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly error: ResolverError };

/** The model fields of a profile that the resolver reads. */
export interface ProfileModelSpec {
  /** The first choice (default `auto`). */
  readonly model?: string;
  /** Tried in order when `model` cannot be resolved. */
  readonly fallbackModels?: readonly string[];
  /** v0.2 key: require image input. */
  readonly supportsVision?: boolean;
}

/** A filter for {@link Resolver.listModels}. */
export interface ModelFilter {
  /** Only connected providers (default `true`). */
  readonly connectedOnly?: boolean;
  /** Only this provider. */
  readonly provider?: string;
  /** Hard requirements (default: chat models). */
  readonly require?: Requirements;
  /** Input price cap in USD per 1k tokens; unknown prices are excluded when set. */
  readonly maxCostPer1kTokens?: number;
  /** Include deprecated models (default `false`). */
  readonly includeDeprecated?: boolean;
  /** Sort order (default `score`: most capable first). */
  readonly sort?: "score" | "price" | "ref";
  /** At most this many (default all). */
  readonly limit?: number;
}

/** One row of {@link Resolver.listModels}. */
export interface ModelSummary {
  readonly model: string;
  readonly name: string;
  readonly providerId: string;
  readonly connected: boolean;
  readonly deprecated: boolean;
  readonly capabilities: ModelCapabilities;
  readonly cost: ResolvedCost | null;
  readonly score: number;
  readonly releaseDate: string | null;
}

/** Resolves model references against one indexed catalog and one configuration. Reuse it. */
export interface Resolver {
  /** The index it resolves against. */
  readonly index: CatalogIndex;
  /**
   * Resolve one reference, or a fallback chain `[first, ...fallbacks]` (each tried in order).
   * @throws {ResolverError} when nothing in the chain resolves; `attempts` lists every failure.
   */
  resolve(ref: string | readonly string[], options?: ResolveOptions): Resolution;
  /** Like {@link Resolver.resolve}, but returns `{ ok, resolution | error }` instead of throwing. */
  tryResolve(ref: string | readonly string[], options?: ResolveOptions): ResolveResult;
  /** Resolve a profile's `model` (default `auto`) then its `fallbackModels`, honouring `supportsVision`. */
  resolveProfile(profile: ProfileModelSpec): Resolution;
  /** Models matching a filter (for a `list_models` tool). */
  listModels(filter?: ModelFilter): ModelSummary[];
  /** Classify a reference with this resolver's aliases (no catalog lookup). */
  classify(ref: string): ClassifiedReference;
}
