import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import { runCli } from "../test-support/run-cli.js";

// `orchestra workers ask` under a profile budget, with a real `opencode serve` worker and the
// scripted model (fake-fast: 0.1 / 0.4 USD per 1M tokens; each reply states 10 000 input and
// 5 000 output tokens: 0.003 USD). The explorer's budget is two jobs: the second reaches it exactly
// (done, with the warning on stderr), the third is refused with BUDGET_EXCEEDED. `orchestra usage`
// and `orchestra jobs` show what was spent.
const dirs = cliUserDirs("orchestra-cli-budget-");
const { root, project } = dirs;
const JOB = (10_000 * 0.1 + 5_000 * 0.4) / 1e6;
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules([], (req) =>
      reply.text(`worker says: ${req.lastUserText}`, {
        usage: { promptTokens: 10_000, completionTokens: 5_000 },
      }),
    ),
  }));
  writeFileSync(
    join(project, "orchestrator.json"),
    JSON.stringify({
      budgets: { explorer: { maxCostUsd: 2 * JOB, scope: "worker" }, docs: { maxCostUsd: 1 } },
    }),
  );
});

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers ask under a budget", { timeout: 240_000 }, () => {
  it("warns at 80 %, reaches the budget exactly without a cancel, then refuses with BUDGET_EXCEEDED; usage and jobs show the cost", async () => {
    const spawned = await runWorkers(["spawn", "explorer", "--model", "scripted/fake-fast", "--json"], {
      cwd: project,
      env,
    });
    expect(spawned.code).toBe(0);
    pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);

    const first = await runWorkers(["ask", "explorer", "job one"], { cwd: project, env });
    expect(first).toMatchObject({ code: 0, stdout: "worker says: job one\n" });
    expect(first.stderr).not.toContain("budget warning");
    const second = await runWorkers(["ask", "explorer", "job two"], { cwd: project, env });
    expect(second).toMatchObject({ code: 0, stdout: "worker says: job two\n" });
    expect(second.stderr).toMatch(
      /budget warning: worker explorer\S* \(over its life, since its spawn\) spent \$0\.0060 of budgets\.explorer\.maxCostUsd \$0\.0060/,
    );

    const refused = await runWorkers(["ask", "explorer", "job three", "--json"], { cwd: project, env });
    expect(refused.code).toBe(1);
    const failure = JSON.parse(refused.stdout) as {
      ok: boolean;
      code: string;
      message: string;
      hints: string[];
    };
    expect(failure).toMatchObject({ ok: false, code: "BUDGET_EXCEEDED" });
    expect(failure.message).toContain('the budget of profile "explorer" is reached');
    expect(failure.hints[0]).toContain("raise budgets.explorer.maxCostUsd");
    expect(model.requests.some((r) => r.lastUserText === "job three")).toBe(false);

    const usage = await runCli(["usage", "--json", "--by", "profile"], { cwd: project, env });
    expect(usage.code).toBe(0);
    const report = JSON.parse(usage.stdout) as { rows: { key: string; cost: number; jobs: number }[] };
    expect(report.rows).toEqual([expect.objectContaining({ key: "explorer", cost: 2 * JOB, jobs: 2 })]);
    const jobs = await runCli(["jobs"], { cwd: project, env });
    expect(jobs.stdout).toContain("$0.0030");
  });

  it("warns at spawn about a dollar budget over a model with unknown prices (not a silent pass)", async () => {
    const spawned = await runWorkers(["spawn", "docs", "--model", "scripted/fake-unpriced", "--json"], {
      cwd: project,
      env,
    });
    expect(spawned.code).toBe(0);
    pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);
    expect(spawned.stderr).toContain(
      'warning: budgets.docs.maxCostUsd ($1) cannot hold: the model scripted/fake-unpriced of profile "docs" has unknown prices',
    );
  });
});
