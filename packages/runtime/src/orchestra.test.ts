// The facade against real `opencode serve` workers driven by the scripted model (one model per
// file), each test in its own home (registry, manifest, secret, worker HOME).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type OrchestratorConfigInput, orchestratorConfigSchema } from "@orchestra/config";
import { isProcessAlive } from "@orchestra/process";
import { loadProfileRegistry } from "@orchestra/profiles";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { resolveOpencode, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectWorker, listDeviceWorkers } from "./device-workers.js";
import { createOrchestra } from "./orchestra.js";
import type { Orchestra, OrchestraOptions } from "./orchestra-types.js";

let model: ScriptedModel;
const roots: string[] = [];
const pids = new Set<number>();

beforeAll(async () => {
  model = await startScriptedModel({ script: (req) => `answer to: ${req.lastUserText ?? ""}` });
});
afterAll(async () => {
  for (const pid of pids) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  for (const root of roots) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  await model?.close();
});

/** The scripted provider as an OpenCode `GET /provider` answer. */
function catalog(): OpencodeProviderList {
  const models = Object.fromEntries(
    model.models.map((m) => [
      m.id,
      {
        id: m.id,
        name: m.id,
        capabilities: {
          toolcall: true,
          attachment: true,
          reasoning: true,
          input: { text: true, image: true },
        },
        cost: { input: 1, output: 1 },
        limit: { context: 100_000, output: 8_000 },
      },
    ]),
  );
  return {
    all: [{ id: model.providerId, name: model.providerId, env: [], models }],
    connected: [model.providerId],
    default: { [model.providerId]: model.models[0]?.id ?? "" },
  };
}

/** A home of its own and an orchestra in it (process workers only, scripted model). */
async function orchestraIn(
  extra: Partial<OrchestraOptions> = {},
  config: OrchestratorConfigInput = {},
): Promise<{ orchestra: Orchestra; registryFile: string; secretFile: string; warnings: string[] }> {
  const root = mkdtempSync(join(tmpdir(), "orchestra-facade-"));
  roots.push(root);
  const directory = join(root, "project");
  const scratch = join(root, "worker-home");
  const env = {
    HOME: scratch,
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_STATE_HOME: join(scratch, "state"),
    XDG_CACHE_HOME: join(scratch, "cache"),
  };
  for (const dir of [directory, ...Object.values(env)]) mkdirSync(dir, { recursive: true });
  const parsed = orchestratorConfigSchema.parse({ spawn: { startupTimeoutMs: 120_000 }, ...config });
  const registryFile = join(root, "data", "registry.json");
  const secretFile = join(root, "data", "worker-secret");
  const warnings: string[] = [];
  const orchestra = await createOrchestra({
    config: parsed,
    directory,
    profiles: await loadProfileRegistry({ projectDir: directory, config: { profiles: parsed.profiles } }),
    binary: resolveOpencode().binary,
    catalog: async () => catalog(),
    workerBaseConfig: async () => ({
      provider: model.providerConfig(),
      enabled_providers: [model.providerId],
    }),
    workerEnv: env,
    registryFile,
    manifestFile: join(root, "config", "orchestrator-recovery.json"),
    secretFile,
    logger: { warn: (message) => warnings.push(message) },
    ...extra,
  });
  return { orchestra, registryFile, secretFile, warnings };
}

