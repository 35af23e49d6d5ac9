import { echoScript, reply, rules, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "./test-support/plugin-server.js";
import { callRule } from "./test-support/scripted-calls.js";

// The usage ledger and budgets through the plugin, in one real OpenCode with the scripted model.
// Session workers of `spender` run on the priced `fake-ledger` (2 / 8 USD per 1M tokens); every
// job's reply states 125 000 input and 62 500 output tokens: 0.75 USD, exactly. Its budget is
// two jobs (1.5 USD, worker scope): the second job reaches it exactly (done, with the warning in
// ask_worker's output, the activity log and a toast), the third ask is refused with
// BUDGET_EXCEEDED. `pricey` has a dollar budget over `fake-unpriced`: a warning at spawn, and its
// job's cost is unknown (null), never 0. The usage tool and orchestrator_status show the ledger.
const JOB = 0.75;
const USAGE = { promptTokens: 125_000, completionTokens: 62_500 };

let model: ScriptedModel;
let server: PluginServer;

const callTool = (tool: string, args: Record<string, unknown> = {}) => server.callTool(tool, args);
const toastMatching = (pattern: RegExp) => server.toasts.matching(pattern);

interface Totals {
  tokens: Record<string, number>;
  cost: number | null;
  knownCost: number;
}
interface Report {
  total: Totals;
  rows: (Totals & { key: string; jobs: number })[];
}

beforeAll(async () => {
  model = await startScriptedModel({
    models: [
      { id: "fake-fast", cost: { input: 0.1, output: 0.4 } },
      { id: "fake-ledger", cost: { input: 2, output: 8 }, context: 10_000_000, output: 1_000_000 },
      { id: "fake-unpriced", context: 10_000_000, output: 1_000_000 },
    ],
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: /^job /, reply: (req) => reply.text(`did ${req.lastUserText}`, { usage: USAGE }) },
      ],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "usage",
    model,
    orchestrator: {
      ui: { toasts: true },
      profiles: [
        { id: "spender", extends: "explorer", kind: "session", model: "scripted/fake-ledger" },
        { id: "pricey", extends: "explorer", kind: "session", model: "scripted/fake-unpriced" },
      ],
      budgets: {
        spender: { maxCostUsd: 2 * JOB, scope: "worker", warnAt: 0.8 },
        pricey: { maxCostUsd: 1 },
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("usage and budgets through the plugin", { timeout: 180_000 }, () => {
  it("warns at the budget's fraction (tool output, activity log, toast), reaches it exactly without a cancel, then refuses with BUDGET_EXCEEDED", async () => {
    expect(await callTool("spawn_worker", { profile: "spender" })).toContain("scripted/fake-ledger");
    const first = await callTool("ask_worker", { id: "spender", message: "job one" });
    expect(first).toContain("did job one");
    expect(first).not.toContain("budget");
    const second = await callTool("ask_worker", { id: "spender", message: "job two" });
    expect(second).toContain("did job two");
    const warning =
      /budget warning: worker spender\S* \(over its life, since its spawn\) spent \$1\.5000 of budgets\.spender\.maxCostUsd \$1\.5000/;
    expect(second).toMatch(warning);
    expect(await callTool("orchestrator_output")).toMatch(warning);
    expect((await toastMatching(warning)).variant).toBe("warning");

    const refused = await callTool("ask_worker", { id: "spender", message: "job three" });
    expect(refused).toContain("BUDGET_EXCEEDED");
    expect(refused).toContain('the budget of profile "spender" is reached');
    expect(refused).toContain("raise budgets.spender.maxCostUsd");
    expect(model.requests.some((r) => r.lastUserText === "job three")).toBe(false);
  });

  it("warns at spawn about a dollar budget over a model with unknown prices; that job's cost is unknown (null), never 0", async () => {
    await callTool("spawn_worker", { profile: "pricey" });
    const unpriced = /budgets\.pricey\.maxCostUsd \(\$1\) cannot hold: the model scripted\/fake-unpriced/;
    expect(await callTool("orchestrator_output")).toMatch(unpriced);
    await toastMatching(unpriced);
    expect(await callTool("ask_worker", { id: "pricey", message: "job four" })).toContain("did job four");
  });

  it("the usage tool and orchestrator_status show the ledger: exact costs, null for the unknown one, rows by worker and by profile", async () => {
    const byProfile = JSON.parse(await callTool("usage", { by: "profile", format: "json" })) as Report;
    const tokens = (jobs: number) => ({
      input: 125_000 * jobs,
      output: 62_500 * jobs,
      reasoning: 0,
      cacheRead: 0,
      cacheWrite: 0,
    });
    expect(byProfile).toEqual({
      total: { tokens: tokens(3), cost: null, knownCost: 2 * JOB },
      rows: [
        { key: "pricey", tokens: tokens(1), cost: null, knownCost: 0, jobs: 1 },
        { key: "spender", tokens: tokens(2), cost: 2 * JOB, knownCost: 2 * JOB, jobs: 2 },
      ],
    });
    const byModel = JSON.parse(await callTool("usage", { by: "model", format: "json" })) as Report;
    expect(byModel.rows.map((r) => [r.key, r.cost])).toEqual([
      ["scripted/fake-ledger", 1.5],
      ["scripted/fake-unpriced", null],
    ]);
    const text = await callTool("usage", {});
    expect(text).toMatch(/^WORKER\s+JOBS/);
    expect(text).toMatch(/TOTAL\s+3\s+375000\s+187500\s+0\s+0\s+0\s+unknown \(≥ \$1\.5000\)/);
    const status = await callTool("orchestrator_status");
    expect(status).toContain("Usage:");
    expect(status).toMatch(/TOTAL\s+3\s+375000/);
    const statusJson = JSON.parse(await callTool("orchestrator_status", { format: "json" })) as {
      usage: Report;
    };
    expect(statusJson.usage.total).toEqual(byProfile.total);
  });
});
