import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reply, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import type { CliRun } from "../test-support/run-cli.js";

// ask_peer in a CLI-owned worker (`orchestra workers spawn`, a real `opencode serve` with the plugin,
// and the scripted model, in an isolated HOME): the worker outlives the CLI process that started it,
// so no orchestrator exists to route a worker-to-worker request. Its profile enables ask_peer, so the
// tool is offered, and it answers JOB_PEER_NO_ORCHESTRATOR, saying why and what to do instead.
const dirs = cliUserDirs("orchestra-cli-ask-peer-");
const { root, project } = dirs;
const CALL = /^call ask_peer (\{.*\})$/s;
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

const orchestra = (...args: string[]): Promise<CliRun> => runWorkers(args, { cwd: project, env });

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        {
          userText: CALL,
          reply: (req) => reply.toolCall("ask_peer", JSON.parse(CALL.exec(req.lastUserText)?.[1] ?? "{}")),
        },
        { toolResult: "ask_peer", reply: (req) => `ask_peer said: ${req.lastToolResult?.content}` },
      ],
      (req) => `worker says: ${req.lastUserText}`,
    ),
  }));
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({
      profiles: [
        {
          id: "asker",
          kind: "process",
          purpose: "CLI-owned worker that may ask peers",
          permissions: {
            categories: { filesystem: "read", execution: "none", network: "none" },
            tools: { ask_peer: { enabled: true } },
          },
        },
      ],
    }),
  );
});

afterAll(async () => {
  await orchestra("stop", "asker").catch(() => undefined);
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("ask_peer in a CLI-owned worker", { timeout: 240_000 }, () => {
  it("is offered, and answers JOB_PEER_NO_ORCHESTRATOR: no orchestrator owns the worker", async () => {
    const spawned = await orchestra("spawn", "asker", "--json");
    expect(spawned.code, spawned.stderr).toBe(0);
    pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);

    const asked = await orchestra(
      "ask",
      "asker",
      `call ask_peer ${JSON.stringify({ profile: "docs", message: "hi" })}`,
    );
    expect(asked.code, asked.stderr).toBe(0);
    const request = model.requests.find((r) => CALL.test(r.lastUserText) && r.lastToolResult === undefined);
    expect(request?.toolNames).toContain("ask_peer");
    expect(asked.stdout).toContain("ask_peer said:");
    expect(asked.stdout).toContain(
      "[JOB_PEER_NO_ORCHESTRATOR] this worker has no orchestrator to route ask_peer through",
    );
    expect(asked.stdout).toContain("started by the CLI (`orchestra workers spawn`)");
    // Nothing else was asked: no model request carries the peer message on its own.
    expect(model.requests.some((r) => r.lastUserText === "hi")).toBe(false);
  });
});
