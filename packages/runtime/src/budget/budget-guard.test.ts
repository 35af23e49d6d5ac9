import { afterEach, describe, expect, it } from "vitest";
import type { JobTokens } from "../journal/job-record.js";
import { type JobJournal, openJobJournal } from "../journal/journal.js";
import { RuntimeError } from "../runtime-error.js";
import type { SessionEvent } from "../workers/ask-watch.js";
import type { Worker } from "../workers/worker.js";
import { BudgetGuard, type BudgetWarning } from "./budget-guard.js";
import type { Budget } from "./budget-spend.js";
import { unpricedBudgetWarning } from "./unpriced.js";

const journals: JobJournal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
});

const TOKENS: JobTokens = { input: 100, output: 50, reasoning: 0, cacheRead: 0, cacheWrite: 0 };

function setup(budget: Budget) {
  const journal = openJobJournal({ file: ":memory:" });
  journals.push(journal);
  const warnings: BudgetWarning[] = [];
  const guard = new BudgetGuard({
    budgets: () => ({ coder: budget }),
    journal: () => journal,
    onWarning: (w) => warnings.push(w),
  });
  const worker = { id: "coder-1", info: { profile: "coder", sessionId: "ses-1" } } as unknown as Worker;
  /** A job of coder-1 that ended having cost `cost`. */
  const spend = (cost: number) => {
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    journal.finish(job.id, {
      status: "done",
      text: "ok",
      usage: { tokens: TOKENS, cost, costSource: "opencode", model: "p/m" },
    });
  };
  return { journal, guard, worker, warnings, spend };
}

const budget = (over: Partial<Budget>): Budget => ({ scope: "worker", warnAt: 0.8, ...over }) as Budget;

