import { OrchestraError } from "@orchestra/core";
import type { JobRecord } from "../journal/job-record.js";
import { stepTokens } from "../journal/job-usage.js";
import type { JobJournal, JobUsage } from "../journal/journal.js";
import { type PriceLookup, priceUsage } from "../ledger/pricing.js";
import { RuntimeError } from "../runtime-error.js";
import type { SessionEvent } from "../workers/ask-watch.js";
import { cancelTurn } from "../workers/cancel.js";
import type { Worker } from "../workers/worker.js";
import {
  type Budget,
  type BudgetLimit,
  describeScope,
  formatAmount,
  limitsOf,
  type ScopeOf,
  type Spend,
  tokenCount,
} from "./budget-spend.js";
import { unpricedBudgetWarning } from "./unpriced.js";

/**
 * A budget warning: `spend`, a job's spending reached its budget's warning fraction (`warnAt`);
 * `unpriced`, a worker started with a dollar budget over a model whose prices are unknown.
 */
export type BudgetWarning =
  | {
      kind: "spend";
      profile: string;
      worker: string;
      jobId: string;
      scope: Budget["scope"];
      limit: BudgetLimit;
      spent: number;
      max: number;
      /** One line for people: which budget, how much of it is spent. */
      message: string;
    }
  | { kind: "unpriced"; profile: string; worker: string; model: string; message: string };

/** Options of {@link BudgetGuard}. */
export interface BudgetGuardOptions {
  /** The budgets by profile id (`budgets` of the config). */
  budgets: () => Readonly<Record<string, Budget>>;
  /** The job journal the spends are read from. */
  journal: () => JobJournal;
  /** The catalog's prices, when the catalog has been read (for a model OpenCode reports no cost for). */
  prices?: () => PriceLookup | undefined;
  /** Told about each warning (a toast and an activity-log line in the plugin). Never fails an ask. */
  onWarning?: (warning: BudgetWarning) => void;
}

/** One job under a budget: feed it the worker's events, then settle the ask's outcome. */
export interface BudgetWatch {
  /** Every event of the worker's server while the job runs. */
  onEvent(event: SessionEvent): void;
  /**
   * The job's final usage (OpenCode's, priced): warns if a fraction was reached at the end. Returns
   * `BUDGET_EXCEEDED` when the budget cancelled the job although the ask still answered (OpenCode
   * may follow the aborted turn with a step of its own): a job past its budget never ends done.
   */
  finish(usage: JobUsage): unknown;
  /**
   * The ask's error, or `BUDGET_EXCEEDED` when the budget cancelled the job. With the job's final
   * `usage` (what the journal records), the message says what the job spent by its end, which can
   * be more than the spend that triggered the cancel (a step already under way when it landed).
   */
  error(error: unknown, usage?: JobUsage): unknown;
  /** Notes for the tool's output (a warning, a job that went past its budget at its end). */
  notes(): string[];
}

/** The fields of an assistant `message.updated` the live spend is read from. */
interface AssistantMessage {
  id?: string;
  sessionID?: string;
  role?: string;
  cost?: number;
  providerID?: string;
  modelID?: string;
  time?: { created?: number };
  tokens?: { input?: number; output?: number; reasoning?: number; cache?: { read?: number; write?: number } };
}

/** How to raise a budget, for hints. */
function raiseHints(profile: string, budget: Budget, limit: BudgetLimit, max: number): string[] {
  const hints = [
    `raise budgets.${profile}.${limit} in orchestrator.json (now ${limit === "maxCostUsd" ? max : Math.round(max)})`,
  ];
  if (budget.scope === "worker")
    hints.push("or stop the worker and spawn a new one: a worker budget is over its life");
  if (budget.scope === "session")
    hints.push("or start a new orchestrator session: a session budget is per session");
  hints.push("see what was spent with `orchestra usage --by worker` or the usage tool");
  return hints;
}

/**
 * Enforces the profiles' budgets (`budgets` of the config) on the jobs of one orchestrator: an ask
 * is refused when its budget is already reached; while a job runs, the worker's `message.updated`
 * events (assistant messages carry tokens and cost as steps finish) say what it spends; past the
 * warning fraction it warns once per scope; strictly past the budget it cancels the job as a
 * cancel would (`session.abort`), and the ask fails with `BUDGET_EXCEEDED`. Reaching a budget
 * exactly is not past it.
 */
