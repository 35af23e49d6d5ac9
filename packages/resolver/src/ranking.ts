import type { AutoTag } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";
import type { QualityTerms } from "./quality.js";

/** Every {@link SelectionMode}, the default (`performance`) first (a tuple, so a schema can take it as an enum). */
export const SELECTION_MODES = ["performance", "balanced", "economical"] as const;

/** How candidates that meet the requirements are ranked (`modelSelection.mode`). */
export type SelectionMode = (typeof SELECTION_MODES)[number];

/** A candidate with its ranking keys. */
export interface RankedCandidate {
  /** The model. */
  readonly entry: IndexedModel;
  /** Quality for the tag (higher is better): the model's quality plus what the tag values. */
  readonly score: number;
  /** Balanced score in [0, 1] (only meaningful in `balanced` mode). */
  readonly balance: number;
}

/** Weights of the `balanced` mode: `0.6 × quality + 0.4 × price`, both normalised over the candidates. */
export const BALANCED_WEIGHTS = { capability: 0.6, price: 0.4 } as const;

/** What the tag adds to the model's quality (README, "Quality order"). */
function tagExtra(entry: IndexedModel, tag: AutoTag): number {
  const c = entry.capabilities;
  const ctx = c.contextWindow === null ? 0 : Math.min(3, Math.max(-2, Math.log2(c.contextWindow / 128_000)));
  switch (tag) {
    case "auto:fast":
      // Among small models, smaller is not worse: release (a current family) and capabilities rank; cheaper breaks ties.
      return -entry.quality.tier - entry.quality.sizeWords;
    case "auto:docs":
      return 0.5 * ctx + (c.input.pdf ? 0.25 : 0);
    case "auto:code":
      return 0.25 * ctx + (c.reasoning ? 0.5 : 0);
    default:
      return 0;
  }
}

/**
 * The quality of a model for one tag: its quality (`score`, see `qualityTerms`) plus what the tag values.
 *
 * - `auto:fast` (small models only): the tier and the size words do not count, so the newest small
 *   family wins and, at equal quality, the cheaper (smaller, quicker) model.
 * - `auto:docs`: `0.5 × log2(context / 128k)` more, PDF input +0.25.
 * - `auto:code`: `0.25 × log2(context / 128k)` more, reasoning +0.5 (never the word "code").
 * - `auto`, `auto:vision`, `auto:reasoning`, `auto:cheap`: the quality itself.
 */
export function tagScore(entry: IndexedModel, tag: AutoTag): number {
  return Math.round((entry.score + tagExtra(entry, tag)) * 1000) / 1000;
}

/** A price in dollars, at most 6 significant digits. */
const usd = (n: number): string => `$${Number(n.toPrecision(6))}`;
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const dated = (e: IndexedModel): number => Number(/-\d{8}$/.test(e.model.id));

/** Price order: cheapest input + output first, unknown last. */
function priceOrder(a: IndexedModel, b: IndexedModel): number {
  if (a.price === null) return b.price === null ? 0 : 1;
  if (b.price === null) return -1;
  return a.price - b.price;
}

/**
 * Between models of equal quality: cheaper (known price before unknown), the first party before a
 * gateway, a base model before its `-fast`/`-pro` variant, an alias before its dated snapshot, the
 * provider's default, newer; the id's spelling only between models identical in all of these.
 */
export function tieBreak(a: IndexedModel, b: IndexedModel): number {
  return (
    priceOrder(a, b) ||
    Number(a.origin !== undefined) - Number(b.origin !== undefined) ||
    Number(a.variantOf !== undefined) - Number(b.variantOf !== undefined) ||
    dated(a) - dated(b) ||
    Number(b.providerDefault) - Number(a.providerDefault) ||
    b.releaseKey - a.releaseKey ||
    byString(a.ref, b.ref)
  );
}

/**
 * Rank candidates (best first). `performance` sorts by quality for the tag; `economical` by known
 * price (unknown last), then quality; `balanced` by `0.6 × normalised quality + 0.4 × normalised log
 * price` (unknown price scores 0 on the price side). Ties end in {@link tieBreak}.
 */
