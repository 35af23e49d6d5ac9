// Process workers started by startProcessWorker against a real `opencode serve` and the scripted
// model: the profile prompt travels as the worker agent's system prompt (no model round trip or
// session message at spawn), and the enforcement handshake still gates ready. One scripted model
// for the file; each test starts (and stops) its own worker.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isGroupAlive } from "@orchestra/process";
import {
  type RecordedRequest,
  resolveOpencode,
  resolvePackageDir,
  type ScriptedModel,
  seedPluginInstall,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SpawnProgress, startProcessWorker, type WorkerSpec } from "./spawn.js";

const PROFILE_PROMPT = "You are the spawn-test specialist. Marker: 7f3c-profile-prompt.";
const plugin = join(import.meta.dirname, "..", "..", "test-fixtures", "handshake-plugin.mjs");
const opencode = resolveOpencode({ resolveFrom: import.meta.dirname });
let model: ScriptedModel;
let scratch = "";
let project = "";
let env: Record<string, string> = {};

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-spawn-"));
  project = join(scratch, "project");
  env = {
    HOME: join(scratch, "home"),
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_STATE_HOME: join(scratch, "state"),
    XDG_CACHE_HOME: join(scratch, "cache"),
  };
  for (const dir of [project, ...Object.values(env)]) mkdirSync(dir, { recursive: true });
  // A configured plugin makes OpenCode install @opencode-ai/plugin in each config dir first.
  const pluginPackage = resolvePackageDir("@opencode-ai/plugin", import.meta.dirname);
  const seed = pluginPackage ? { linkPluginPackage: pluginPackage } : {};
  seedPluginInstall(join(env.XDG_CONFIG_HOME ?? "", "opencode"), opencode.version, seed);
  seedPluginInstall(join(project, ".opencode"), opencode.version, seed);
  model = await startScriptedModel({ script: (req) => `answer to: ${req.lastUserText}` });
});

afterAll(async () => {
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function spec(id: string): WorkerSpec {
  return {
    id,
    profile: "spawn-test",
    kind: "process",
    model: { providerID: model.providerId, modelID: model.models[0]?.id ?? "fake-fast" },
    systemPrompt: PROFILE_PROMPT,
    directory: project,
  };
}

function start(id: string, extraEnv: Record<string, string> = {}, stages: SpawnProgress["stage"][] = []) {
  return startProcessWorker(spec(id), {
    binary: opencode.binary,
    baseConfig: { provider: model.providerConfig(), enabled_providers: [model.providerId] },
    env: { ...env, ...extraEnv },
    plugins: [plugin],
    startupTimeoutMs: 120_000,
    onProgress: (p) => stages.push(p.stage),
  });
}

/** True once the process group `pgid` is gone (polled for up to 10 s). */
async function gone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 400 && isGroupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 25));
  return !isGroupAlive(pgid);
}

/** The stages in order, without the "still waiting" lines (there are some only on a slow machine). */
const steps = (stages: SpawnProgress["stage"][]) => stages.filter((stage) => stage !== "waiting");

const textOf = (content: RecordedRequest["messages"][number]["content"]) => JSON.stringify(content ?? "");

describe("process worker spawn against a real OpenCode", { timeout: 180_000 }, () => {
  it("carries the profile prompt as the system prompt of every ask, with no prompt at spawn", async () => {
    const stages: SpawnProgress["stage"][] = [];
    const before = model.requests.length;
    const { worker } = await start("prompted", {}, stages);
    try {
      // Ready after the enforcement proof, with no profile prompt stage and no model request.
      expect(steps(stages)).toEqual([
        "dependencies",
        "spawning",
        "listening",
        "enforcement",
        "session",
        "ready",
      ]);
      expect(model.requests.length).toBe(before);
      const messages = await worker.client.session.messages({ sessionID: worker.info.sessionId ?? "" });
      expect(messages.data).toEqual([]);

      expect((await worker.ask("first question")).text).toBe("answer to: first question");
      expect((await worker.ask("second question")).text).toBe("answer to: second question");
      const asks = model.requests.slice(before).filter((r) => r.lastUserText.endsWith("question"));
      expect(asks.map((r) => r.lastUserText)).toEqual(["first question", "second question"]);
      for (const request of asks) {
        const system = request.messages.filter((m) => m.role === "system");
        expect(system.some((m) => textOf(m.content).includes(PROFILE_PROMPT))).toBe(true);
        // The prompt is the agent's, not a message in the conversation.
        const users = request.messages.filter((m) => m.role === "user");
        expect(users.some((m) => textOf(m.content).includes(PROFILE_PROMPT))).toBe(false);
      }
    } finally {
      await worker.stop(3_000);
    }
  });

  it("stops a worker whose plugin proves the wrong profile before it is ready", async () => {
    const stages: SpawnProgress["stage"][] = [];
    let pid: number | undefined;
    const failure = await startProcessWorker(spec("wrong-profile"), {
      binary: opencode.binary,
      baseConfig: { provider: model.providerConfig(), enabled_providers: [model.providerId] },
      env: { ...env, ORCHESTRA_FIXTURE_PROOF_PROFILE: "some-other-profile" },
      plugins: [plugin],
      startupTimeoutMs: 120_000,
      onProgress: (p) => {
        stages.push(p.stage);
        const listening = /\(pid (\d+)\)/.exec(p.message);
        if (p.stage === "listening" && listening) pid = Number(listening[1]);
      },
    }).then(
      () => undefined,
      (error: { code?: string; message?: string }) => error,
    );
    expect(failure?.code).toBe("WORKER_ENFORCEMENT_UNVERIFIED");
    expect(failure?.message).toContain(
      "carries no valid proof for worker wrong-profile and profile spawn-test",
    );
    expect(steps(stages)).toEqual(["dependencies", "spawning", "listening"]);
    expect(pid).toBeGreaterThan(0);
    // SIGKILLed before the spawn rejected; gone once the kernel has reaped it.
    expect(await gone(pid ?? 0)).toBe(true);
  });
});
