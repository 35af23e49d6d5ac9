// Auto tags (`auto`, `auto:vision`, …): filter the connected models, apply the preferred providers,
// rank, and explain the winner and the losers. Each step is one function below.
import { AUTO_TAG_SPECS, type AutoTag, type AutoTagSpec, type Requirements } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";
import {
  budgetProblem,
  describeCaps,
  failWith,
  freezeResolution,
  LOAD_CATALOG_HINT,
  type Outcome,
  ordinal,
  type ResolverContext,
  resolvedCost,
  usd,
} from "./context.js";
import { autoExclusion } from "./eligibility.js";
import { resolveBare, resolveExplicit } from "./explicit.js";
import { decidingRule, type RankedCandidate, rankCandidates, type SelectionMode } from "./ranking.js";
import { classifyReference } from "./reference.js";
import { requirementsKey, tokens, unmetRequirements } from "./requirements.js";
import type { RejectedCandidate } from "./resolution.js";
import { modelWarnings } from "./warnings.js";

/** Resolve an auto tag, memoised per resolver by tag and requirements (`written` only labels failures). */
export function resolveTag(ctx: ResolverContext, tag: AutoTag, written: string, req: Requirements): Outcome {
  const key = `${tag}|${requirementsKey(req)}`;
  const hit = ctx.tagAnswers.get(key);
  if (hit !== undefined) {
    return hit.ok || hit.failure.options.input === written
      ? hit
      : { ok: false, failure: { ...hit.failure, options: { ...hit.failure.options, input: written } } };
  }
  const out = rankTag(ctx, tag, written, req);
  ctx.tagAnswers.set(key, out);
  return out;
}

/** A model filtered out before ranking, and why. */
interface Filtered {
  readonly entry: IndexedModel;
  readonly reason: string;
}

/** The connected models split by the hard filters. */
interface Partition {
  /** Current, capable, within the cap. */
  readonly qualified: IndexedModel[];
  /** Everything else, with the reason. */
  readonly filtered: Filtered[];
  /** How many were filtered only by the cap. */
  readonly overBudget: number;
}

/** The pool after `preferredProviders`, and what that step says. */
interface Preference {
  readonly pool: IndexedModel[];
  /** The preferred provider the pool comes from, if one qualified. */
  readonly from: string | undefined;
  /** The reason line, when providers are preferred at all. */
  readonly reason: string | undefined;
}

function rankTag(ctx: ResolverContext, tag: AutoTag, written: string, req: Requirements): Outcome {
  const spec = AUTO_TAG_SPECS[tag];
  const unavailable = catalogProblem(ctx, written);
  if (unavailable !== undefined) return unavailable;

  const reasons: string[] = [];
  if (tag === "auto" && ctx.config.defaultModel !== undefined) {
    const chosen = sessionDefault(ctx, ctx.config.defaultModel, tag, written, req, reasons);
    if (chosen !== undefined) return chosen;
  }

  let partition = partitionCandidates(ctx, tag, req);
  let tagMode: SelectionMode = spec.ranking === "cheap" ? "economical" : ctx.mode;
  const extraWarnings: string[] = [];
  if (tag === "auto:fast" && partition.qualified.length === 0) {
    // No small model connected: the cheapest qualifying model is the quickest there is; say so.
    const relaxed = partitionCandidates(ctx, tag, req, true);
    if (relaxed.qualified.length > 0) {
      partition = relaxed;
      tagMode = "economical";
      extraWarnings.push("no small model is connected: auto:fast took the cheapest qualifying model");
    }
  }
  reasons.push(consideredLine(ctx, spec, written, partition.qualified.length));
  if (extraWarnings.length > 0)
    reasons.push("no small model (tier ≤ $1/1M input) qualifies; ranking every qualifying model by price");
  if (partition.qualified.length === 0) return nothingQualifies(ctx, written, req, partition);

  const preference = applyPreferredProviders(ctx, partition.qualified);
  if (preference.reason !== undefined) reasons.push(preference.reason);

  const ranked = rankCandidates(preference.pool, tag, tagMode);
  const winner = ranked[0] as RankedCandidate;
  reasons.push(...winnerReasons(ctx, spec, tag, tagMode, ranked));

  const notPreferred =
    preference.from === undefined
      ? []
      : partition.qualified.filter((e) => e.model.providerId !== preference.from);
  const w = winner.entry;
  return {
    ok: true,
    resolution: freezeResolution({
      model: w.ref,
      providerId: w.model.providerId,
      modelId: w.model.id,
      provenance: "auto-tag",
      input: written,
      tag,
      capabilities: w.capabilities,
      cost: resolvedCost(w.model.cost),
      status: w.model.status,
      releaseDate: w.model.releaseDate,
      reasons,
      warnings: [...extraWarnings, ...modelWarnings(w, ctx.index.connected)],
      rejected: rejectedCandidates(ctx, ranked, tagMode, notPreferred, preference.from, partition.filtered),
      rejectedTotal: ranked.length - 1 + notPreferred.length + partition.filtered.length,
      attempts: [],
    }),
  };
}

