import type { BudgetGuard } from "../budget/budget-guard.js";
import type { PriceLookup } from "./pricing.js";

/** What the ledger adds to every job an orchestrator runs (see `runJob`). */
export interface JobLedger {
  /** The catalog's prices, for a model OpenCode reports no cost for (`undefined` until the catalog is read). */
  prices?: () => PriceLookup | undefined;
  /** The profiles' budgets. */
  budgets?: BudgetGuard;
}
