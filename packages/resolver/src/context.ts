// The state one resolver shares between its steps (explicit, tag, suggest), and the checks and
// helpers every step uses. Internal: not exported from the package.
import type { Requirements } from "./auto-tags.js";
import type { Catalog, ModelCost } from "./catalog.js";
import type { CatalogIndex, IndexedModel } from "./catalog-index.js";
import { buildCatalogIndex } from "./catalog-index.js";
import type { SelectionMode } from "./ranking.js";
import type { ModelAliases } from "./reference.js";
import { tokens, unmetRequirements } from "./requirements.js";
import type { Resolution, ResolvedCost, ResolverConfig } from "./resolution.js";
import type { ResolverErrorCode, ResolverErrorOptions } from "./resolver-error.js";

/** A resolution failure before it becomes a `ResolverError` (cheap to memoise and to re-label). */
interface Failure {
  readonly code: ResolverErrorCode;
  readonly message: string;
  readonly options: ResolverErrorOptions;
}

/** The answer of one step: a resolution or a failure. */
export type Outcome =
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly failure: Failure };

/** One resolver's index and configuration, read once; `tagAnswers` memoises ranked auto tags. */
export interface ResolverContext {
  readonly index: CatalogIndex;
  readonly config: ResolverConfig;
  readonly aliases: ModelAliases;
  readonly mode: SelectionMode;
  /** `modelSelection.maxCostPer1kTokens`. */
  readonly cap: number | undefined;
  /** `modelSelection.preferredProviders`, deduplicated, in order. */
  readonly preferred: readonly string[];
  readonly maxRejected: number;
  readonly allowDeprecated: boolean;
  /** Auto tags may pick free models. */
  readonly allowFree: boolean;
  /** Auto tags may pick preview (alpha, beta, stealth) models. */
  readonly allowPreview: boolean;
  /** Ranked auto tags by `tag|requirements`. */
  readonly tagAnswers: Map<string, Outcome>;
}

/** Read a configuration once (indexing the catalog unless an index was given). */
export function createContext(source: Catalog | CatalogIndex, config: ResolverConfig): ResolverContext {
  return {
    index: "get" in source ? source : buildCatalogIndex(source),
    config,
    aliases: config.modelAliases ?? {},
    mode: config.modelSelection?.mode ?? "performance",
    cap: config.modelSelection?.maxCostPer1kTokens,
    preferred: [...new Set(config.modelSelection?.preferredProviders ?? [])],
    maxRejected: Math.max(0, config.maxRejected ?? 20),
    allowDeprecated: config.allowDeprecated === true || config.modelSelection?.allowDeprecated === true,
    allowFree: config.allowFree === true || config.modelSelection?.allowFree === true,
    allowPreview: config.allowPreview === true || config.modelSelection?.allowPreview === true,
    tagAnswers: new Map(),
  };
}

const ORDINAL = ["1st", "2nd", "3rd"];
/** `0` → `1st`, `3` → `4th`. */
export const ordinal = (i: number): string => ORDINAL[i] ?? `${i + 1}th`;
/** A price in dollars, at most 6 significant digits. */
export const usd = (n: number): string => `$${Number(n.toPrecision(6))}`;

/** The hint of every "the catalog is empty" failure. */
export const LOAD_CATALOG_HINT =
  "Load a catalog from OpenCode's GET /provider (--catalog FILE or --server URL).";

/** A failure of `written` (the reference as the user wrote it). */
export function failWith(
  written: string,
  code: ResolverErrorCode,
  message: string,
  options: ResolverErrorOptions,
): Outcome {
  return { ok: false, failure: { code, message, options: { input: written, ...options } } };
}

/** The catalog's per-1M prices plus the per-1k figures of the config, or `null` when unknown. */
export function resolvedCost(cost: ModelCost | null): ResolvedCost | null {
  if (cost === null) return null;
  return {
    ...cost,
    unit: "USD per 1M tokens",
    inputPer1k: cost.input / 1000,
    outputPer1k: cost.output / 1000,
  };
}

/** `vision, tools, 200k context, $3/$15 per 1M in/out`, for reasons. */
export function describeCaps(e: IndexedModel): string {
  const c = e.capabilities;
  const parts: string[] = [];
  if (c.vision) parts.push("vision");
  if (c.toolCall) parts.push("tools");
  if (c.reasoning) parts.push("reasoning");
  if (c.input.pdf) parts.push("pdf");
  parts.push(c.contextWindow === null ? "context unknown" : `${tokens(c.contextWindow)} context`);
  parts.push(
    e.price === null
      ? "price unknown"
      : `${usd(e.model.cost?.input ?? 0)}/${usd(e.model.cost?.output ?? 0)} per 1M in/out`,
  );
  return parts.join(", ");
}

/** Freeze a resolution and its lists (answers are memoised and shared). */
export function freezeResolution(r: Resolution): Resolution {
  Object.freeze(r.reasons);
  Object.freeze(r.warnings);
  Object.freeze(r.rejected);
  Object.freeze(r.attempts);
  return Object.freeze(r);
}

/** Why the model is over budget, or null when it passes the cap (or no cap is set). */
export function budgetProblem(ctx: ResolverContext, e: IndexedModel): string | null {
  const cap = ctx.cap;
  if (cap === undefined) return null;
  const cost = e.model.cost;
  if (cost === null) return `price unknown, and a cap of ${usd(cap)}/1k input tokens is set`;
  const per1k = cost.input / 1000;
  if (per1k > cap + 1e-12) {
    return `input ${usd(per1k)}/1k tokens (${usd(cost.input)}/1M) is above the cap of ${usd(cap)}/1k`;
  }
  return null;
}

/** Usable: what a suggestion must be. Connected, not deprecated, meets `req`, within the cap. */
export function usable(ctx: ResolverContext, e: IndexedModel, req: Requirements): boolean {
  return (
    e.connected &&
    (!e.deprecated || ctx.allowDeprecated) &&
    unmetRequirements(e, req).length === 0 &&
    budgetProblem(ctx, e) === null
  );
}

/** How to connect a provider: its environment variables when the catalog names them. */
export function providerHint(ctx: ResolverContext, providerId: string): string {
  const env = ctx.index.provider(providerId)?.env ?? [];
  return env.length > 0
    ? `Connect provider "${providerId}": set ${env.join(" or ")}, or run \`opencode auth login\`; then retry.`
    : `Connect provider "${providerId}" (\`opencode auth login\` or its options in opencode.json); then retry.`;
}
