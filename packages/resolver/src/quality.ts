// The quality order: one number per model, computed once at index time, that ranks models the way an
// engineer would (tier first, then how current, then capabilities). Documented in the README, "Quality order".
import type { ModelCapabilities } from "./capabilities.js";
import type { SizeHint } from "./model-traits.js";

/** Where a model's tier comes from. */
export type TierSource = "price" | "base-price" | "same-model-price" | "name";

/** The inputs of {@link qualityOf}. */
export interface QualityInput {
  readonly capabilities: ModelCapabilities;
  readonly size: SizeHint;
  /** Release date as `YYYYMMDD`, `-1` when unknown. */
  readonly releaseKey: number;
  /** The input price (USD per 1M) taken as the tier, `null` when unknown. */
  readonly tierPrice: number | null;
  /** The id has no version number (codename or floating alias). */
  readonly unversioned: boolean;
  /** Catalog status alpha/beta or a stealth model. */
  readonly preview: boolean;
}

/** The terms of the quality number, kept so `reasons` can name the one that decided. */
export interface QualityTerms {
  /** `log2(input price per 1M)`; from the name words when the price is unknown. */
  readonly tier: number;
  /** `2 × years since 2023-01` (0 when the date is unknown). */
  readonly recency: number;
  /** `+0.5` for pro/opus/large words, `−0.5` for nano/mini/lite/haiku/flash words. */
  readonly sizeWords: number;
  /** Reasoning +0.5, tool calls +0.5, `0.25 × log2(context / 128k)` in [−0.5, +0.75] (unknown −0.5). */
  readonly capability: number;
  /** Unversioned id −1, preview −0.5. */
  readonly penalty: number;
}

/** The tier a name implies when the price is unknown: roughly `log2` of a typical input price of that class. */
const NAME_TIER: Readonly<Record<SizeHint, number>> = { small: -1.5, medium: 1, large: 2.5 };

/**
 * The terms of a model's quality. The tier is the input price as `log2` (each doubling of price is one
 * step): price is the best tier proxy the catalog has (haiku $1 < sonnet $3 < opus $5, nano < mini <
 * base < pro), read from the model itself, its base when it is a `-fast`/`-pro` variant, or the same
 * model at another provider; when no price is known the name's size words stand in, one step lower.
 */
export function qualityTerms(q: QualityInput): QualityTerms {
  const c = q.capabilities;
  const tier = q.tierPrice !== null && q.tierPrice > 0 ? Math.log2(q.tierPrice) : NAME_TIER[q.size] - 1;
  let recency = 0;
  if (q.releaseKey > 0) {
    const years =
      Math.floor(q.releaseKey / 10_000) +
      ((Math.floor(q.releaseKey / 100) % 100) - 1 + ((q.releaseKey % 100) - 1) / 31) / 12 -
      2023;
    recency = 2 * Math.max(0, years);
  }
  const sizeWords = q.size === "large" ? 0.5 : q.size === "small" ? -0.5 : 0;
  let capability = (c.reasoning ? 0.5 : 0) + (c.toolCall ? 0.5 : 0);
  capability +=
    c.contextWindow === null ? -0.5 : 0.25 * Math.min(3, Math.max(-2, Math.log2(c.contextWindow / 128_000)));
  const penalty = (q.unversioned ? -1 : 0) + (q.preview ? -0.5 : 0);
  return { tier, recency, sizeWords, capability, penalty };
}

/** The sum of the terms, rounded to 3 decimals (the `score` of an indexed model). */
export function qualityOf(t: QualityTerms): number {
  return Math.round((t.tier + t.recency + t.sizeWords + t.capability + t.penalty) * 1000) / 1000;
}
