import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { echoScript, reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import { runCli } from "../test-support/run-cli.js";

// A worker step with three identical tool calls triggers OpenCode's repeat-call check (the
// `doom_loop` permission). Denied, the step failed with an UnknownError and OpenCode recorded it
// with 0 tokens and cost 0: a job could hide its last model call from the ledger and its budget.
// Real process worker (OpenCode and the scripted model), as an isolated user.
const dirs = cliUserDirs("orchestra-cli-doom-loop-");
const FIRST = { promptTokens: 1_000, completionTokens: 100 };
const SECOND = { promptTokens: 2_000, completionTokens: 200 };
const READ = { name: "read", args: { filePath: "notes.txt" } };

let model: ScriptedModel;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        { userText: "loop", reply: reply.toolCalls([READ, READ, READ], { usage: FIRST }) },
        { toolResult: "read", reply: reply.text("read it three times", { usage: SECOND }) },
      ],
      echoScript,
    ),
  }));
  writeFileSync(join(dirs.project, "notes.txt"), "hello\n");
  writeFileSync(
    join(dirs.project, "orchestrator.json"),
    JSON.stringify({
      profiles: [
        {
          id: "reader",
          permissions: { categories: { filesystem: "read", execution: "none", network: "none" } },
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

describe("three identical tool calls in one step", () => {
  it("run (the repeat-call check is allowed for workers) and every step's usage is in the ledger", async () => {
    const spawned = await runWorkers(["spawn", "reader", "--json"], { cwd: dirs.project, env });
    expect(spawned.code, spawned.stdout + spawned.stderr).toBe(0);
    const id = (JSON.parse(spawned.stdout) as { id: string }).id;
    const asked = await runWorkers(["ask", id, "loop"], { cwd: dirs.project, env });
    expect(asked.code, asked.stdout + asked.stderr).toBe(0);
    expect(asked.stdout).toContain("read it three times");
    const usage = await runCli(["usage", "--json"], { cwd: dirs.project, env });
    expect(usage.code, usage.stderr).toBe(0);
    const report = JSON.parse(usage.stdout) as { total: { tokens: { input: number; output: number } } };
    expect(report.total.tokens).toMatchObject({ input: 3_000, output: 300 });
  });
});
