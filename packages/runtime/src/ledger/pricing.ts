import type { ModelCost } from "@orchestra/resolver";
import type { JobTokens } from "../journal/job-record.js";
import type { JobUsage } from "../journal/journal.js";

/**
 * The catalog's prices of a model (`provider/model`), USD per 1M tokens; `null` when the catalog
 * does not know them (a model it does not list, or one priced at 0 that is not known to be free).
 */
export type PriceLookup = (model: string) => ModelCost | null;

/** True when every count is 0. */
function noTokens(t: JobTokens): boolean {
  return t.input === 0 && t.output === 0 && t.reasoning === 0 && t.cacheRead === 0 && t.cacheWrite === 0;
}

/**
 * The cost of `tokens` at `prices`, in USD, the way OpenCode computes it (reasoning tokens at the
 * output price). `null` when tokens of a kind were used whose price the catalog does not state
 * (cache reads or writes without a cache price): an unknown price is an unknown cost, never 0.
 */
export function costFromPrices(tokens: JobTokens, prices: ModelCost): number | null {
  if (tokens.cacheRead > 0 && prices.cacheRead === undefined) return null;
  if (tokens.cacheWrite > 0 && prices.cacheWrite === undefined) return null;
  const perMillion =
    tokens.input * prices.input +
    (tokens.output + tokens.reasoning) * prices.output +
    tokens.cacheRead * (prices.cacheRead ?? 0) +
    tokens.cacheWrite * (prices.cacheWrite ?? 0);
  return perMillion / 1_000_000;
}

/**
 * A job's usage with its cost settled: OpenCode's cost when it reports one (more than 0, or 0 for
 * no tokens at all); else, as OpenCode reports none for a model it has no prices for, the cost
 * from the catalog's prices (`catalog`); else unknown (`null`), never 0.
 */
export function priceUsage(usage: JobUsage, lookup: PriceLookup | undefined): JobUsage {
  const { tokens } = usage;
  // A step of unknown usage: no price makes its cost known (its tokens are unknown).
  if (tokens === null || (usage.unknownSteps ?? 0) > 0) return { ...usage, cost: null, costSource: null };
  if (usage.cost !== null && usage.cost > 0) return usage;
  if (usage.cost === 0 && noTokens(tokens)) return usage;
  const prices = usage.model && lookup ? lookup(usage.model) : null;
  const cost = prices ? costFromPrices(tokens, prices) : null;
  return { ...usage, cost, costSource: cost === null ? null : "catalog" };
}
