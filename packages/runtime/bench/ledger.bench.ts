// The usage ledger's overhead per job. Two parts, each against a baseline in the same run:
// 1. In process, over a job journal file already holding PRIOR ended jobs of the worker: what the
//    ledger adds to one job — the budget's admit (reads the scope's spend), its watch (the spend
//    before the job), 20 assistant `message.updated` events, pricing the final usage and the
//    warning check — against the journal's own work for the job (create + finish), the baseline.
//    Then reading the ledger (`usageReport` over every job) for `orchestra usage`.
// 2. End to end, against a real `opencode serve` and the scripted model: asks through a JobStore
//    with the ledger (a budget on the profile) and without it, interleaved round by round.
// Prints median/p99 tables; writes bench-results/ledger.json.
//   npx tsx bench/ledger.bench.ts   (BENCH_RUNS=200 in-process rounds, BENCH_ASKS=30 asks each)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { formatTable, startOpencode, startScriptedModel, summarize } from "@orchestra/testkit";
import { BudgetGuard } from "../src/budget/budget-guard.js";
import type { Budget } from "../src/budget/budget-spend.js";
import { openJobJournal } from "../src/journal/journal.js";
import { usageReport } from "../src/ledger/ledger.js";
import { priceUsage } from "../src/ledger/pricing.js";
import type { SessionEvent } from "../src/workers/ask-watch.js";
import { JobStore } from "../src/workers/jobs.js";
import { type ModelRef, Worker } from "../src/workers/worker.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ASKS = Number(process.env.BENCH_ASKS ?? 30);
const out = join(import.meta.dirname, "..", "bench-results", "ledger.json");
const scratch = mkdtempSync(join(tmpdir(), "orchestra-ledger-bench-"));
const BUDGET: Budget = { maxCostUsd: 1_000_000, maxTokens: 1_000_000_000, scope: "worker", warnAt: 0.8 };
const TOKENS = { input: 1_000, output: 500, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
/** Every model at 2 / 8 USD per 1M input / output tokens. */
const lookup = () => ({ input: 2, output: 8 });
const prices = () => lookup;

/** Part 1: the ledger's own work for one job, over a journal of `prior` ended jobs. */
function inProcess(prior: number) {
  const journal = openJobJournal({ file: join(mkdtempSync(join(scratch, "j-")), "jobs.db") });
  const usage = { tokens: TOKENS, cost: 0.005, costSource: "opencode" as const, model: "p/m" };
  for (let i = 0; i < prior; i++) {
    const job = journal.create({ worker: "w-1", profile: "coder", message: "m" });
    journal.finish(job.id, { status: "done", text: "t", usage });
  }
  const guard = new BudgetGuard({ budgets: () => ({ coder: BUDGET }), journal: () => journal, prices });
  const worker = { id: "w-1", info: { profile: "coder", sessionId: "ses" }, client: {} } as unknown as Worker;
  const baseline: number[] = [];
  const ledger: number[] = [];
  const report: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Baseline: the journal's own work for a job.
    let t = performance.now();
    const job = journal.create({ worker: "w-1", profile: "coder", message: "m" });
    journal.finish(job.id, { status: "done", text: "t", usage });
    baseline.push(performance.now() - t);
    // The ledger's work for a job (on the same journal).
    const next = journal.create({ worker: "w-1", profile: "coder", message: "m" });
    t = performance.now();
    guard.admit(worker);
    const watch = guard.watch(next, worker);
    for (let i = 0; i < 20; i++)
      watch?.onEvent({
        type: "message.updated",
        properties: {
          info: {
            id: `m${i % 4}`,
            sessionID: "ses",
            role: "assistant",
            cost: 0.001,
            time: { created: next.startedAt },
            tokens: TOKENS,
          },
        },
      } as unknown as SessionEvent);
    const used = priceUsage(usage, lookup);
    watch?.finish(used);
    ledger.push(performance.now() - t);
    journal.finish(next.id, { status: "done", text: "t", usage: used });
    t = performance.now();
    usageReport(journal.list({ all: true }), { by: "model" });
    report.push(performance.now() - t);
  }
  journal.close();
  return [
    summarize(`journal create+finish (baseline), ${prior} prior jobs`, baseline),
    summarize(`ledger per job (admit, watch, 20 events, price), ${prior} prior jobs`, ledger),
    summarize(`usageReport over ${prior}+ jobs`, report),
  ];
}

/** Part 2: asks through a JobStore with and without the ledger, interleaved. */
async function endToEnd() {
  const model = await startScriptedModel({
    script: () => ({ type: "text", text: "ok", usage: { promptTokens: 1_000, completionTokens: 500 } }),
  });
  const opencode = await startOpencode({ model, resolveFrom: import.meta.dirname });
  try {
    const ref: ModelRef = { providerID: model.providerId, modelID: "fake-fast" };
    const workerOn = async (id: string) => {
      const session = await opencode.client.session.create({ title: id });
      if (!session.data) throw new Error("no session");
      return new Worker({
        info: {
          id,
          profile: "coder",
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
    };
    const plainJournal = openJobJournal({ file: join(mkdtempSync(join(scratch, "e-")), "jobs.db") });
    const ledgerJournal = openJobJournal({ file: join(mkdtempSync(join(scratch, "e-")), "jobs.db") });
    const plain = new JobStore(() => plainJournal);
    const withLedger = new JobStore(() => ledgerJournal);
    withLedger.useLedger({
      prices,
      budgets: new BudgetGuard({ budgets: () => ({ coder: BUDGET }), journal: () => ledgerJournal, prices }),
    });
    const a = await workerOn("plain-1");
    const b = await workerOn("ledger-1");
    await plain.ask(a, "warm up");
    await withLedger.ask(b, "warm up");
    const base: number[] = [];
    const led: number[] = [];
    const time = async (samples: number[], ask: () => Promise<unknown>) => {
      const t = performance.now();
      await ask();
      samples.push(performance.now() - t);
    };
    for (let i = 0; i < ASKS; i++) {
      // Alternate which goes first, so that neither gets the warmer server every round.
      const first = i % 2 === 0;
      await time(first ? base : led, () =>
        first ? plain.ask(a, `ask ${i}`) : withLedger.ask(b, `ask ${i}`),
      );
      await time(first ? led : base, () =>
        first ? withLedger.ask(b, `ask ${i}`) : plain.ask(a, `ask ${i}`),
      );
    }
    plainJournal.close();
    ledgerJournal.close();
    return [
      summarize("ask, journal only (baseline)", base),
      summarize("ask, journal + ledger + budget", led),
    ];
  } finally {
    await opencode.stop();
    await model.close();
  }
}

try {
  const parts = [...inProcess(100), ...inProcess(2_000)];
  console.log(formatTable(parts));
  const asks = await endToEnd();
  console.log(`\n${formatTable(asks)}`);
  const [base, led] = asks;
  const overhead = (led?.medianMs ?? 0) - (base?.medianMs ?? 0);
  console.log(`\nend-to-end median overhead per ask: ${overhead.toFixed(2)} ms`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ runs: RUNS, asks: ASKS, inProcess: parts, endToEnd: asks, medianOverheadMs: overhead }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