export function rankCandidates(
  entries: readonly IndexedModel[],
  tag: AutoTag,
  mode: SelectionMode,
): RankedCandidate[] {
  const scores = entries.map((e) => tagScore(e, tag));
  let balances: number[] = entries.map(() => 0);
  if (mode === "balanced" && entries.length > 0) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const s of scores) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    const logs = entries.map((e) => (e.price === null ? null : Math.log10(1 + e.price)));
    let plo = Number.POSITIVE_INFINITY;
    let phi = Number.NEGATIVE_INFINITY;
    for (const l of logs) {
      if (l === null) continue;
      if (l < plo) plo = l;
      if (l > phi) phi = l;
    }
    balances = entries.map((_, i) => {
      const s = scores[i] ?? 0;
      const cap = hi === lo ? 1 : (s - lo) / (hi - lo);
      const l = logs[i];
      const price = l === null || l === undefined ? 0 : phi === plo ? 1 : 1 - (l - plo) / (phi - plo);
      return Math.round((BALANCED_WEIGHTS.capability * cap + BALANCED_WEIGHTS.price * price) * 1e6) / 1e6;
    });
  }
  const ranked = entries.map((entry, i) => ({ entry, score: scores[i] ?? 0, balance: balances[i] ?? 0 }));
  const cmp =
    mode === "economical"
      ? (a: RankedCandidate, b: RankedCandidate) =>
          priceOrder(a.entry, b.entry) || b.score - a.score || tieBreak(a.entry, b.entry)
      : mode === "balanced"
        ? (a: RankedCandidate, b: RankedCandidate) =>
            b.balance - a.balance || b.score - a.score || tieBreak(a.entry, b.entry)
        : (a: RankedCandidate, b: RankedCandidate) => b.score - a.score || tieBreak(a.entry, b.entry);
  return ranked.sort(cmp);
}

const TERM_WORDS: Readonly<Record<keyof QualityTerms, string>> = {
  tier: "higher tier",
  recency: "newer release",
  sizeWords: "larger size class in the name",
  capability: "more capable (reasoning, tools, context)",
  penalty: "a versioned, non-preview model",
};

const inputPrice = (e: IndexedModel): string =>
  e.tierPrice === null ? "unknown" : `${usd(e.tierPrice)}/1M input`;

/** The quality term that separated two models of different quality, in words. */
function decidingTerm(w: IndexedModel, r: IndexedModel, scoreGap: number, tag: AutoTag | undefined): string {
  let best: keyof QualityTerms | undefined;
  let gap = 0;
  for (const k of Object.keys(TERM_WORDS) as (keyof QualityTerms)[]) {
    if (tag === "auto:fast" && (k === "tier" || k === "sizeWords")) continue; // not counted by auto:fast
    const d = w.quality[k] - r.quality[k];
    if (d > gap) {
      gap = d;
      best = k;
    }
  }
  if (best === undefined || gap < scoreGap / 4) return "what the tag values (context, reasoning, PDF input)";
  if (best === "tier") {
    const src = w.tierSource === "name" ? ", from the name: price unknown" : "";
    return `higher tier (${inputPrice(w)} vs ${inputPrice(r)}${src}; price is the tier proxy)`;
  }
  if (best === "recency")
    return `newer release (${w.model.releaseDate ?? "?"} vs ${r.model.releaseDate ?? "unknown"})`;
  if (best === "sizeWords") return `larger size class in the name (${w.size} vs ${r.size})`;
  return TERM_WORDS[best];
}

/** Which rule separated `winner` from `runnerUp` under `mode`, in words (for `reasons`). */
export function decidingRule(
  winner: RankedCandidate,
  runnerUp: RankedCandidate,
  mode: SelectionMode,
  tag?: AutoTag,
): string {
  const w = winner.entry;
  const r = runnerUp.entry;
  if (mode === "economical" && priceOrder(w, r) !== 0)
    return `cheaper (${w.price === null ? "unknown" : usd(w.price)} vs ${r.price === null ? "unknown" : usd(r.price)} per 1M in+out)`;
  if (mode === "balanced" && winner.balance !== runnerUp.balance)
    return `better balance of quality and price (${winner.balance} vs ${runnerUp.balance})`;
  if (winner.score !== runnerUp.score)
    return `${decidingTerm(w, r, winner.score - runnerUp.score, tag)} (quality ${winner.score} vs ${runnerUp.score})`;
  if (priceOrder(w, r) !== 0) return "same quality, cheaper";
  if ((w.origin === undefined) !== (r.origin === undefined))
    return "same quality; the first party over a gateway";
  if ((w.variantOf === undefined) !== (r.variantOf === undefined))
    return `same quality; the base model over its variant "${r.model.id}"`;
  if (dated(w) !== dated(r)) return "same model; the alias over the dated snapshot";
  if (w.providerDefault !== r.providerDefault) return "same quality; the provider's default model";
  if (w.releaseKey !== r.releaseKey) return "same quality; newer release";
  return "identical in price, tier, family, date and capabilities: tie broken by id";
}