describe("createOrchestra", { timeout: 180_000 }, () => {
  it("spawns, asks, runs a job and stops a process worker through one object; the registry follows", async () => {
    const { orchestra, registryFile } = await orchestraIn();
    expect(await orchestra.recovery).toMatchObject({ found: 0, killed: [], reconnected: [] });
    const events: string[] = [];
    orchestra.on("worker:ready", (info) => events.push(`ready ${info.id}`));
    orchestra.on("worker:stopped", (info) => events.push(`stopped ${info.id}`));

    const worker = await orchestra.spawn("coder", { kind: "process" });
    if (worker.pid) pids.add(worker.pid);
    expect(worker).toMatchObject({ id: "coder", kind: "process", status: "ready" });
    expect(orchestra.workers().map((w) => w.id)).toEqual(["coder"]);
    expect((await orchestra.ask("coder", "hello")).text).toBe("answer to: hello");
    const job = orchestra.askAsync("coder", "in the background");
    expect((await orchestra.awaitJob(job.id, 120_000)).result?.text).toBe("answer to: in the background");
    // Both asks are jobs of the journal beside the registry: the async one ended last.
    const [async, sync] = orchestra.jobs("coder");
    expect(async).toMatchObject({ id: job.id, status: "done", text: "answer to: in the background" });
    expect(sync).toMatchObject({
      worker: "coder",
      profile: "coder",
      status: "done",
      message: "hello",
      text: "answer to: hello",
      owner: { kind: "orchestrator", pid: process.pid },
      tool: null,
    });
    expect(orchestra.journal().file).toBe(join(dirname(registryFile), "jobs.db"));

    const [recorded] = await orchestra.deviceWorkers({ probe: true });
    expect(recorded).toMatchObject({ entry: { id: "coder", status: "ready" }, health: { state: "healthy" } });
    expect(orchestra.health()).toEqual([expect.objectContaining({ id: "coder", state: "healthy" })]);

    await orchestra.stop("coder");
    expect(events).toEqual(["ready coder", "stopped coder"]);
    expect(worker.pid !== undefined && isProcessAlive(worker.pid)).toBe(false);
    // The entry is removed in the background, right after the stop.
    await vi.waitFor(async () => expect(await orchestra.deviceWorkers()).toEqual([]), { timeout: 10_000 });
    expect(() => orchestra.worker("coder")).toThrow(/no worker "coder"; no workers are running/);
    expect(await orchestra.shutdown()).toMatchObject({ leftovers: [], forced: false });
  });

  it("leases a warm worker with acquire, asks it, and bounds the acquire queue (warmPoolMaxQueue)", async () => {
    const { orchestra } = await orchestraIn(
      { warmPoolMaxQueue: 1 },
      { warmPool: { enabled: true, profiles: { coder: { size: 1 } } } },
    );
    try {
      const lease = await orchestra.acquire("coder", { timeoutMs: 120_000 });
      if (lease.worker.pid) pids.add(lease.worker.pid);
      expect(lease.worker).toMatchObject({ profile: "coder", kind: "process" });
      expect((await lease.ask("warm?")).text).toBe("answer to: warm?");
      // The pool grows to twice its size; then one acquire may wait, and the next is refused at once.
      const second = await orchestra.acquire("coder", { timeoutMs: 120_000 });
      if (second.worker.pid) pids.add(second.worker.pid);
      expect(second.worker.id).not.toBe(lease.worker.id);
      const waiting = orchestra.acquire("coder", { timeoutMs: 120_000 });
      await vi.waitFor(() => expect(orchestra.warmPools().coder?.waiting).toBe(1), { timeout: 10_000 });
      await expect(orchestra.acquire("coder", { timeoutMs: 30_000 })).rejects.toMatchObject({
        code: "POOL_QUEUE_FULL",
      });
      lease.release();
      const again = await waiting;
      expect(again.worker.id).toBe(lease.worker.id);
      again.release();
      second.release();
      await expect(orchestra.acquire("nobody")).rejects.toMatchObject({ code: "LIFECYCLE_NO_WARM_POOL" });
    } finally {
      expect(await orchestra.shutdown()).toMatchObject({ leftovers: [] });
    }
  });

  it("checks a profile model against the catalog before using it; reset undoes it", async () => {
    const { orchestra } = await orchestraIn({}, { healthCheck: { enabled: false } });
    const fast = `${model.providerId}/${model.models[0]?.id}`;
    await expect(orchestra.setProfileModel("coder", "nowhere/nothing")).rejects.toMatchObject({
      code: expect.stringMatching(/UNKNOWN/),
    });
    expect(orchestra.profileModel("coder")).toBeUndefined();
    const change = await orchestra.setProfileModel("coder", fast);
    expect(change).toMatchObject({
      profile: "coder",
      model: fast,
      previous: undefined,
      runningOnOtherModels: [],
    });
    expect(orchestra.profileModel("coder")).toBe(fast);
    expect((await orchestra.resolveModel("coder")).model).toBe(fast);
    expect(orchestra.resetProfileModels()).toEqual([{ profile: "coder", model: fast }]);
    expect(orchestra.profileModel("coder")).toBeUndefined();
    await orchestra.shutdown();
  });

  it("a CLI-owned worker outlives detach, is asked with connectWorker, probes suspect when hung, and stops", async () => {
    const { orchestra, registryFile, secretFile } = await orchestraIn({ owner: "cli" });
    expect(await orchestra.recovery).toBeUndefined();
    const worker = await orchestra.spawn("explorer", { kind: "process" });
    const pid = worker.pid ?? 0;
    pids.add(pid);
    await orchestra.detach();
    expect(isProcessAlive(pid)).toBe(true);

    const [found] = await listDeviceWorkers({ registryFile, secretFile, probe: true });
    expect(found).toMatchObject({ live: "cli-owned-alive", health: { state: "healthy" } });
    if (found === undefined) throw new Error("the worker is not in the registry");
    const connection = await connectWorker(found.entry, { registryFile, secretFile });
    expect((await connection.ask("are you there?")).text).toBe("answer to: are you there?");

    process.kill(pid, "SIGSTOP");
    try {
      const [hung] = await listDeviceWorkers({ registryFile, secretFile, probe: true, probeTimeoutMs: 500 });
      expect(hung?.entry.status).toBe("ready");
      expect(hung?.health).toMatchObject({ state: "suspect", reason: expect.stringMatching(/timed out/) });
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(await connection.stop(2_000)).toMatch(/terminated|killed/);
    expect(isProcessAlive(pid)).toBe(false);
    expect(await listDeviceWorkers({ registryFile })).toEqual([]);
  });

  it("shutting a CLI-owned orchestra down in the middle of a spawn stops the worker and leaves no entry", async () => {
    const { orchestra, registryFile } = await orchestraIn({ owner: "cli" });
    let listening: number | undefined;
    let shutdown: Promise<unknown> | undefined;
    const spawned = orchestra.spawn("explorer", {
      kind: "process",
      onProgress: (p) => {
        if (p.stage !== "listening" || shutdown) return;
        listening = Number(/pid (\d+)/.exec(p.message)?.[1]);
        pids.add(listening);
        shutdown = orchestra.shutdown();
      },
    });
    await expect(spawned).rejects.toMatchObject({ code: expect.stringMatching(/CANCELLED/) });
    await shutdown;
    expect(listening).toBeGreaterThan(0);
    // SIGKILLed by then; the kernel takes a moment to tear the process down.
    await vi.waitFor(() => expect(isProcessAlive(listening ?? 0)).toBe(false), { timeout: 5_000 });
    expect(await listDeviceWorkers({ registryFile })).toEqual([]);
  });
});