/** An empty catalog, or no connected provider: nothing to pick from. */
function catalogProblem(ctx: ResolverContext, written: string): Outcome | undefined {
  if (ctx.index.models.length === 0) {
    return failWith(written, "RESOLVER_CATALOG_UNAVAILABLE", "The model catalog is empty.", {
      hints: [LOAD_CATALOG_HINT],
    });
  }
  if (ctx.index.connected.size === 0) {
    return failWith(
      written,
      "RESOLVER_NO_CONNECTED_PROVIDERS",
      `"${written}" picks among connected providers, and none is connected.`,
      {
        hints: ["Connect a provider (`opencode auth login`), or name a model explicitly as provider/model."],
      },
    );
  }
  return undefined;
}

/** `auto` with a session default: that model when it is usable; otherwise a reason line and `undefined`. */
function sessionDefault(
  ctx: ResolverContext,
  defaultModel: string,
  tag: AutoTag,
  written: string,
  req: Requirements,
  reasons: string[],
): Outcome | undefined {
  const def = classifyReference(defaultModel);
  const out =
    def.kind === "explicit"
      ? resolveExplicit(ctx, def.providerId, def.modelId, def.written, req)
      : def.kind === "bare"
        ? resolveBare(ctx, def.modelId, def.written, req)
        : null;
  if (out?.ok) {
    return {
      ok: true,
      resolution: freezeResolution({
        ...out.resolution,
        provenance: "auto-tag",
        input: written,
        tag,
        reasons: [
          `${written}: the session default model "${defaultModel}" is usable`,
          ...out.resolution.reasons.slice(1),
        ],
      }),
    };
  }
  reasons.push(
    `the session default model "${defaultModel}" is unusable${out && !out.ok ? ` (${out.failure.code}: ${out.failure.message})` : ""}; ranking connected models instead`,
  );
  return undefined;
}

/** Step 1: split the connected models into qualified and filtered (deprecated, incapable, over budget). */
function partitionCandidates(
  ctx: ResolverContext,
  tag: AutoTag,
  req: Requirements,
  anySize = false,
): Partition {
  const qualified: IndexedModel[] = [];
  const filtered: Filtered[] = [];
  let overBudget = 0;
  for (const e of ctx.index.connectedModels) {
    const unmet = unmetRequirements(e, req);
    if (unmet.length > 0) {
      filtered.push({ entry: e, reason: unmet.join("; ") });
      continue;
    }
    const excluded = autoExclusion(ctx, e, tag, anySize);
    if (excluded !== undefined) {
      filtered.push({ entry: e, reason: excluded });
      continue;
    }
    const budget = budgetProblem(ctx, e);
    if (budget !== null) {
      overBudget++;
      filtered.push({ entry: e, reason: `over budget: ${budget}` });
      continue;
    }
    qualified.push(e);
  }
  return { qualified, filtered, overBudget };
}