export class BudgetGuard {
  readonly #options: BudgetGuardOptions;
  /** Scopes already warned about, so each warns once. */
  readonly #warned = new Set<string>();

  constructor(options: BudgetGuardOptions) {
    this.#options = options;
  }

  /** The budget of a profile, if it has one. */
  budgetOf(profile: string): Budget | undefined {
    return Object.hasOwn(this.#options.budgets(), profile) ? this.#options.budgets()[profile] : undefined;
  }

  /** What was spent in a budget's scope before `exceptJob` (ended jobs only). */
  spent(budget: Budget, of: ScopeOf, exceptJob?: string): Spend {
    if (budget.scope === "job") return { cost: 0, tokens: 0 };
    return this.#options
      .journal()
      .spend(
        budget.scope === "worker"
          ? { worker: of.worker, session: of.session }
          : { profile: of.profile, callerSession: of.callerSession },
        exceptJob,
      );
  }

  /**
   * Refuse an ask whose budget is already reached.
   * @throws {RuntimeError} `BUDGET_EXCEEDED` naming the budget, what was spent and how to raise it.
   */
  admit(
    worker: Pick<Worker, "id"> & { info: { profile: string; sessionId: string } },
    callerSession?: string,
  ): void {
    const profile = worker.info.profile;
    const budget = this.budgetOf(profile);
    if (budget === undefined || budget.scope === "job") return;
    const of = {
      profile,
      worker: worker.id,
      session: worker.info.sessionId,
      callerSession: callerSession ?? null,
    };
    for (const { limit, spent, max } of limitsOf(budget, this.spent(budget, of))) {
      if (spent < max) continue;
      throw new RuntimeError(
        "BUDGET_EXCEEDED",
        `the ask was refused: the budget of profile "${profile}" is reached — ${describeScope(budget, of)} spent ${formatAmount(limit, spent)} of budgets.${profile}.${limit} ${formatAmount(limit, max)}`,
        { hints: raiseHints(profile, budget, limit, max) },
      );
    }
  }

  /**
   * A worker that started: warn when its profile has a dollar budget and its model's prices are
   * unknown (see {@link unpricedBudgetWarning}).
   */
  checkSpawned(info: { id: string; profile: string; model: string }): BudgetWarning | undefined {
    const message = unpricedBudgetWarning(
      info.profile,
      this.budgetOf(info.profile),
      info.model,
      this.#options.prices?.(),
    );
    if (message === undefined) return undefined;
    const warning: BudgetWarning = {
      kind: "unpriced",
      profile: info.profile,
      worker: info.id,
      model: info.model,
      message,
    };
    try {
      this.#options.onWarning?.(warning);
    } catch {
      // A failing listener never fails a spawn.
    }
    return warning;
  }

  /** Watch a job of `worker` under its profile's budget (`undefined` when it has none). */
  watch(job: JobRecord, worker: Worker): BudgetWatch | undefined {
    const profile = job.profile;
    const budget = this.budgetOf(profile);
    if (budget === undefined) return undefined;
    const of: ScopeOf = {
      profile,
      worker: job.worker,
      session: job.session,
      callerSession: job.callerSession,
    };
    const before = this.spent(budget, of, job.id);
    const prices = this.#options.prices?.();
    const sessionID = worker.info.sessionId;
    /** The worker's session and the child sessions of the job's subagents. */
    const sessions = new Set([sessionID]);
    /** The job's assistant messages so far, by id: their priced usage. */
    const live = new Map<string, { cost: number; tokens: number }>();
    const notes: string[] = [];
    let exceeded: { limit: BudgetLimit; spent: number; max: number } | undefined;
    let cancelled = false;

    /** The note of a job that went past its budget but ended before the cancel reached it. */
    const endedPast = () => {
      const { limit, spent, max } = exceeded as { limit: BudgetLimit; spent: number; max: number };
      // A job budget is per ask: the next ask starts anew; a worker or session budget stays reached.
      const next =
        budget.scope === "job"
          ? "a job budget is per ask, so the next ask starts anew"
          : "the next ask is refused (BUDGET_EXCEEDED)";
      return `budget exceeded at the end of the job: ${describeScope(budget, of, job.id)} spent ${formatAmount(limit, spent)} of budgets.${profile}.${limit} ${formatAmount(limit, max)}; ${next}`;
    };
    const check = (current: Spend, final: boolean) => {
      const total = { cost: before.cost + current.cost, tokens: before.tokens + current.tokens };
      for (const { limit, spent, max } of limitsOf(budget, total)) {
        const key = `${profile}|${budget.scope}|${budget.scope === "worker" ? `${of.worker}|${of.session}` : budget.scope === "session" ? of.callerSession : job.id}|${limit}`;
        if (spent >= budget.warnAt * max && !this.#warned.has(key)) {
          this.#warned.add(key);
          const message = `budget warning: ${describeScope(budget, of, job.id)} spent ${formatAmount(limit, spent)} of budgets.${profile}.${limit} ${formatAmount(limit, max)} (${Math.round((spent / max) * 100)}%, warnAt ${budget.warnAt})`;
          notes.push(message);
          try {
            this.#options.onWarning?.({
              kind: "spend",
              profile,
              worker: of.worker,
              jobId: job.id,
              scope: budget.scope,
              limit,
              spent,
              max,
              message,
            });
          } catch {
            // A failing listener never fails the ask.
          }
        }
        if (spent > max && exceeded === undefined) {
          exceeded = { limit, spent, max };
          if (final) notes.push(endedPast());
          else {
            cancelled = true;
            void cancelTurn(
              { workerId: job.worker, client: worker.client, sessionId: sessionID, jobId: job.id },
              { busy: true },
            ).catch(() => undefined);
          }
        }
      }
    };

