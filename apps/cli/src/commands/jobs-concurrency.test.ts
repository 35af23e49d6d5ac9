import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type OpencodeInstance,
  type Rule,
  reply,
  rules,
  type ScriptedModel,
  startOpencode,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cli, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// The job journal written at once by three processes of one user: a real OpenCode running the
// orchestrator plugin (its ask_worker calls, driven by the scripted model) and two `orchestra
// workers ask` processes, each asking its own process worker. Every reply streams slowly, so the
// three writers' jobs overlap. Afterwards every job is in the journal once, ended, on its worker.
const dirs = cliUserDirs("orchestra-cli-jobs-concurrency-");
const { root, project } = dirs;
const pluginFile = fileURLToPath(import.meta.resolve("@orchestra/plugin"));
const SLOW = {
  type: "text" as const,
  text: "A slowly streamed answer, ".repeat(8),
  chunkSize: 8,
  chunkDelayMs: 40,
};
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
let host: OpencodeInstance;
let sessionID = "";
const pids = new Set<number>();

/** `call <tool> <json args>` as the host's user message makes the scripted model call that tool. */
const CALL = /^call (\w+) (\{.*\})$/s;
const callRule: Rule = {
  userText: CALL,
  reply: (req) => {
    const [, name = "", json = "{}"] = CALL.exec(req.lastUserText ?? "") ?? [];
    return reply.toolCall(name, JSON.parse(json) as Record<string, unknown>);
  },
};

/** Call a plugin tool in the host's session; the tool output the model got. */
async function callTool(tool: string, args: Record<string, unknown>): Promise<string> {
  const before = model.requests.length;
  const result = await host.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
  });
  expect(result.error).toBeUndefined();
  return (
    model.requests.slice(before).find((r) => r.lastToolResult?.name === tool)?.lastToolResult?.content ?? ""
  );
}

/** `orchestra <args>` to its end. */
function orchestra(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: project, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding("utf8").on("data", (t: string) => {
      stderr += t;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: "very slowly", reply: { ...SLOW, chunkSize: 2, chunkDelayMs: 200 } },
        { userText: "slowly", reply: SLOW },
      ],
      (req) => `worker says: ${req.lastUserText}`,
    ),
  }));
  host = await startOpencode({
    model,
    plugins: [pluginFile],
    directory: project,
    resolveFrom: dirs.root,
    startupTimeoutMs: 120_000,
    // The same user as the CLI: one device registry, one worker secret, one job journal.
    env: { HOME: env.HOME, ...dirs.xdg, ORCHESTRA_OPENCODE_BIN: env.ORCHESTRA_OPENCODE_BIN },
  });
  const session = await host.client.session.create({ title: "jobs concurrency" });
  sessionID = session.data?.id ?? "";
}, 180_000);

afterAll(async () => {
  await host?.stop();
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the job journal with two CLI processes and one plugin writing at once", {
  timeout: 300_000,
}, () => {
  it("records every job once, ended done, on the worker that ran it", async () => {
    const cliWorkers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const spawned = await runWorkers(["spawn", "docs", "--json"], { cwd: project, env });
      expect(spawned, `${spawned.stderr}${spawned.stdout}`).toMatchObject({ code: 0 });
      const { id, pid } = JSON.parse(spawned.stdout) as { id: string; pid: number };
      pids.add(pid);
      cliWorkers.push(id);
    }
    const spawnedOnHost = await callTool("spawn_worker", { profile: "explorer", format: "json" });
    expect(spawnedOnHost, host.output()).toMatch(/"status": "ready"/);
    const hostWorker = JSON.parse(spawnedOnHost) as { id: string };
    expect(hostWorker.id).toMatch(/^explorer/);

    const ROUNDS = 3;
    const cliAsks = cliWorkers.map(async (id) => {
      for (let round = 0; round < ROUNDS; round++) {
        const asked = await orchestra(["workers", "ask", id, `${id} slowly ${round}`]);
        expect(asked).toMatchObject({ code: 0 });
      }
    });
    const hostAsks = (async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const out = await callTool("ask_worker", { id: hostWorker.id, message: `host slowly ${round}` });
        expect(out).toContain("A slowly streamed answer");
      }
    })();
    await Promise.all([...cliAsks, hostAsks]);

    const listed = await orchestra(["jobs", "--json", "--all"]);
    expect(listed).toMatchObject({ code: 0, stderr: "" });
    const jobs = JSON.parse(listed.stdout) as { id: string; worker: string; status: string }[];
    expect(jobs).toHaveLength(3 * ROUNDS);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(3 * ROUNDS);
    expect(jobs.every((j) => j.status === "done")).toBe(true);
    const perWorker = Object.fromEntries(
      [hostWorker.id, ...cliWorkers].map((w) => [w, jobs.filter((j) => j.worker === w).length]),
    );
    expect(perWorker).toEqual({
      [hostWorker.id]: ROUNDS,
      [cliWorkers[0] ?? ""]: ROUNDS,
      [cliWorkers[1] ?? ""]: ROUNDS,
    });
    // The plugin's jobs are read back through its own tool, from the same journal.
    const fromPlugin = await callTool("list_worker_jobs", { format: "json" });
    const seen = JSON.parse(fromPlugin) as { id: string }[];
    expect(seen.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it("after a SIGKILL of the orchestrator (the plugin's OpenCode) mid-reply, its job shows interrupted", async () => {
    const hostWorker = JSON.parse(await callTool("list_workers", { format: "json" })) as { id: string }[];
    const id = hostWorker[0]?.id ?? "";
    const asking = callTool("ask_worker", { id, message: "answer very slowly" }).catch(() => "killed");
    let running: { id: string } | undefined;
    await expect
      .poll(
        async () => {
          const listed = JSON.parse((await orchestra(["jobs", "--json"])).stdout) as {
            id: string;
            worker: string;
            status: string;
          }[];
          running = listed.find((j) => j.worker === id && j.status === "running");
          return running !== undefined;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe(true);
    process.kill(-host.pid, "SIGKILL");
    expect(await asking).toBe("killed");
    const after = JSON.parse((await orchestra(["jobs", "--json", "--all"])).stdout) as {
      id: string;
      status: string;
      endedAt: string | null;
    }[];
    expect(after.find((j) => j.id === running?.id)).toMatchObject({
      status: "interrupted",
      endedAt: expect.any(String),
    });
  });
});
