import { rmSync } from "node:fs";
import { echoScript, gitRepo, reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// A job-scoped token budget on a worker of a profile with `isolation: "worktree"` (a real process
// worker in its own git worktree, OpenCode and the scripted model, as an isolated user): the
// running job's spend is watched and the job is cancelled with BUDGET_EXCEEDED when it goes past.
const dirs = cliUserDirs("orchestra-cli-budget-worktree-");
const STEP = { promptTokens: 350_000, completionTokens: 0 };
const config = {
  profiles: [
    {
      id: "iso",
      isolation: "worktree",
      permissions: { categories: { filesystem: "full", execution: "none", network: "none" } },
    },
  ],
  budgets: { iso: { maxTokens: 100_000, scope: "job" } },
};

let model: ScriptedModel;
let env: NodeJS.ProcessEnv;

const workers = (args: string[]) => runWorkers(args, { cwd: dirs.project, env });

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        {
          userText: "spend",
          reply: reply.toolCall("read", { filePath: "orchestrator.json" }, { usage: STEP }),
        },
        // Each later step answers slowly and spends again: the cancel lands before it ends.
        {
          toolResult: "read",
          reply: reply.toolCall("read", { filePath: "orchestrator.json" }, { usage: STEP, delayMs: 2_000 }),
        },
      ],
      echoScript,
    ),
  }));
  gitRepo(dirs.project, { ".gitignore": ".opencode/\n", "orchestrator.json": JSON.stringify(config) });
}, 120_000);

afterAll(async () => {
  await workers(["stop", "--all"]);
  await model?.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe("a job budget on a worktree worker", () => {
  it("cancels the running job when its spend goes past the budget (BUDGET_EXCEEDED)", async () => {
    const spawned = await workers(["spawn", "iso", "--json"]);
    expect(spawned.code, spawned.stdout + spawned.stderr).toBe(0);
    const id = (JSON.parse(spawned.stdout) as { id: string }).id;
    const asked = await workers(["ask", id, "spend", "--json"]);
    expect(asked.code, asked.stdout + asked.stderr).toBe(1);
    expect(JSON.parse(asked.stdout)).toMatchObject({ ok: false, code: "BUDGET_EXCEEDED" });
    // In text mode the failure names its code, as a cancel's does (a fresh worker: the first one's
    // session now ends with OpenCode's note about the aborted turn).
    const again = await workers(["spawn", "iso", "--json"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const second = (JSON.parse(again.stdout) as { id: string }).id;
    const text = await workers(["ask", second, "spend"]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stderr).toContain("orchestra workers ask: BUDGET_EXCEEDED: job ");
    // Its warning is the orchestra's, not the registry's.
    expect(text.stderr).toMatch(/^orchestra: budget warning: job /m);
    expect(text.stderr).not.toContain("[orchestra/registry]");
  });

  it("refuses --stream with --json (a usage error, exit 2)", async () => {
    const asked = await workers(["ask", "iso", "spend", "--stream", "--json"]);
    expect(asked.code, asked.stdout + asked.stderr).toBe(2);
    expect(asked.stdout + asked.stderr).toContain("--stream and --json cannot be combined");
  });
});
