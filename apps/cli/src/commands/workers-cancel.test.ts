import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { type RecordedRequest, rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cli, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import { type CliRun, runCli } from "../test-support/run-cli.js";

// `orchestra workers cancel` and `orchestra workers steer` across processes: a real process worker
// (its own `opencode serve`) and the scripted model, in an isolated HOME. `orchestra workers ask`
// runs in one process while `cancel` (or `steer`) runs in another, which finds the worker's server,
// credentials and session through the device registry. The asking process exits 1 with
// JOB_CANCELLED; a steer's text reaches the worker's model in a later request.
const dirs = cliUserDirs("orchestra-cli-cancel-");
const { root, project } = dirs;
/** About 12 s of streaming: 120 chunks, 100 ms apart. */
const LONG = "lorem ipsum ".repeat(120);
const STEER = "STEER: finish with the word bananas";
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

const orchestra = (...args: string[]): Promise<CliRun> => runWorkers(args, { cwd: project, env });

/** Wait until the worker's model has a request whose last user message contains `text`. */
async function workerRequest(text: string): Promise<RecordedRequest> {
  for (;;) {
    const found = model.requests.find((r) => r.lastUserText.includes(text) && r.toolNames.length > 0);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        {
          userText: "long reply",
          toolsOffered: true,
          reply: { type: "text", text: LONG, chunkSize: 12, chunkDelayMs: 100 },
        },
        { userText: STEER, toolsOffered: true, reply: "steered answer: bananas" },
      ],
      (req) => `worker says: ${req.lastUserText}`,
    ),
  }));
  const spawned = await orchestra("spawn", "explorer", "--json");
  expect(spawned.code).toBe(0);
  pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);
}, 240_000);

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers cancel", { timeout: 240_000 }, () => {
  it("a cancel from another process ends `workers ask` with exit 1 and JOB_CANCELLED; the worker answers the next ask", async () => {
    const asking = orchestra("ask", "explorer", "give a long reply");
    await workerRequest("give a long reply");
    const cancelled = await orchestra("cancel", "explorer");
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(/^cancelled job job-\w+ of explorer: its turn was aborted in \d+ ms/);

    const asked = await asking;
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain("JOB_CANCELLED");
    expect(asked.stderr).toContain('worker "explorer" did not answer');
    expect(asked.stdout).toBe("");

    const next = await orchestra("ask", "explorer", "hello again");
    expect(next.code).toBe(0);
    expect(next.stdout).toBe("worker says: hello again\n");
    const listed = JSON.parse((await orchestra("list", "--json")).stdout) as { id: string; status: string }[];
    expect(listed.find((w) => w.id === "explorer")?.status).toBe("ready");
  });

  it("with --json the cancelled ask prints the one failure object", async () => {
    const asking = orchestra("ask", "explorer", "another long reply", "--json");
    await workerRequest("another long reply");
    const cancelled = await orchestra("cancel", "explorer", "--json");
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ worker: "explorer" });

    const asked = await asking;
    expect(asked.code).toBe(1);
    const failure = JSON.parse(asked.stdout) as Record<string, unknown>;
    expect(Object.keys(failure).sort()).toEqual(["code", "hints", "message", "ok"]);
    expect(failure).toMatchObject({ ok: false, code: "JOB_CANCELLED" });
    expect(asked.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("a cancel by job id (from `orchestra jobs --json`) ends that ask with JOB_CANCELLED; the journal says cancelled", async () => {
    const asking = orchestra("ask", "explorer", "a long reply by job id");
    await workerRequest("long reply by job id");
    const jobs = JSON.parse((await runCli(["jobs", "--json"], { cwd: project, env })).stdout) as {
      id: string;
      worker: string;
      status: string;
    }[];
    const job = jobs.find((j) => j.worker === "explorer" && j.status === "running");
    expect(job).toBeDefined();
    const id = job?.id ?? "";

    const cancelled = await orchestra("cancel", id, "--json");
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ worker: "explorer", job: id });
    const asked = await asking;
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      `JOB_CANCELLED: worker "explorer" did not answer: its job ${id} was cancelled`,
    );

    const after = JSON.parse((await runCli(["jobs", "--json", "--all"], { cwd: project, env })).stdout) as {
      id: string;
      status: string;
    }[];
    expect(after.find((j) => j.id === id)?.status).toBe("cancelled");
    const again = await orchestra("cancel", id, "--json");
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, code: "JOB_NOT_RUNNING" });
  });

  it("a worker whose asking process was SIGKILLed (its job interrupted, its turn still running) is cancelled by its id; the next ask gets a fresh turn", async () => {
    const asking = spawn(process.execPath, [cli, "workers", "ask", "explorer", "a long reply, then killed"], {
      cwd: project,
      env,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => asking.on("close", resolve));
    const left = await workerRequest("a long reply, then killed");
    asking.kill("SIGKILL");
    await exited;

    const cancelled = await orchestra("cancel", "explorer");
    expect(cancelled.stderr).toBe("");
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(
      /^aborted the running turn of explorer in \d+ ms \(its job job-\w+ was interrupted: the asking process is gone\)/,
    );

    const next = await orchestra("ask", "explorer", "hello after the kill");
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe("worker says: hello after the kill\n");
    // The leftover turn ended (aborted) before the next ask's request reached the model.
    const fresh = await workerRequest("hello after the kill");
    expect(left.finishedAt).toBeDefined();
    expect(left.finishedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(fresh.receivedAt);
  });

  it("cancelling an idle worker fails with JOB_NOT_RUNNING", async () => {
    const r = await orchestra("cancel", "explorer", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      code: "JOB_NOT_RUNNING",
      message: 'worker "explorer" is not working on a job: nothing to cancel',
    });
  });

  it("an unknown id names the workers that exist", async () => {
    const r = await orchestra("cancel", "nobody");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no job or worker "nobody"; workers: explorer');
  });
});

describe("orchestra workers steer", { timeout: 240_000 }, () => {
  it("a steer from another process reaches the worker's model in a later request; the ask prints the answer written after it", async () => {
    const asking = orchestra("ask", "explorer", "a long reply to steer");
    const first = await workerRequest("long reply to steer");
    const steered = await orchestra("steer", "explorer", STEER);
    expect(steered.code).toBe(0);
    expect(steered.stdout).toMatch(/^queued for explorer/);

    const asked = await asking;
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe("steered answer: bananas\n");
    const later = model.requests.filter(
      (r) => r.index > first.index && r.toolNames.length > 0 && r.lastUserText === STEER,
    );
    expect(later).toHaveLength(1);
  });

  it("an empty instruction is a usage error; an idle worker cannot be steered", async () => {
    const empty = await orchestra("steer", "explorer", "  ");
    expect(empty.code).toBe(2);
    const idle = await orchestra("steer", "explorer", "more", "--json");
    expect(idle.code).toBe(1);
    expect(JSON.parse(idle.stdout)).toMatchObject({ ok: false, code: "JOB_NOT_RUNNING" });
  });
});