describe("BudgetGuard", () => {
  it("admits an ask below the budget and refuses one that would start with it reached, naming it and how to raise it", () => {
    const { guard, worker, spend } = setup(budget({ maxCostUsd: 1 }));
    spend(0.5);
    expect(() => guard.admit(worker)).not.toThrow();
    spend(0.5);
    let caught: unknown;
    try {
      guard.admit(worker);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "BUDGET_EXCEEDED" });
    expect((caught as Error).message).toContain('budget of profile "coder" is reached');
    expect((caught as Error).message).toContain("budgets.coder.maxCostUsd $1.0000");
    expect((caught as { hints: string[] }).hints[0]).toContain("raise budgets.coder.maxCostUsd");
  });

  it("a worker budget is this worker's life: a new worker spawned with the same id (a new session) starts from zero, as the hint says", () => {
    const { guard, worker, spend } = setup(budget({ maxCostUsd: 1 }));
    spend(1);
    let caught: unknown;
    try {
      guard.admit(worker);
    } catch (error) {
      caught = error;
    }
    expect((caught as { hints: string[] }).hints).toContain(
      "or stop the worker and spawn a new one: a worker budget is over its life",
    );
    const respawned = { id: "coder-1", info: { profile: "coder", sessionId: "ses-9" } } as unknown as Worker;
    expect(() => guard.admit(respawned)).not.toThrow();
  });

  it("counts tokens of all five kinds against maxTokens", () => {
    const { guard, worker, spend } = setup(budget({ maxTokens: 300 }));
    spend(0);
    expect(() => guard.admit(worker)).not.toThrow();
    spend(0);
    expect(() => guard.admit(worker)).toThrow(/300 tokens/);
  });

  it("never refuses an ask of a job-scoped budget before it starts; other workers' spend does not count for a worker budget", () => {
    const job = setup(budget({ maxCostUsd: 0.1, scope: "job" }));
    job.spend(5);
    expect(() => job.guard.admit(job.worker)).not.toThrow();
    const other = setup(budget({ maxCostUsd: 0.1 }));
    other.spend(5);
    const second = { id: "coder-2", info: { profile: "coder", sessionId: "ses-2" } } as unknown as Worker;
    expect(() => other.guard.admit(second)).not.toThrow();
  });

  it("a session budget counts the profile's jobs of the same orchestrator session, of every worker, and no other session's", () => {
    const journal = openJobJournal({ file: ":memory:" });
    journals.push(journal);
    const guard = new BudgetGuard({
      budgets: () => ({ coder: budget({ maxCostUsd: 1, scope: "session" }) }),
      journal: () => journal,
    });
    const spendIn = (worker: string, session: string, cost: number, profile = "coder") => {
      const job = journal.create({ worker, profile, message: "m", callerSession: session });
      journal.finish(job.id, {
        status: "done",
        text: "ok",
        usage: { tokens: TOKENS, cost, costSource: "opencode", model: "p/m" },
      });
    };
    const coder2 = { id: "coder-2", info: { profile: "coder", sessionId: "s2" } } as unknown as Worker;
    spendIn("coder-1", "ses-a", 0.6);
    spendIn("other-1", "ses-a", 5, "other");
    spendIn("coder-3", "ses-b", 5);
    expect(() => guard.admit(coder2, "ses-a")).not.toThrow();
    spendIn("coder-2", "ses-a", 0.4);
    expect(() => guard.admit(coder2, "ses-a")).toThrow(/orchestrator session ses-a/);
    expect(() => guard.admit(coder2, "ses-c")).not.toThrow();
  });

  it("warns once at the warning fraction (with a note) and treats reaching the budget exactly at a job's end as not past it", () => {
    const { journal, guard, worker, warnings, spend } = setup(budget({ maxCostUsd: 1 }));
    spend(0.5);
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    const watch = guard.watch(job, worker);
    if (watch === undefined) throw new Error("no watch");
    watch.finish({ tokens: TOKENS, cost: 0.5, costSource: "opencode", model: "p/m" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: "spend",
      profile: "coder",
      limit: "maxCostUsd",
      spent: 1,
      max: 1,
    });
    expect(watch.notes()).toEqual([expect.stringContaining("budget warning")]);
    expect(watch.notes().join()).not.toContain("exceeded");
    // A second job in the same scope does not warn again.
    const next = guard.watch(
      journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" }),
      worker,
    );
    next?.finish({ tokens: TOKENS, cost: 0, costSource: "opencode", model: "p/m" });
    expect(warnings).toHaveLength(1);
  });

  it("a job budget that a job went past only at its end does not claim the next ask is refused (it is not)", () => {
    const { journal, guard, worker } = setup(budget({ maxCostUsd: 1, scope: "job" }));
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    const watch = guard.watch(job, worker);
    const used = { tokens: TOKENS, cost: 1.5, costSource: "opencode" as const, model: "p/m" };
    watch?.finish(used);
    const note = watch?.notes().find((n) => n.startsWith("budget exceeded at the end of the job")) ?? "";
    expect(note).toContain("a job budget is per ask");
    expect(note).not.toContain("next ask is refused");
    journal.finish(job.id, { status: "done", text: "ok", usage: used });
    expect(() => guard.admit(worker)).not.toThrow();
  });

  it("a job whose final usage goes past its budget (no cancel reached it) says so in a note; the next ask is refused", () => {
    const { journal, guard, worker, spend } = setup(budget({ maxCostUsd: 1 }));
    spend(0.75);
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    const watch = guard.watch(job, worker);
    const used = { tokens: TOKENS, cost: 0.5, costSource: "opencode" as const, model: "p/m" };
    watch?.finish(used);
    expect(watch?.notes()).toContainEqual(expect.stringContaining("budget exceeded at the end of the job"));
    journal.finish(job.id, { status: "done", text: "ok", usage: used });
    expect(() => guard.admit(worker)).toThrow(/is reached/);
  });

  it("a job its budget cancelled fails with what the job spent at its end (the record's figure), not the spend that triggered the cancel", () => {
    const { journal, guard, worker } = setup(budget({ maxTokens: 1_000, scope: "job" }));
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    const watch = guard.watch(job, worker);
    watch?.onEvent({
      type: "message.updated",
      properties: {
        info: {
          id: "m1",
          sessionID: "ses-1",
          role: "assistant",
          cost: 0,
          time: { created: job.startedAt },
          tokens: { input: 700, output: 700 },
        },
      },
    } as unknown as SessionEvent);
    const cancelled = new RuntimeError("JOB_CANCELLED", "worker did not answer: cancelled");
    const final = {
      tokens: { input: 1_400, output: 1_400, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      cost: 0,
      costSource: "opencode" as const,
      model: "p/m",
    };
    const error = watch?.error(cancelled, final) as Error & { code: string };
    expect(error.code).toBe("BUDGET_EXCEEDED");
    expect(error.message).toContain("spent 2800 tokens of budgets.coder.maxTokens 1000 tokens");
  });

  it("counts the spend of the job's task subagents: assistant messages of child sessions (parentID, at any depth)", () => {
    const { journal, guard, worker } = setup(budget({ maxTokens: 1_000, scope: "job" }));
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m", session: "ses-1" });
    const watch = guard.watch(job, worker);
    const created = (id: string, parentID: string) =>
      ({ type: "session.created", properties: { info: { id, parentID } } }) as unknown as SessionEvent;
    const step = (id: string, sessionID: string) =>
      ({
        type: "message.updated",
        properties: {
          info: {
            id,
            sessionID,
            role: "assistant",
            time: { created: job.startedAt },
            tokens: { input: 400 },
          },
        },
      }) as unknown as SessionEvent;
    watch?.onEvent(created("ses-child", "ses-1"));
    watch?.onEvent(created("ses-grandchild", "ses-child"));
    watch?.onEvent(created("ses-stranger", "ses-other"));
    watch?.onEvent(step("m1", "ses-1"));
    watch?.onEvent(step("m2", "ses-child"));
    watch?.onEvent(step("m3", "ses-stranger"));
    const cancelled = new RuntimeError("JOB_CANCELLED", "cancelled");
    expect(watch?.error(cancelled)).toBe(cancelled);
    watch?.onEvent(step("m4", "ses-grandchild"));
    expect(watch?.error(cancelled)).toMatchObject({ code: "BUDGET_EXCEEDED" });
  });

  it("reads a running job's spend from its worker session's assistant message.updated events", () => {
    const { journal, guard, worker, warnings } = setup(budget({ maxCostUsd: 1, warnAt: 0.5 }));
    const job = journal.create({ worker: "coder-1", profile: "coder", message: "m" });
    const watch = guard.watch(job, worker);
    const updated = (id: string, cost: number, sessionID = "ses-1"): SessionEvent =>
      ({
        type: "message.updated",
        properties: {
          info: {
            id,
            sessionID,
            role: "assistant",
            cost,
            time: { created: job.startedAt },
            tokens: { input: 1, output: 1 },
          },
        },
      }) as unknown as SessionEvent;
    watch?.onEvent(updated("m1", 0.3));
    watch?.onEvent(updated("m1", 0.3)); // the same message again: counted once
    watch?.onEvent(updated("x", 5, "another-session"));
    expect(warnings).toHaveLength(0);
    watch?.onEvent(updated("m2", 0.2));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ spent: 0.5 });
  });
});

describe("unpricedBudgetWarning", () => {
  it("warns for a dollar budget over a model with unknown prices, not for known prices or a token budget", () => {
    const prices = (model: string) => (model === "p/priced" ? { input: 1, output: 2 } : null);
    expect(unpricedBudgetWarning("coder", budget({ maxCostUsd: 2 }), "p/unpriced", prices)).toContain(
      "budgets.coder.maxCostUsd ($2) cannot hold: the model p/unpriced",
    );
    expect(unpricedBudgetWarning("coder", budget({ maxCostUsd: 2 }), "p/priced", prices)).toBeUndefined();
    expect(unpricedBudgetWarning("coder", budget({ maxTokens: 2 }), "p/unpriced", prices)).toBeUndefined();
    expect(unpricedBudgetWarning("coder", undefined, "p/unpriced", prices)).toBeUndefined();
  });
});
