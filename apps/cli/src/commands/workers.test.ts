import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";
import { runCli } from "../test-support/run-cli.js";

// `orchestra workers spawn|list|ask|stop` against real `opencode serve` workers and the scripted
// model, in an isolated HOME. Workers spawned by the CLI outlive the CLI process.
const dirs = cliUserDirs("orchestra-cli-workers-");
const { root, project } = dirs;
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

const orchestra = (...args: string[]) => runWorkers(args, { cwd: project, env });

beforeAll(async () => {
  // A user's global OpenCode config: the providers every worker inherits.
  ({ model, env } = await startCliUser(dirs, {
    script: (req) => `worker says: ${req.lastUserText ?? ""}`,
  }));
});

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers", () => {
  it("spawn --json prints exactly { id, kind, pid, url, model }, and the worker outlives the CLI", async () => {
    const result = await orchestra("spawn", "explorer", "--json");
    expect(result.code).toBe(0);
    const worker = JSON.parse(result.stdout) as {
      id: string;
      kind: string;
      pid: number;
      url: string;
      model: string;
    };
    pids.add(worker.pid);
    expect(Object.keys(worker).sort()).toEqual(["id", "kind", "model", "pid", "url"]);
    // explorer's model is auto:fast: a small model of the user's provider (the routing table tests which).
    expect(worker).toMatchObject({
      id: "explorer",
      kind: "process",
      model: expect.stringMatching(/^scripted\//),
    });
    expect(worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.stderr).toContain("explorer:");
    // Which model and why, in one line.
    expect(result.stderr).toMatch(
      /^ {2}explorer: model scripted\/fake-[a-z]+ \([a-z-]+(, auto[:\w]*)?(, from "[^"]+")?\): \S.*$/m,
    );
    expect(alive(worker.pid)).toBe(true);
  });

  it("list --json is an array of workers with id, status and health (each server probed)", async () => {
    const result = await orchestra("list", "--json");
    expect(result.code).toBe(0);
    const workers = JSON.parse(result.stdout) as { id: string; status: string; owner: string }[];
    expect(workers).toEqual([
      expect.objectContaining({
        id: "explorer",
        status: "ready",
        health: "healthy",
        healthReason: null,
        owner: "cli",
      }),
    ]);
  });

  it("ask prints the worker's answer (a new CLI process proves the worker with its derived password)", async () => {
    const result = await orchestra("ask", "explorer", "where is main?");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("worker says: where is main?\n");
  });

  it("ask --json prints { workerId, jobId, text, durationMs, model }: jobId is the ask's job in the journal", async () => {
    const result = await orchestra("ask", "explorer", "which job?", "--json");
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(["durationMs", "jobId", "model", "text", "workerId"]);
    expect(answer).toMatchObject({ workerId: "explorer", text: "worker says: which job?" });
    expect(answer.jobId).toEqual(expect.any(String));
    const jobs = JSON.parse((await runCli(["jobs", "--json"], { cwd: project, env })).stdout) as {
      id: string;
      status: string;
    }[];
    expect(jobs).toContainEqual(expect.objectContaining({ id: answer.jobId, status: "done" }));
  });

  it("ask names the workers that exist when the id is unknown; stop needs an id or --all", async () => {
    const unknown = await orchestra("ask", "nobody", "hi");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no worker "nobody"; workers: explorer (ready)');
    expect((await orchestra("stop")).code).toBe(2);
  });

  it("--registry: a worker spawned into another registry is listed, found hung (suspect) and stopped there", async () => {
    const registry = join(root, "other-registry.json");
    const spawned = await orchestra("spawn", "explorer", "--json", "--registry", registry);
    expect(spawned.code).toBe(0);
    const { id, pid } = JSON.parse(spawned.stdout) as { id: string; pid: number };
    pids.add(pid);
    // Its own registry only: the default one still has just the first explorer.
    expect(
      (JSON.parse((await orchestra("list", "--json")).stdout) as { id: string }[]).map((w) => w.id),
    ).toEqual(["explorer"]);
    process.kill(pid, "SIGSTOP");
    try {
      const hung = await orchestra("list", "--json", "--registry", registry, "--probe-timeout", "500");
      expect(JSON.parse(hung.stdout)).toEqual([
        expect.objectContaining({
          id,
          status: "ready",
          health: "suspect",
          healthReason: expect.stringMatching(/timed out/),
        }),
      ]);
      const text = await orchestra("list", "--registry", registry, "--probe-timeout", "500");
      expect(text.stdout).toMatch(
        new RegExp(`^id\\s+status\\s+health\\s+kind.*\\n${id}\\s+ready\\s+suspect\\s+process`),
      );
      expect(text.stdout).toContain(`${id}: suspect: GET`);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const stopped = await orchestra("stop", id, "--registry", registry);
    expect(stopped.stdout).toMatch(new RegExp(`^stopped ${id} \\((terminated|killed)\\)\\n$`));
    expect(JSON.parse((await orchestra("list", "--json", "--registry", registry)).stdout)).toEqual([]);
  });

  it("--help of list, spawn and stop documents --registry (and list its health probe)", async () => {
    for (const command of ["list", "spawn", "stop", "ask"]) {
      const help = await orchestra(command, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--registry <file>");
    }
    expect((await orchestra("list", "--help")).stdout).toMatch(/health[\s\S]*--probe-timeout <ms>/);
    expect((await orchestra("spawn", "--help")).stdout).toContain("SIGINT/SIGTERM");
  });

  it("stop ends the worker's process group and removes it from the registry", async () => {
    const [pid] = [...pids];
    const result = await orchestra("stop", "explorer");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^stopped explorer \((terminated|killed|exited)\)\n$/);
    expect(pid !== undefined && alive(pid)).toBe(false);
    expect(JSON.parse((await orchestra("list", "--json")).stdout)).toEqual([]);
  });
});
