import { closeLimit, editDistance } from "@orchestra/core";
import type { Requirements } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";
import { type ResolverContext, usable } from "./context.js";

/** Options of {@link suggest}. */
export interface SuggestOptions {
  /** Rank this provider's models first among equally close ones, and fill from it first. */
  readonly preferProvider?: string;
  /** When fewer than 3 close matches exist, add the most capable usable models. */
  readonly fillWithBest?: boolean;
  /** At most this many (default 5). */
  readonly limit?: number;
}

const byRef = (a: IndexedModel, b: IndexedModel): number => (a.ref < b.ref ? -1 : 1);

/**
 * Real, usable refs close to `target`: same model id under connected providers first, then close
 * names (edit distance on the model id and on the full ref), then — if `fillWithBest` — the most
 * capable usable models of `preferProvider`. Never returns `exclude` or `target`.
 */
export function suggest(
  ctx: ResolverContext,
  target: string,
  req: Requirements,
  exclude: string,
  opts: SuggestOptions = {},
): string[] {
  const limit = opts.limit ?? 5;
  const out: string[] = [];
  const add = (ref: string) => {
    if (ref !== exclude && ref !== target && !out.includes(ref) && out.length < limit) out.push(ref);
  };
  for (const e of sameModelId(ctx, target, req)) add(e.ref);
  for (const e of closeNames(ctx, target, req, opts.preferProvider)) add(e.ref);
  if (opts.fillWithBest === true && out.length < 3) {
    for (const e of bestUsable(ctx, req, opts.preferProvider)) {
      if (out.length >= 3) break;
      add(e.ref);
    }
  }
  return out;
}

/** Usable models whose id is the model part of `target` (or the whole of it: ids may contain `/`). */
function sameModelId(ctx: ResolverContext, target: string, req: Requirements): IndexedModel[] {
  const slash = target.indexOf("/");
  const modelPart = slash > 0 ? target.slice(slash + 1) : target;
  const out = ctx.index.withModelId(modelPart).filter((e) => usable(ctx, e, req));
  if (modelPart !== target) out.push(...ctx.index.withModelId(target).filter((e) => usable(ctx, e, req)));
  return out;
}

/**
 * Usable connected models within edit distance of `target` (the full ref) or of its model part (half
 * a point worse), closest first, then `preferProvider`'s, then the most capable, then lexical.
 */
function closeNames(
  ctx: ResolverContext,
  target: string,
  req: Requirements,
  preferProvider: string | undefined,
): IndexedModel[] {
  const slash = target.indexOf("/");
  const t = target.toLowerCase();
  const m = (slash > 0 ? target.slice(slash + 1) : target).toLowerCase();
  const maxT = closeLimit(t.length);
  const maxM = closeLimit(m.length);
  const scored: [number, IndexedModel][] = [];
  for (const e of ctx.index.connectedModels) {
    const dRef = editDistance(t, e.ref.toLowerCase(), maxT);
    const dId = editDistance(m, e.model.id.toLowerCase(), maxM);
    const d = Math.min(
      dRef <= maxT ? dRef : Number.POSITIVE_INFINITY,
      dId <= maxM ? dId + 0.5 : Number.POSITIVE_INFINITY,
    );
    if (d !== Number.POSITIVE_INFINITY && usable(ctx, e, req)) scored.push([d, e]);
  }
  const sameProvider = (e: IndexedModel) =>
    preferProvider !== undefined && e.model.providerId === preferProvider ? 0 : 1;
  scored.sort(
    (a, b) =>
      a[0] - b[0] || sameProvider(a[1]) - sameProvider(b[1]) || b[1].score - a[1].score || byRef(a[1], b[1]),
  );
  return scored.map(([, e]) => e);
}

/** The most capable usable models: `preferProvider`'s first, then every connected provider's. */
function bestUsable(
  ctx: ResolverContext,
  req: Requirements,
  preferProvider: string | undefined,
): IndexedModel[] {
  const pool = (preferProvider === undefined ? [] : ctx.index.modelsOf(preferProvider)).filter((e) =>
    usable(ctx, e, req),
  );
  const rest = ctx.index.connectedModels.filter((e) => usable(ctx, e, req));
  const best = (list: IndexedModel[]) => list.sort((a, b) => b.score - a.score || byRef(a, b));
  return [...best(pool), ...best(rest)];
}