function consideredLine(ctx: ResolverContext, spec: AutoTagSpec, written: string, qualify: number): string {
  const connected = [...ctx.index.connected];
  return `${written}: ${spec.description} Considered ${ctx.index.connectedModels.length} models of ${connected.length} connected provider(s) (${connected.slice(0, 8).join(", ")}${connected.length > 8 ? ", …" : ""}); ${qualify} qualify.`;
}

/** No connected model qualifies: `RESOLVER_OVER_BUDGET` when only the cap stands in the way, else `RESOLVER_CAPABILITY_UNMET`. */
function nothingQualifies(
  ctx: ResolverContext,
  written: string,
  req: Requirements,
  { filtered, overBudget }: Partition,
): Outcome {
  const hints: string[] = [];
  const optIn = new Set<string>();
  for (const f of filtered) {
    const m = /opt-in: (modelSelection\.\w+)/.exec(f.reason);
    if (m?.[1] !== undefined && unmetRequirements(f.entry, req).length === 0) optIn.add(m[1]);
  }
  if (optIn.size > 0)
    hints.push(
      `Connected models that qualify are opt-in only: set ${[...optIn].join(" or ")} to true to allow them.`,
    );
  const unconnected = unconnectedProvidersThatQualify(ctx, req);
  if (unconnected.length > 0)
    hints.push(`Providers with qualifying models that are not connected: ${unconnected.join(", ")}.`);
  if (overBudget > 0) {
    const cheapest = filtered
      .filter((f) => f.reason.startsWith("over budget") && f.entry.model.cost !== null)
      .sort(
        (a, b) =>
          (a.entry.model.cost?.input ?? 0) - (b.entry.model.cost?.input ?? 0) ||
          (a.entry.ref < b.entry.ref ? -1 : 1),
      )[0];
    if (cheapest?.entry.model.cost) {
      hints.push(
        `The cheapest qualifying model is "${cheapest.entry.ref}" at ${usd(cheapest.entry.model.cost.input / 1000)}/1k input tokens; raise maxCostPer1kTokens to at least that.`,
      );
    }
    return failWith(
      written,
      "RESOLVER_OVER_BUDGET",
      `No connected model for "${written}" fits the cap of ${usd(ctx.cap ?? 0)}/1k input tokens (${overBudget} qualify otherwise).`,
      { hints },
    );
  }
  const needs = [
    ...Object.entries(req)
      .filter(([k, v]) => v === true && k !== "chat")
      .map(([k]) => k),
    ...(req.minContext ? [`context ≥ ${tokens(req.minContext)}`] : []),
  ];
  return failWith(
    written,
    "RESOLVER_CAPABILITY_UNMET",
    `No connected chat model meets "${written}" (needs ${needs.join(", ") || "a chat model"}).`,
    {
      hints:
        hints.length > 0 ? hints : ["Connect a provider that offers such a model, or name one explicitly."],
    },
  );
}

/** Up to 5 providers that are not connected but offer a current model meeting `req` within the cap. */
function unconnectedProvidersThatQualify(ctx: ResolverContext, req: Requirements): string[] {
  const unconnected = new Set<string>();
  for (const e of ctx.index.models) {
    if (unconnected.size >= 5) break;
    if (
      !e.connected &&
      !e.deprecated &&
      unmetRequirements(e, req).length === 0 &&
      budgetProblem(ctx, e) === null
    ) {
      unconnected.add(e.model.providerId);
    }
  }
  return [...unconnected];
}

/** Step 2: `preferredProviders`, an ordered filter with fallback to every connected provider. */
function applyPreferredProviders(ctx: ResolverContext, qualified: IndexedModel[]): Preference {
  if (ctx.preferred.length === 0) return { pool: qualified, from: undefined, reason: undefined };
  const skipped: string[] = [];
  for (const [rank, p] of ctx.preferred.entries()) {
    const inP = qualified.filter((e) => e.model.providerId === p);
    if (inP.length > 0) {
      return {
        pool: inP,
        from: p,
        reason: `preferred provider "${p}" (${ordinal(rank)} preference) has ${inP.length} qualifying model(s)${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`,
      };
    }
    skipped.push(
      ctx.index.provider(p) === undefined
        ? `"${p}" (unknown provider)`
        : !ctx.index.connected.has(p)
          ? `"${p}" (not connected)`
          : `"${p}" (no qualifying model)`,
    );
  }
  return {
    pool: qualified,
    from: undefined,
    reason: `no preferred provider qualifies (${skipped.join(", ")}); fell back to every connected provider`,
  };
}

