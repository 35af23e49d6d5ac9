import type { PriceLookup } from "../ledger/pricing.js";
import type { Budget } from "./budget-spend.js";

/**
 * The warning for a dollar budget over a model whose prices are unknown (a configuration problem
 * `orchestra doctor` and a spawn report, never a silent pass): its spending counts as unknown, so
 * `maxCostUsd` cannot hold it. `undefined` when the budget has no `maxCostUsd` or the prices are known.
 */
export function unpricedBudgetWarning(
  profile: string,
  budget: Budget | undefined,
  model: string,
  prices: PriceLookup | undefined,
): string | undefined {
  if (budget?.maxCostUsd === undefined) return undefined;
  if (prices?.(model)) return undefined;
  return `budgets.${profile}.maxCostUsd ($${budget.maxCostUsd}) cannot hold: the model ${model} of profile "${profile}" has unknown prices (the catalog states none), so its cost is unknown, never counted as 0; give the profile a maxTokens budget too, or a model with known prices`;
}
