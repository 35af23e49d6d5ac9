import type { IndexedModel } from "./catalog-index.js";
import { type ResolverContext, resolvedCost } from "./context.js";
import { mergeRequirements, unmetRequirements } from "./requirements.js";
import type { ModelFilter, ModelSummary } from "./resolution.js";

const byRef = (a: IndexedModel, b: IndexedModel): number => (a.ref < b.ref ? -1 : 1);

/** Price order: cheapest first, unknown last. */
function byPrice(a: IndexedModel, b: IndexedModel): number {
  if (a.price === null) return b.price === null ? 0 : 1;
  return b.price === null ? -1 : a.price - b.price;
}

/** The models of the index that pass `filter`, sorted and summarised (`Resolver.listModels`). */
export function listModels(ctx: ResolverContext, filter: ModelFilter = {}): ModelSummary[] {
  const { index } = ctx;
  const req = mergeRequirements({ chat: true }, filter.require);
  const base = filter.connectedOnly === false ? index.models : index.connectedModels;
  const cap = filter.maxCostPer1kTokens;
  const rows = base.filter(
    (e) =>
      (filter.provider === undefined || e.model.providerId === filter.provider) &&
      (filter.includeDeprecated === true || !e.deprecated) &&
      unmetRequirements(e, req).length === 0 &&
      (cap === undefined || (e.model.cost !== null && e.model.cost.input / 1000 <= cap + 1e-12)),
  );
  const sort = filter.sort ?? "score";
  rows.sort((a, b) =>
    sort === "ref"
      ? byRef(a, b)
      : sort === "price"
        ? byPrice(a, b) || byRef(a, b)
        : b.score - a.score || byRef(a, b),
  );
  return rows.slice(0, filter.limit ?? rows.length).map((e) => ({
    model: e.ref,
    name: e.model.name,
    providerId: e.model.providerId,
    connected: e.connected,
    deprecated: e.deprecated,
    capabilities: e.capabilities,
    cost: resolvedCost(e.model.cost),
    score: e.score,
    releaseDate: e.model.releaseDate,
  }));
}
