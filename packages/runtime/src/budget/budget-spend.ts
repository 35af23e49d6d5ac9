import type { OrchestratorConfig } from "@orchestra/config";
import type { JobTokens } from "../journal/job-record.js";

/** One profile's budget, as the config states it (`budgets.<profile>`). */
export type Budget = OrchestratorConfig["budgets"][string];

/** Which limit of a budget: dollars or tokens. */
export type BudgetLimit = "maxCostUsd" | "maxTokens";

/** What has been spent in a budget's scope. */
export interface Spend {
  /** USD of the known costs (a job whose price is unknown adds none: `orchestra doctor` warns). */
  cost: number;
  /** All five kinds of tokens. */
  tokens: number;
}

/** The sum of the five token counts. */
export function tokenCount(t: JobTokens | null): number {
  return t === null ? 0 : t.input + t.output + t.reasoning + t.cacheRead + t.cacheWrite;
}

/** Where a job's scope is: the worker, the orchestrator session, or the job itself. */
export interface ScopeOf {
  profile: string;
  worker: string;
  /** The worker's session: with the id, one worker instance (a respawned id starts a new life). */
  session: string | null;
  callerSession: string | null;
}

/** The limits of `budget` with their spend and max, dollars first. */
export function limitsOf(budget: Budget, spend: Spend): { limit: BudgetLimit; spent: number; max: number }[] {
  const out: { limit: BudgetLimit; spent: number; max: number }[] = [];
  if (budget.maxCostUsd !== undefined)
    out.push({ limit: "maxCostUsd", spent: spend.cost, max: budget.maxCostUsd });
  if (budget.maxTokens !== undefined)
    out.push({ limit: "maxTokens", spent: spend.tokens, max: budget.maxTokens });
  return out;
}

/** `$1.2300` or `12345 tokens`. */
export function formatAmount(limit: BudgetLimit, value: number): string {
  return limit === "maxCostUsd" ? `$${value.toFixed(4)}` : `${Math.round(value)} tokens`;
}

/** `worker coder-1`, `orchestrator session ses_…`, `job job-…`. */
export function describeScope(budget: Budget, of: ScopeOf, jobId?: string): string {
  if (budget.scope === "worker") return `worker ${of.worker} (over its life, since its spawn)`;
  if (budget.scope === "session")
    return `the ${of.profile} workers of orchestrator session ${of.callerSession ?? "(none: CLI asks)"}`;
  return `job ${jobId ?? "(this ask)"}`;
}
