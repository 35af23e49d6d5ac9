// The usage ledger and budgets against a real `opencode serve` and the scripted model: every reply
// states its usage (input, cached, output, reasoning tokens) and the fake models have prices, so the
// ledger's totals are checked exactly against the sum of the scripted usage times the prices. The
// prices and token counts are chosen so that every cost is a dyadic fraction (exact in binary).
import {
  type OpencodeInstance,
  type ReplyUsage,
  reply,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetGuard, type BudgetWarning } from "../budget/budget-guard.js";
import type { Budget } from "../budget/budget-spend.js";
import { type JobJournal, openJobJournal } from "../journal/journal.js";
import { RuntimeError } from "../runtime-error.js";
import { JobStore } from "../workers/jobs.js";
import { type ModelRef, Worker } from "../workers/worker.js";
import { totalsWithCaused, usageReport } from "./ledger.js";
import type { PriceLookup } from "./pricing.js";

/** USD per 1M tokens of the priced fake model. */
const PRICE = { input: 2, output: 8, cacheRead: 1 };
const PRICED = { id: "fake-ledger", cost: PRICE, context: 10_000_000, output: 1_000_000 };
const UNPRICED = { id: "fake-unpriced", context: 10_000_000, output: 1_000_000 };

/** Job A: 250 000 input + 62 500 cached, 125 000 output + 31 250 reasoning. */
const USAGE_A: ReplyUsage = {
  promptTokens: 312_500,
  cachedTokens: 62_500,
  completionTokens: 156_250,
  reasoningTokens: 31_250,
};
/** Job B (and each budgeted step): 125 000 input, 62 500 output. */
const USAGE_B: ReplyUsage = { promptTokens: 125_000, completionTokens: 62_500 };

/** The tokens OpenCode records for a reply's usage (input without the cached, output without reasoning). */
function recorded(u: ReplyUsage) {
  return {
    input: u.promptTokens - (u.cachedTokens ?? 0),
    output: u.completionTokens - (u.reasoningTokens ?? 0),
    reasoning: u.reasoningTokens ?? 0,
    cacheRead: u.cachedTokens ?? 0,
    cacheWrite: 0,
  };
}

/** The scripted usage times the fake prices, in USD. */
function priced(u: ReplyUsage): number {
  const t = recorded(u);
  return (
    (t.input * PRICE.input + (t.output + t.reasoning) * PRICE.output + t.cacheRead * PRICE.cacheRead) / 1e6
  );
}

const sum = (...us: ReplyUsage[]) =>
  us.map(recorded).reduce((a, t) => ({
    input: a.input + t.input,
    output: a.output + t.output,
    reasoning: a.reasoning + t.reasoning,
    cacheRead: a.cacheRead + t.cacheRead,
    cacheWrite: 0,
  }));

let model: ScriptedModel;
let opencode: OpencodeInstance;
const journals: JobJournal[] = [];

beforeAll(async () => {
  model = await startScriptedModel({
    models: [PRICED, UNPRICED],
    script: rules(
      [
        { userText: "job A", reply: reply.text("answer A", { usage: USAGE_A }) },
        { userText: "job B", reply: reply.text("answer B", { usage: USAGE_B }) },
        {
          userText: "two steps",
          reply: reply.toolCalls([{ name: "bash", args: { command: "true", description: "noop" } }], {
            usage: USAGE_B,
          }),
        },
        // The second step answers slowly: a budget cancel lands while it runs.
        { toolResult: "bash", reply: reply.text("second step done", { usage: USAGE_B, delayMs: 6_000 }) },
      ],
      (req) => reply.text(`answer to: ${req.lastUserText}`, { usage: USAGE_B }),
    ),
  });
  opencode = await startOpencode({
    model,
    resolveFrom: import.meta.dirname,
    config: { permission: { bash: "allow" } },
  });
}, 180_000);

afterAll(async () => {
  for (const j of journals.splice(0)) j.close();
  await opencode?.stop();
  await model?.close();
});

async function workerOn(id: string, profile: string, modelID = PRICED.id): Promise<Worker> {
  const session = await opencode.client.session.create({ title: id });
  if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
  const ref: ModelRef = { providerID: model.providerId, modelID };
  return new Worker({
    info: {
      id,
      profile,
      kind: "session",
      status: "ready",
      model: `${ref.providerID}/${ref.modelID}`,
      url: opencode.url,
      sessionId: session.data.id,
      startedAt: Date.now(),
    },
    client: opencode.client,
    model: ref,
    onStop: async () => undefined,
  });
}

