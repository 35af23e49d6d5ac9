import { type AutoTag, type Resolution, type Resolver, tagScore } from "@orchestra/resolver";

/** One ranked candidate of `orchestra resolve --explain`. */
interface ExplainedCandidate {
  /** 1 is the chosen model. */
  rank: number;
  model: string;
  /** The quality the tag ranked it by (the resolver's `tagScore`). */
  score: number;
  /** Input + output price in USD per 1M tokens, `null` when unknown. */
  pricePer1M: number | null;
  /** Why it won (rank 1) or lost, as the resolver says it. */
  signal: string;
}

/** What `--explain` adds to the answer. */
interface Explanation {
  /** The tag that ranked candidates, when one did. */
  tag: AutoTag | null;
  /** The selection mode the tag ranked by. */
  mode: string | null;
  /** The top candidates (at most five), best first; empty when nothing was ranked. */
  candidates: ExplainedCandidate[];
  /** What decided the pick: the winner's signal, or why nothing was ranked. */
  decidingSignal: string;
}

/** At most this many candidates. */
const TOP = 5;

/**
 * The top five candidates of an auto-tag answer with their scores and the deciding signal, read from
 * the resolution (`reasons`, `rejected`) and the resolver's `tagScore`, so it says what the resolver did.
 */
export function explainResolution(resolver: Resolver, res: Resolution, mode: string): Explanation {
  const tag = res.tag;
  const sessionDefault = res.reasons.some(
    (r) => r.includes("the session default model") && r.endsWith("is usable"),
  );
  if (tag === undefined || sessionDefault) {
    const why =
      tag !== undefined
        ? `no ranking: ${res.input} is the session default model`
        : res.provenance === "alias"
          ? `no ranking: alias — ${res.reasons[0] ?? ""}`
          : `no ranking: explicit reference "${res.input}"`;
    return { tag: tag ?? null, mode: null, candidates: [], decidingSignal: why };
  }
  const tagMode = tag === "auto:cheap" ? "economical" : mode;
  const row = (rank: number, model: string, signal: string): ExplainedCandidate => {
    const e = resolver.index.get(model);
    return {
      rank,
      model,
      score: e === undefined ? 0 : tagScore(e, tag),
      pricePer1M: e?.price ?? null,
      signal,
    };
  };
  const beat = res.reasons.find((r) => r.startsWith("beat "));
  const won = beat === undefined ? "the only qualifying candidate" : `chosen: ${beat}`;
  const candidates = [row(1, res.model, won)];
  for (const r of res.rejected) {
    if (candidates.length >= TOP || !r.reason.startsWith("ranked ")) break;
    candidates.push(row(candidates.length + 1, r.model, r.reason));
  }
  return { tag, mode: tagMode, candidates, decidingSignal: won };
}

/** The explanation for humans: a header and one line per candidate. */
export function formatExplanation(x: Explanation): string {
  if (x.candidates.length === 0) return `${x.decidingSignal}\n`;
  const width = Math.max(...x.candidates.map((c) => c.model.length));
  const lines = [`top ${x.candidates.length} candidates (${x.tag}, mode ${x.mode}):`];
  for (const c of x.candidates) {
    const price =
      c.pricePer1M === null ? "price unknown" : `$${Number(c.pricePer1M.toPrecision(6))}/1M in+out`;
    lines.push(`  ${c.rank}. ${c.model.padEnd(width)}  score ${c.score}  ${price}  ${c.signal}`);
  }
  return `${lines.join("\n")}\n`;
}
