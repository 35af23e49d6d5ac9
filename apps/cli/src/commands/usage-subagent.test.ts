import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { echoScript, reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import { runCli } from "../test-support/run-cli.js";

// What a worker's `task` subagent spends (a child session of the worker's session, OpenCode
// `parentID`) counts in the job's usage. Real process worker (OpenCode and the scripted model, which
// answers the worker and its subagent), as an isolated user.
const dirs = cliUserDirs("orchestra-cli-subagent-");
const MAIN = { promptTokens: 1_000, completionTokens: 100 };
const SUB = { promptTokens: 20_000, completionTokens: 2_000 };
const TASK = { description: "sub work", prompt: "do the sub work", subagent_type: "general" };

let model: ScriptedModel;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        { toolResult: "task", reply: reply.text("delegated", { usage: MAIN }) },
        { userText: "do the sub work", reply: reply.text("sub done", { usage: SUB }) },
        { userText: "delegate", reply: reply.toolCall("task", TASK, { usage: MAIN }) },
      ],
      echoScript,
    ),
  }));
  writeFileSync(
    join(dirs.project, "orchestrator.json"),
    JSON.stringify({
      profiles: [
        {
          id: "lead",
          permissions: {
            categories: { filesystem: "read", execution: "none", network: "none" },
            tools: { task: { enabled: true } },
          },
        },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await runWorkers(["stop", "--all"], { cwd: dirs.project, env });
  await model?.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe("a job's task subagent", () => {
  it("spends in a child session, and its steps are in the job's usage", async () => {
    const spawned = await runWorkers(["spawn", "lead", "--json"], { cwd: dirs.project, env });
    expect(spawned.code, spawned.stdout + spawned.stderr).toBe(0);
    const id = (JSON.parse(spawned.stdout) as { id: string }).id;
    const asked = await runWorkers(["ask", id, "delegate"], { cwd: dirs.project, env });
    expect(asked.code, asked.stdout + asked.stderr).toBe(0);
    expect(asked.stdout).toContain("delegated");
    const usage = await runCli(["usage", "--json"], { cwd: dirs.project, env });
    expect(usage.code, usage.stderr).toBe(0);
    const report = JSON.parse(usage.stdout) as { total: { tokens: { input: number; output: number } } };
    expect(report.total.tokens).toMatchObject({ input: 22_000, output: 2_200 });
  });
});