function store(budgets: Record<string, Budget> = {}, prices?: PriceLookup) {
  const journal = openJobJournal({ file: ":memory:", ownerKind: "orchestrator" });
  journals.push(journal);
  const warnings: BudgetWarning[] = [];
  const jobs = new JobStore(() => journal);
  jobs.useLedger({
    ...(prices === undefined ? {} : { prices: () => prices }),
    budgets: new BudgetGuard({
      budgets: () => budgets,
      journal: () => journal,
      onWarning: (w) => warnings.push(w),
    }),
  });
  return { journal, jobs, warnings };
}

async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!RuntimeError.isInstance(error)) throw new Error(`expected a RuntimeError, got ${String(error)}`);
  return error;
}

describe("the usage ledger", { timeout: 120_000 }, () => {
  it("totals equal the sum of the scripted usage times the fake prices, exactly, per worker, profile, model and session", async () => {
    const { journal, jobs } = store();
    const coder = await workerOn("coder-1", "coder");
    const docs = await workerOn("docs-1", "docs");
    await jobs.ask(coder, "job A", { callerSession: "ses-one" });
    await jobs.ask(coder, "job B", { callerSession: "ses-one" });
    await jobs.ask(docs, "job B", { callerSession: "ses-two" });

    const all = journal.list({ all: true });
    expect(all.map((j) => [j.status, j.costSource, j.model])).toEqual([
      ["done", "opencode", `${model.providerId}/${PRICED.id}`],
      ["done", "opencode", `${model.providerId}/${PRICED.id}`],
      ["done", "opencode", `${model.providerId}/${PRICED.id}`],
    ]);
    const report = usageReport(all);
    const cost = priced(USAGE_A) + priced(USAGE_B) + priced(USAGE_B);
    expect(cost).toBe(3.3125);
    expect(report.total).toEqual({ tokens: sum(USAGE_A, USAGE_B, USAGE_B), cost, knownCost: cost });
    expect(report.rows).toEqual([
      {
        key: "coder-1",
        tokens: sum(USAGE_A, USAGE_B),
        cost: priced(USAGE_A) + priced(USAGE_B),
        knownCost: priced(USAGE_A) + priced(USAGE_B),
        jobs: 2,
      },
      { key: "docs-1", tokens: sum(USAGE_B), cost: priced(USAGE_B), knownCost: priced(USAGE_B), jobs: 1 },
    ]);
    expect(usageReport(all, { by: "profile" }).rows.map((r) => [r.key, r.cost])).toEqual([
      ["coder", 2.5625],
      ["docs", 0.75],
    ]);
    expect(usageReport(all, { by: "model" }).rows.map((r) => [r.key, r.cost, r.jobs])).toEqual([
      [`${model.providerId}/${PRICED.id}`, 3.3125, 3],
    ]);
    expect(usageReport(all, { by: "session" }).rows.map((r) => [r.key, r.cost])).toEqual([
      ["ses-one", 2.5625],
      ["ses-two", 0.75],
    ]);
  });

  it("sums the steps of a job, and a job's total includes the jobs it caused (a nested request), exactly", async () => {
    const { journal, jobs } = store();
    const lead = await workerOn("lead-1", "lead");
    const helper = await workerOn("helper-1", "helper");
    // A two-step job (a tool call, then the answer): both steps' usage.
    await jobs.ask(lead, "two steps", { callerSession: "ses-nested" });
    const parent = journal.list({ all: true })[0];
    if (parent === undefined) throw new Error("no job");
    expect(parent.cost).toBe(2 * priced(USAGE_B));
    await jobs.ask(helper, "job A", { parentJobId: parent.id });
    const all = journal.list({ all: true });
    const child = all.find((j) => j.worker === "helper-1");
    expect(child?.parentJobId).toBe(parent.id);
    const totals = totalsWithCaused(all).get(parent.id);
    expect(totals?.cost).toBe(2 * priced(USAGE_B) + priced(USAGE_A));
    expect(totals?.tokens).toEqual(sum(USAGE_B, USAGE_B, USAGE_A));
    // The caused job counts toward the session of the job that caused it.
    expect(usageReport(all, { by: "session" }).rows).toEqual([
      expect.objectContaining({ key: "ses-nested", cost: 2 * priced(USAGE_B) + priced(USAGE_A), jobs: 2 }),
    ]);
  });

  it("gives a model with unknown prices an unknown cost (null, never 0); the total's cost is null with the known part", async () => {
    const { journal, jobs } = store();
    await jobs.ask(await workerOn("priced-1", "priced"), "job B");
    await jobs.ask(await workerOn("unpriced-1", "unpriced", UNPRICED.id), "job B");
    const all = journal.list({ all: true });
    const unpriced = all.find((j) => j.worker === "unpriced-1");
    expect(unpriced).toMatchObject({
      status: "done",
      cost: null,
      costSource: null,
      tokens: recorded(USAGE_B),
    });
    const report = usageReport(all);
    expect(report.total).toEqual({ tokens: sum(USAGE_B, USAGE_B), cost: null, knownCost: priced(USAGE_B) });
    expect(report.rows.find((r) => r.key === "unpriced-1")).toMatchObject({ cost: null, knownCost: 0 });
  });
});

