import type { OrchestratorConfig } from "@orchestra/config";
import type { ProfileRegistry } from "@orchestra/profiles";
import { buildCatalogIndex } from "@orchestra/resolver";
import { catalogPrices, unpricedBudgetWarning } from "@orchestra/runtime";
import { type CheckResult, checkResult, plural } from "./check.js";
import { type ProfileModel, usableCatalog } from "./profile-models.js";
import type { ServerFacts } from "./server-access.js";

/**
 * `budgets`: every `budgets.<profile>` names a profile, and a dollar budget (`maxCostUsd`) is over
 * a model whose prices the catalog knows (else its cost is unknown and the budget cannot hold it:
 * `warn`, never a silent pass). The prices are checked against `--server`'s catalog; without one
 * the check says they were not.
 */
export function checkBudgets(
  config: OrchestratorConfig | undefined,
  registry: ProfileRegistry,
  server: ServerFacts | undefined,
  models: readonly ProfileModel[],
): CheckResult {
  const budgets = Object.entries(config?.budgets ?? {});
  if (budgets.length === 0) return checkResult("budgets", "pass", "no budgets set");
  const problems: string[] = [];
  const known = new Set(registry.list().map((e) => e.id));
  for (const [profile] of budgets)
    if (!known.has(profile))
      problems.push(`budgets.${profile} names no profile (profiles: ${[...known].sort().join(", ")})`);
  const dollars = budgets.filter(([, b]) => b.maxCostUsd !== undefined);
  let checked = "";
  if (dollars.length > 0) {
    if (server === undefined || !server.catalog.ok) {
      checked =
        "; the models' prices were not checked: give --server URL (a running opencode serve) to check them";
    } else {
      const index = buildCatalogIndex(
        usableCatalog(server.catalog.catalog, {
          ...(config === undefined ? {} : { config }),
          ...(server.defaultModel === undefined ? {} : { defaultModel: server.defaultModel }),
        }),
        config === undefined ? {} : { capabilityOverrides: config.capabilityOverrides },
      );
      const prices = catalogPrices(index);
      for (const [profile, budget] of dollars) {
        const model = models.find((m) => m.id === profile);
        if (model === undefined || !model.ok) continue;
        const warning = unpricedBudgetWarning(profile, budget, model.resolution.model, prices);
        if (warning !== undefined) problems.push(warning);
      }
    }
  }
  if (problems.length === 0)
    return checkResult("budgets", "pass", `${plural(budgets.length, "budget")} set${checked}`);
  return checkResult(
    "budgets",
    "warn",
    problems.join("\n"),
    "fix budgets in orchestrator.json: name an existing profile; for a model with unknown prices, add maxTokens to the budget or choose a model with known prices",
  );
}
