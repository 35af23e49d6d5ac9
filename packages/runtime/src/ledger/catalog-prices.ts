import type { CatalogIndex } from "@orchestra/resolver";
import type { PriceLookup } from "./pricing.js";

/**
 * The prices of the resolver's catalog by `provider/model`: the catalog's cost when the price is
 * known (a model priced at 0 only when it is known to be free), else `null` (unknown).
 */
export function catalogPrices(index: Pick<CatalogIndex, "get">): PriceLookup {
  return (model) => {
    const entry = index.get(model);
    if (entry === undefined || entry.price === null || entry.model.cost === null) return null;
    return entry.model.cost;
  };
}
