// Fault 3c: a process worker whose orchestrator was SIGKILLed (no shutdown ran) used to live on until
// the registry's 24 h TTL. Now the orchestrator hands the worker its identity (pid + start time) and
// the worker's plugin watches it: once the owner is gone, the worker disposes its instance and stops.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isGroupAlive, killGroup } from "@orchestra/process";
import {
  resolveOpencode,
  type ScriptedModel,
  seedPluginInstall,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const plugin = pathToFileURL(join(here, "..", "dist", "index.js")).href;
const ownerScript = join(here, "..", "test-fixtures", "owner-orchestrator.mjs");
/** A generous cap: the watchdog checks every 2 s, the worker then needs its dispose and exit. */
const CAP_MS = 60_000;

const root = mkdtempSync(join(tmpdir(), "orchestra-owner-watchdog-"));
const project = join(root, "project");
const xdg = {
  XDG_CONFIG_HOME: join(root, "config"),
  XDG_DATA_HOME: join(root, "data"),
  XDG_STATE_HOME: join(root, "state"),
  XDG_CACHE_HOME: join(root, "cache"),
};
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const workers: number[] = [];

beforeAll(async () => {
  model = await startScriptedModel({ script: (req) => `worker says: ${req.lastUserText ?? ""}` });
  const { binary, version } = resolveOpencode({ resolveFrom: here });
  const configDir = join(xdg.XDG_CONFIG_HOME, "opencode");
  mkdirSync(configDir, { recursive: true });
  mkdirSync(project, { recursive: true });
  // The user's global OpenCode config: the provider every worker inherits.
  writeFileSync(
    join(configDir, "opencode.json"),
    JSON.stringify({
      autoupdate: false,
      share: "disabled",
      provider: model.providerConfig(),
      enabled_providers: ["scripted"],
      model: "scripted/fake-fast",
      small_model: "scripted/fake-fast",
    }),
  );
  seedPluginInstall(configDir, version);
  seedPluginInstall(join(project, ".opencode"), version);
  env = {
    PATH: process.env.PATH,
    HOME: join(root, "home"),
    ...xdg,
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    ORCHESTRA_OPENCODE_BIN: binary,
  };
});

afterAll(async () => {
  for (const pid of workers) if (pid > 1 && isGroupAlive(pid)) killGroup(pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Resolves with the worker's pid once the owner printed it. */
function workerPid(owner: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    owner.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /WORKER (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    owner.once("exit", (code, signal) =>
      reject(new Error(`the owner exited first (${code}, ${signal}): ${out}`)),
    );
  });
}

async function gone(pgid: number): Promise<boolean> {
  const deadline = Date.now() + CAP_MS;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !isGroupAlive(pgid);
}

describe("the owner watchdog of a process worker (fault 3c)", () => {
  it("a worker whose orchestrator is SIGKILLed stops itself, its whole process group with it", async () => {
    const owner = spawn(process.execPath, [ownerScript, project, plugin], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await workerPid(owner);
    workers.push(pid);
    expect(isGroupAlive(pid)).toBe(true);
    const ownerExit = new Promise((resolve) => owner.once("exit", resolve));
    owner.kill("SIGKILL");
    await ownerExit;
    // Nobody stops it from outside: the worker must notice on its own.
    expect(await gone(pid)).toBe(true);
  });
});
