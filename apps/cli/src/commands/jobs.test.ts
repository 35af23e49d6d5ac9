import { execFileSync, spawn } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { alive, cli, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// `orchestra jobs` against the job journal that real `orchestra workers ask` processes write (a real
// `opencode serve` worker and the scripted model, in an isolated HOME).
const dirs = cliUserDirs("orchestra-cli-jobs-");
const { root, project } = dirs;
const journalFile = join(dirs.xdg.XDG_DATA_HOME, "opencode", "orchestra", "jobs.db");
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();
const SLOW = "A slow reply: ".padEnd(400, "word ");

/** The exact fields of `orchestra jobs --json`. */
const FIELDS = ["cost", "endedAt", "id", "profile", "startedAt", "status", "tokens", "tool", "worker"];

interface JobJson {
  id: string;
  worker: string;
  profile: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  tool: string | null;
  tokens: Record<string, number> | null;
  cost: number | null;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `orchestra <args>`; `done` resolves when it exits. */
function start(args: readonly string[]): { pid: number; stdout: () => string; done: Promise<Run> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: project, env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => {
    stdout += t;
  });
  child.stderr.setEncoding("utf8").on("data", (t: string) => {
    stderr += t;
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid ?? 0, stdout: () => stdout, done };
}

async function jobs(...args: string[]): Promise<JobJson[]> {
  const run = await start(["jobs", "--json", ...args]).done;
  expect(run).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(run.stdout) as JobJson[];
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        { userText: "slowly", reply: { type: "text", text: SLOW, chunkSize: 5, chunkDelayMs: 100 } },
        {
          userText: "run the tool",
          reply: {
            type: "tool-calls",
            // Blocks until the test writes to the FIFO: the job is running that tool until then.
            calls: [{ name: "bash", args: { command: "cat gate.fifo", description: "wait at the gate" } }],
          },
        },
        { toolResult: "bash", reply: "tool done" },
      ],
      (req) => `worker says: ${req.lastUserText}`,
    ),
  }));
});

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra jobs", { timeout: 240_000 }, () => {
  it("with no journal yet prints [] (and the table says so) without creating the journal", async () => {
    expect(await jobs()).toEqual([]);
    const table = await start(["jobs"]).done;
    expect(table).toMatchObject({ code: 0, stderr: "" });
    expect(table.stdout).toMatch(/^No jobs yet\./);
    expect(existsSync(journalFile)).toBe(false);
  });

  it("`workers ask` is a job that `jobs --json` shows done, with exactly the documented fields", async () => {
    const spawned = await runWorkers(["spawn", "explorer", "--json"], { cwd: project, env });
    expect(spawned.code).toBe(0);
    pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);

    const asked = await runWorkers(["ask", "explorer", "hello there"], { cwd: project, env });
    expect(asked).toMatchObject({ code: 0, stdout: "worker says: hello there\n" });

    const listed = await jobs();
    expect(listed).toHaveLength(1);
    const [job] = listed;
    expect(Object.keys(job ?? {}).sort()).toEqual(FIELDS);
    expect(job).toMatchObject({
      id: expect.stringMatching(/^job-[0-9a-f]{8}$/),
      worker: "explorer",
      profile: "explorer",
      status: "done",
      tool: null,
    });
    expect(new Date(job?.startedAt ?? "").toISOString()).toBe(job?.startedAt);
    expect(Date.parse(job?.endedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(job?.startedAt ?? ""));
    // OpenCode's counts of the worker's reply (the scripted model reports none: zeros, not null).
    expect(Object.keys(job?.tokens ?? {}).sort()).toEqual([
      "cacheRead",
      "cacheWrite",
      "input",
      "output",
      "reasoning",
    ]);
    expect(typeof job?.cost).toBe("number");

    const table = await start(["jobs"]).done;
    expect(table.stdout).toMatch(/^id\s+worker\s+profile\s+status\s+started\s+duration\s+tool/);
    expect(table.stdout).toContain(`${job?.id}  explorer  explorer  done`);
  });

  it("shows the tool a running job's worker runs now, then the job done with no tool", async () => {
    const gate = join(project, "gate.fifo");
    execFileSync("mkfifo", [gate]);
    const ask = start(["workers", "ask", "explorer", "please run the tool"]);
    await vi.waitFor(
      async () => expect((await jobs())[0]).toMatchObject({ status: "running", tool: "bash", endedAt: null }),
      { timeout: 60_000, interval: 200 },
    );
    writeFileSync(gate, "open\n");
    expect(await ask.done).toMatchObject({ code: 0, stdout: "tool done\n" });
    expect((await jobs())[0]).toMatchObject({ status: "done", tool: null });
  });

  it("--all lists every job; by default the running ones and the last 20 ended ones", async () => {
    for (let i = 0; i < 18; i++) {
      const asked = await runWorkers(["ask", "explorer", `quick ${i}`], { cwd: project, env });
      expect(asked.code).toBe(0);
    }
    const all = await jobs("--all");
    expect(all).toHaveLength(20);
    expect(new Set(all.map((j) => j.id)).size).toBe(20);
    expect(all.every((j) => j.status === "done")).toBe(true);
    expect(await jobs()).toHaveLength(20);
    const latest = await start(["workers", "ask", "explorer", "quick last"]).done;
    expect(latest.code).toBe(0);
    expect(await jobs("--all")).toHaveLength(21);
    // The oldest ended job is no longer among the last 20.
    expect((await jobs()).map((j) => j.id)).not.toContain(all.at(-1)?.id);
  });

  it("after a SIGKILL of the asking process, its job shows `interrupted` at the next read", async () => {
    const ask = start(["workers", "ask", "explorer", "answer slowly"]);
    await vi.waitFor(async () => expect((await jobs())[0]).toMatchObject({ status: "running" }), {
      timeout: 60_000,
      interval: 200,
    });
    process.kill(ask.pid, "SIGKILL");
    expect((await ask.done).signal).toBe("SIGKILL");
    const [job] = await jobs();
    expect(job).toMatchObject({ worker: "explorer", status: "interrupted", endedAt: expect.any(String) });
    const table = await start(["jobs"]).done;
    expect(table.stdout).toContain(
      `${job?.id}: JOB_INTERRUPTED: its owner (orchestra command, pid ${ask.pid})`,
    );
  });

  it("--watch redraws until Ctrl-C, then exits 0 with no stack trace", async () => {
    const watch = start(["jobs", "--watch"]);
    await vi.waitFor(
      () => expect(watch.stdout().match(/orchestra jobs — /g)?.length ?? 0).toBeGreaterThan(1),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    process.kill(watch.pid, "SIGINT");
    const run = await watch.done;
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("done");
  });

  it("--help names the statuses and the JSON fields", async () => {
    const help = await start(["jobs", "--help"]).done;
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).toContain("{ id, worker, profile, status, startedAt, endedAt, tool, tokens, cost }");
    expect(text).toContain("queued, running, done, failed, cancelled, interrupted");
  });
});