    return {
      onEvent(event) {
        if (exceeded !== undefined) return;
        if (event.type === "session.created" || event.type === "session.updated") {
          // A `task` subagent of the job runs in a child session (at any depth): its spend counts.
          const session = event.properties.info as { id?: string; parentID?: string } | undefined;
          if (session?.id && session.parentID && sessions.has(session.parentID)) sessions.add(session.id);
          return;
        }
        if (event.type !== "message.updated") return;
        const info = event.properties.info as AssistantMessage | undefined;
        if (info?.role !== "assistant" || !sessions.has(info.sessionID ?? "") || info.id === undefined)
          return;
        if ((info.time?.created ?? 0) < job.startedAt) return;
        const tokens = stepTokens(info);
        const model = info.providerID && info.modelID ? `${info.providerID}/${info.modelID}` : null;
        const priced = priceUsage({ tokens, cost: info.cost ?? 0, costSource: "opencode", model }, prices);
        live.set(info.id, { cost: priced.cost ?? 0, tokens: tokenCount(tokens) });
        let cost = 0;
        let count = 0;
        for (const m of live.values()) {
          cost += m.cost;
          count += m.tokens;
        }
        check({ cost, tokens: count }, false);
      },
      finish(usage) {
        // The budget cancelled the turn, yet the ask answered (OpenCode went on after the abort).
        if (cancelled && exceeded !== undefined) return this.error(abortedByBudget(job.id), usage);
        // The job answered although its spend went past the budget (the cancel came too late).
        if (exceeded !== undefined) {
          notes.push(endedPast());
          return undefined;
        }
        check({ cost: usage.cost ?? 0, tokens: tokenCount(usage.tokens) }, true);
        return undefined;
      },
      error(error, usage) {
        if (!cancelled || exceeded === undefined) return error;
        const code = OrchestraError.isInstance(error) ? error.code : undefined;
        if (code !== "JOB_CANCELLED" && code !== "WORKER_ASK_FAILED") return error;
        const { limit, max } = exceeded;
        let spent = exceeded.spent;
        if (usage !== undefined) {
          const atEnd = limit === "maxCostUsd" ? usage.cost : tokenCount(usage.tokens);
          const base = limit === "maxCostUsd" ? before.cost : before.tokens;
          // The record is the truth; an unknown final usage keeps the spend the watch saw.
          if (atEnd !== null) spent = Math.max(spent, base + atEnd);
        }
        return new RuntimeError(
          "BUDGET_EXCEEDED",
          `job ${job.id} of worker ${job.worker} was cancelled: it went past the budget of profile "${profile}" — ${describeScope(budget, of, job.id)} spent ${formatAmount(limit, spent)} of budgets.${profile}.${limit} ${formatAmount(limit, max)}`,
          { cause: error, hints: raiseHints(profile, budget, limit, max) },
        );
      },
      notes: () => [...notes],
    };
  }
}

/** What a budget cancel that the worker's answer overtook counts as: the job's cancel. */
function abortedByBudget(jobId: string): RuntimeError {
  return new RuntimeError("JOB_CANCELLED", `job ${jobId} was cancelled by its budget`);
}