/** Step 3: why the winner won: the mode's rule, the runner-up it beat, what it is, the cap it fits. */
function winnerReasons(
  ctx: ResolverContext,
  spec: AutoTagSpec,
  tag: AutoTag,
  tagMode: SelectionMode,
  ranked: readonly RankedCandidate[],
): string[] {
  const winner = ranked[0] as RankedCandidate;
  const w = winner.entry;
  const runner = ranked[1];
  const reasons = [
    tagMode === "economical"
      ? `mode economical${spec.ranking === "cheap" ? " (auto:cheap always ranks by price)" : ""}: cheapest input + output price${w.price === null ? " (every candidate's price is unknown)" : ` (${usd(w.price)} per 1M)`}`
      : tagMode === "balanced"
        ? `mode balanced: best 0.6 × quality + 0.4 × price (balance ${winner.balance})`
        : `mode performance: highest quality for ${tag} (${winner.score}: tier, then release, size words, capabilities)`,
  ];
  if (runner !== undefined)
    reasons.push(`beat "${runner.entry.ref}": ${decidingRule(winner, runner, tagMode, tag)}`);
  reasons.push(`chose "${w.ref}" (${describeCaps(w)})`);
  if (ctx.cap !== undefined && w.model.cost !== null) {
    reasons.push(`within the cap: input ${usd(w.model.cost.input / 1000)}/1k ≤ ${usd(ctx.cap)}/1k`);
  }
  return reasons;
}

/**
 * Step 4: the losers, capped at `maxRejected`: the ranked runners-up (at most 10), then qualifying
 * models of providers that were not preferred, then the filtered models, most capable first.
 */
function rejectedCandidates(
  ctx: ResolverContext,
  ranked: readonly RankedCandidate[],
  tagMode: SelectionMode,
  notPreferred: readonly IndexedModel[],
  preferredFrom: string | undefined,
  filtered: readonly Filtered[],
): RejectedCandidate[] {
  const { maxRejected } = ctx;
  const winner = ranked[0] as RankedCandidate;
  const rejected: RejectedCandidate[] = [];
  for (const [i, r] of ranked.slice(1).entries()) {
    if (rejected.length >= Math.min(10, maxRejected)) break;
    rejected.push({ model: r.entry.ref, reason: rankedReason(winner, r, i + 1, tagMode) });
  }
  for (const e of [...notPreferred].sort((a, b) => b.score - a.score || (a.ref < b.ref ? -1 : 1))) {
    if (rejected.length >= maxRejected) break;
    rejected.push({ model: e.ref, reason: `qualifies, but provider "${preferredFrom}" is preferred` });
  }
  const byScore = [...filtered].sort(
    (a, b) => b.entry.score - a.entry.score || (a.entry.ref < b.entry.ref ? -1 : 1),
  );
  for (const f of byScore) {
    if (rejected.length >= maxRejected) break;
    rejected.push({ model: f.entry.ref, reason: f.reason });
  }
  return rejected;
}

/** Why the candidate ranked `place`-th (0 is the winner) under the mode. */
function rankedReason(
  winner: RankedCandidate,
  r: RankedCandidate,
  place: number,
  tagMode: SelectionMode,
): string {
  const at = `ranked ${ordinal(place)}`;
  if (tagMode === "economical")
    return `${at}: ${r.entry.price === null ? "price unknown (ranks last)" : `${usd(r.entry.price)} per 1M in+out`}`;
  if (tagMode === "balanced") return `${at}: balance ${r.balance} < ${winner.balance}`;
  return `${at}: score ${r.score} vs ${winner.score}${r.score === winner.score ? ` (${decidingRule(winner, r, tagMode)})` : ""}`;
}