describe("the cost's source", { timeout: 120_000 }, () => {
  it("is the catalog's prices when OpenCode reports no cost for the model (costSource catalog), exactly", async () => {
    // The catalog knows a price OpenCode's config does not declare for fake-unpriced.
    const catalog: PriceLookup = (ref) => (ref === `${model.providerId}/${UNPRICED.id}` ? PRICE : null);
    const { journal, jobs } = store({}, catalog);
    await jobs.ask(await workerOn("catalog-1", "catalog", UNPRICED.id), "job A");
    await jobs.ask(await workerOn("opencode-1", "opencode", PRICED.id), "job A");
    const all = journal.list({ all: true });
    expect(all.find((j) => j.worker === "catalog-1")).toMatchObject({
      costSource: "catalog",
      cost: priced(USAGE_A),
    });
    expect(all.find((j) => j.worker === "opencode-1")).toMatchObject({
      costSource: "opencode",
      cost: priced(USAGE_A),
    });
    expect(usageReport(all).total).toEqual({
      tokens: sum(USAGE_A, USAGE_A),
      cost: 2 * priced(USAGE_A),
      knownCost: 2 * priced(USAGE_A),
    });
  });
});

describe("budgets", { timeout: 120_000 }, () => {
  const JOB = priced(USAGE_B); // 0.75

  it("a budget of two jobs' cost (and a third of one) cancels the third job with BUDGET_EXCEEDED; the warning fired before it; the next ask is refused", async () => {
    const { journal, jobs, warnings } = store({
      budgeted: { maxCostUsd: 2 * JOB + JOB / 3, scope: "worker", warnAt: 0.8 },
    });
    const worker = await workerOn("budgeted-1", "budgeted");
    const first = await jobs.ask(worker, "job B");
    expect(first.notes).toBeUndefined();
    const second = await jobs.ask(worker, "job B");
    // 1.5 of 1.75 is past 80 %: warned once, with a note in the answer.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: "spend",
      profile: "budgeted",
      limit: "maxCostUsd",
      spent: 2 * JOB,
    });
    expect(second.notes).toEqual([expect.stringContaining("budget warning: worker budgeted-1")]);

    // The third job's first step (a tool call) takes it past the budget: cancelled while the second step runs.
    const third = await rejection(jobs.ask(worker, "two steps"));
    expect(third.code).toBe("BUDGET_EXCEEDED");
    expect(third.message).toContain('went past the budget of profile "budgeted"');
    expect(third.hints[0]).toContain("raise budgets.budgeted.maxCostUsd");
    const record = journal.list({ all: true })[0];
    // The aborted second step's usage is unknown (OpenCode records a cut-short step as 0): the
    // job's cost is unknown, never a known figure; the budget still counts its known first step.
    expect(record).toMatchObject({ status: "cancelled", errorCode: "BUDGET_EXCEEDED", cost: null });
    expect(journal.spend({ worker: "budgeted-1", session: worker.info.sessionId }).cost).toBe(3 * JOB);
    expect(warnings).toHaveLength(1);
    // The second step's slow answer never finished: the turn was aborted.
    expect(worker.status).toBe("ready");

    const refused = await rejection(jobs.ask(worker, "job B"));
    expect(refused.code).toBe("BUDGET_EXCEEDED");
    expect(refused.message).toContain('the budget of profile "budgeted" is reached');
    expect(refused.message).toContain("budgets.budgeted.maxCostUsd $1.7500");
    expect(journal.list({ all: true })).toHaveLength(3);
  });

  it("reaching a budget exactly at a job's end is not past it: the job is done; the next ask is refused", async () => {
    const { journal, jobs } = store({ exact: { maxCostUsd: 2 * JOB, scope: "worker", warnAt: 0.8 } });
    const worker = await workerOn("exact-1", "exact");
    await jobs.ask(worker, "job B");
    const second = await jobs.ask(worker, "job B");
    expect(second.text).toBe("answer B");
    expect(journal.list({ all: true }).map((j) => j.status)).toEqual(["done", "done"]);
    const refused = await rejection(jobs.ask(worker, "job B"));
    expect(refused.code).toBe("BUDGET_EXCEEDED");
  });
});
