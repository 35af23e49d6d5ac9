// Which provider a bare model id (`claude-sonnet-4-5`, no `provider/`) means.
import type { CatalogIndex, IndexedModel } from "./catalog-index.js";
import { firstPartyProviders } from "./first-party.js";

/** What a bare id names: one catalog entry and why, or the providers it could mean. */
type BareChoice =
  | {
      /** The entry meant (maybe unconnected, when it is the only one in the catalog). */
      readonly entry: IndexedModel;
      /** Why this one, for `reasons`. */
      readonly why: string;
    }
  | {
      /** No single entry: the connected offers when some are connected, else every offer (maybe none). */
      readonly candidates: readonly IndexedModel[];
    };

/**
 * Decide which provider a bare model id means. The one connected provider that offers it; among
 * several connected ones, the first of `preferred` that offers it, else the first party (the maker's
 * own API, e.g. `anthropic` for `claude-*`) over gateways; else no choice. An id that one provider
 * offers in the whole catalog names that provider even when it is not connected (the caller reports
 * it as not connected).
 */
export function chooseBare(index: CatalogIndex, modelId: string, preferred: readonly string[]): BareChoice {
  const matches = index.withModelId(modelId);
  const connected = matches.filter((m) => m.connected);
  const only = connected.length === 1 ? connected[0] : matches.length === 1 ? matches[0] : undefined;
  if (only !== undefined) {
    const p = only.model.providerId;
    return {
      entry: only,
      why:
        matches.length === 1
          ? `"${modelId}" is a model id only "${p}" offers`
          : `"${modelId}": ${matches.length} providers offer it and only "${p}" is connected`,
    };
  }
  if (connected.length === 0) return { candidates: matches };
  const others = (p: string) =>
    connected
      .map((m) => m.model.providerId)
      .filter((x) => x !== p)
      .join(", ");
  for (const [rank, p] of preferred.entries()) {
    const e = connected.find((m) => m.model.providerId === p);
    if (e !== undefined) {
      return {
        entry: e,
        why: `"${modelId}": preferred provider "${p}" (preference ${rank + 1}) offers it; also offered by ${others(p)}`,
      };
    }
  }
  for (const p of firstPartyProviders(modelId)) {
    const e = connected.find((m) => m.model.providerId === p);
    if (e !== undefined) {
      return {
        entry: e,
        why: `"${modelId}": "${p}" is the first party; gateways offering the same id (${others(p)}) are used only when it is not connected or preferred`,
      };
    }
  }
  return { candidates: connected };
}
