import type { AutoTag } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";

/** Every {@link SelectionMode}, the default (`performance`) first (a tuple, so a schema can take it as an enum). */
export const SELECTION_MODES = ["performance", "balanced", "economical"] as const;

/** How candidates that meet the requirements are ranked (`modelSelection.mode`). */
export type SelectionMode = (typeof SELECTION_MODES)[number];

/** A candidate with its ranking keys. */
export interface RankedCandidate {
  /** The model. */
  readonly entry: IndexedModel;
  /** Capability score for the tag (higher is better). */
  readonly score: number;
  /** Balanced score in [0, 1] (only meaningful in `balanced` mode). */
  readonly balance: number;
}

/** Weights of the `balanced` mode: `0.6 × capability + 0.4 × price`, both normalised over the candidates. */
export const BALANCED_WEIGHTS = { capability: 0.6, price: 0.4 } as const;

/**
 * The capability score of a model for one tag: the general score (see `capabilityScore`) adjusted
 * by what the tag values.
 *
 * - `auto:fast`: small models +30, large −20, reasoning −10 (thinking is slow).
 * - `auto:docs`: PDF input +5, attachments +3, and context counts once more.
 * - `auto:code`: coding models +12, reasoning +5.
 * - `auto:reasoning`: output length counts once more.
 * - `auto`, `auto:vision`, `auto:cheap`: the general score.
 */
export function tagScore(entry: IndexedModel, tag: AutoTag): number {
  const c = entry.capabilities;
  let s = entry.score;
  switch (tag) {
    case "auto:fast":
      s += entry.size === "small" ? 30 : entry.size === "large" ? -20 : 0;
      if (c.reasoning) s -= 10;
      break;
    case "auto:docs":
      if (c.input.pdf) s += 5;
      if (c.attachment) s += 3;
      if (c.contextWindow !== null)
        s += Math.min(21, Math.max(0, (3 * Math.log(c.contextWindow / 8192)) / Math.LN2));
      break;
    case "auto:code":
      if (entry.codeModel) s += 12;
      if (c.reasoning) s += 5;
      break;
    case "auto:reasoning":
      if (c.maxOutputTokens !== null)
        s += Math.min(10, Math.max(0, (2 * Math.log(c.maxOutputTokens / 4096)) / Math.LN2));
      break;
    default:
      break;
  }
  return Math.round(s * 1000) / 1000;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The deterministic tie-break: newer release date, then the provider's default model, then lexical ref. */
export function tieBreak(a: IndexedModel, b: IndexedModel): number {
  return (
    b.releaseKey - a.releaseKey ||
    Number(b.providerDefault) - Number(a.providerDefault) ||
    byString(a.ref, b.ref)
  );
}

/** Price order: cheapest input + output first, unknown last. */
function priceOrder(a: IndexedModel, b: IndexedModel): number {
  if (a.price === null) return b.price === null ? 0 : 1;
  if (b.price === null) return -1;
  return a.price - b.price;
}

/**
 * Rank candidates (best first). `performance` sorts by capability score; `economical` by price
 * (unknown last), then score; `balanced` by `0.6 × normalised score + 0.4 × normalised log price`
 * (unknown price scores 0 on the price side). Ties always end in {@link tieBreak}.
 */
export function rankCandidates(
  entries: readonly IndexedModel[],
  tag: AutoTag,
  mode: SelectionMode,
): RankedCandidate[] {
  const scores = entries.map((e) => tagScore(e, tag));
  let balances: number[] = entries.map(() => 0);
  if (mode === "balanced" && entries.length > 0) {
    const lo = Math.min(...scores);
    const hi = Math.max(...scores);
    const logs = entries.map((e) => (e.price === null ? null : Math.log10(1 + e.price)));
    const known = logs.filter((l): l is number => l !== null);
    const plo = known.length ? Math.min(...known) : 0;
    const phi = known.length ? Math.max(...known) : 0;
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
        ? (a: RankedCandidate, b: RankedCandidate) => b.balance - a.balance || tieBreak(a.entry, b.entry)
        : (a: RankedCandidate, b: RankedCandidate) => b.score - a.score || tieBreak(a.entry, b.entry);
  return ranked.sort(cmp);
}

/** Which rule separated `winner` from `runnerUp` under `mode`, in words (for `reasons`). */
export function decidingRule(
  winner: RankedCandidate,
  runnerUp: RankedCandidate,
  mode: SelectionMode,
): string {
  const w = winner.entry;
  const r = runnerUp.entry;
  if (mode === "economical" && priceOrder(w, r) !== 0) return "cheaper";
  if (mode === "balanced" && winner.balance !== runnerUp.balance)
    return "better balance of capability and price";
  if (mode !== "balanced" && winner.score !== runnerUp.score) return "higher capability score";
  if (w.releaseKey !== r.releaseKey) return "tie broken by newer release date";
  if (w.providerDefault !== r.providerDefault) return "tie broken by provider default model";
  return "tie broken by lexical id";
}
