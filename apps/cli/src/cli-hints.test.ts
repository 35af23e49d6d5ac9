import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHint } from "./cli-hints.js";
import { runCli } from "./test-support/run-cli.js";

let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-hints-"));
  const home = join(root, "home");
  env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    ORCHESTRA_DEBUG: "",
  };
  await mkdir(join(root, ".opencode"), { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("cliHint", () => {
  it("names the CLI's commands instead of the plugin's tools, each once", () => {
    expect(cliHint("list jobs with `orchestra jobs` or list_worker_jobs")).toBe(
      "list jobs with `orchestra jobs`",
    );
    expect(cliHint("read its answer with get_worker_job or `orchestra jobs --all`")).toBe(
      "read its answer with `orchestra jobs --all`",
    );
    expect(cliHint("check the worker with list_workers or health_check")).toBe(
      "check the worker with `orchestra workers list` or `orchestra doctor`",
    );
    expect(cliHint("check the worker with `orchestra workers list` (health) or health_check")).toBe(
      "check the worker with `orchestra workers list` (health) or `orchestra doctor`",
    );
    expect(cliHint("spawn a new one with spawn_worker coder")).toBe(
      "spawn a new one with `orchestra workers spawn` coder",
    );
    // Names inside a word or a code span are left alone.
    expect(cliHint("my_list_workers_x and `list_workers`")).toBe("my_list_workers_x and `list_workers`");
  });
});

describe("the CLI's hints", () => {
  it("`orchestra workers cancel <unknown>` names `orchestra jobs`, not list_worker_jobs (text and --json)", async () => {
    const text = await runCli(["workers", "cancel", "job-nosuch"], { cwd: root, env });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('no job or worker "job-nosuch"');
    expect(text.stderr).toContain(
      "hint: list jobs with `orchestra jobs`, workers with `orchestra workers list`",
    );
    expect(text.stderr).not.toContain("list_worker_jobs");
    const json = await runCli(["workers", "cancel", "job-nosuch", "--json"], { cwd: root, env });
    expect(json.code).toBe(1);
    const failure = JSON.parse(json.stdout) as { code: string; hints: string[] };
    expect(failure.code).toBe("JOB_NOT_FOUND");
    expect(failure.hints).toEqual(["list jobs with `orchestra jobs`, workers with `orchestra workers list`"]);
  });
});
