import { OrchestraError } from "@orchestra/core";
import type { WorkerInfo } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { Activity } from "../activity.js";
import { type AutoSpawnDeps, autoSpawn } from "./auto-spawn.js";
import type { Toast } from "./toasts.js";

function info(id: string, profile = id): WorkerInfo {
  return {
    id,
    profile,
    kind: "process",
    status: "ready",
    model: "scripted/fake-fast",
    url: "",
    sessionId: "",
    startedAt: 0,
  };
}

/** An orchestra that records spawn calls; `spawn` resolves when the test says so. */
function fakeOrchestra(options: { running?: WorkerInfo[]; recovery?: Promise<undefined> } = {}) {
  const running = [...(options.running ?? [])];
  const calls: { profile: string; signal: AbortSignal | undefined }[] = [];
  const pending: { profile: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const orchestra: AutoSpawnDeps["orchestra"] = {
    recovery: options.recovery ?? Promise.resolve(undefined),
    workers: () => [...running],
    spawn: (profile, spawnOptions = {}) => {
      calls.push({ profile, signal: spawnOptions.signal });
      const existing = running.find((w) => w.profile === profile);
      if (existing) return Promise.resolve(existing);
      return new Promise<WorkerInfo>((resolve, reject) => {
        pending.push({
          profile,
          resolve: () => {
            const worker = info(profile);
            running.push(worker);
            resolve(worker);
          },
          reject,
        });
      });
    },
  };
  /** Wait until a spawn of `profile` is in flight. */
  const inFlight = async (profile: string) => {
    for (;;) {
      const found = pending.find((p) => p.profile === profile);
      if (found) return found;
      await new Promise((r) => setImmediate(r));
    }
  };
  return { orchestra, calls, inFlight };
}

function harness(
  config: AutoSpawnDeps["config"],
  orchestra: AutoSpawnDeps["orchestra"],
  signal?: AbortSignal,
) {
  const activity = new Activity();
  const appLines: string[] = [];
  const toasts: Toast[] = [];
  const run = autoSpawn({
    config,
    orchestra,
    activity,
    appLog: (level, message) => appLines.push(`${level} ${message}`),
    toast: (t) => toasts.push(t),
    ...(signal ? { signal } : {}),
  });
  const lines = () => activity.recent(50).map((e) => `${e.kind} ${e.message}`);
  return { run, lines, appLines, toasts };
}

describe("autoSpawn: the workers listed in the config, in the background", () => {
  it("spawns each listed profile in turn (strings and objects' ids, each once), logging start and ready", async () => {
    const { orchestra, calls, inFlight } = fakeOrchestra();
    const config = { autoSpawn: true, workers: ["coder", { id: "scout", extends: "explorer" }, "coder"] };
    const h = harness(config, orchestra);
    (await inFlight("coder")).resolve();
    // One at a time: scout starts only once coder is ready.
    const scout = await inFlight("scout");
    expect(calls.map((c) => c.profile)).toEqual(["coder", "scout"]);
    scout.resolve();
    const outcomes = await h.run;
    expect(outcomes.map((o) => [o.profile, o.status])).toEqual([
      ["coder", "ready"],
      ["scout", "ready"],
    ]);
    expect(h.lines()[0]).toBe("spawn auto-spawn: starting coder (1/2)…");
    expect(h.lines()[1]).toMatch(
      /^spawn auto-spawn: coder ready in \d+\.\d s on scripted\/fake-fast \(worker coder\)$/,
    );
    expect(h.lines()[2]).toBe("spawn auto-spawn: starting scout (2/2)…");
    expect(h.appLines[0]).toBe("info auto-spawn: starting coder (1/2)…");
    expect(h.appLines).toHaveLength(4);
  });

  it("autoSpawn false: spawns nothing and says so once", async () => {
    const { orchestra, calls } = fakeOrchestra();
    const h = harness({ autoSpawn: false, workers: ["coder", "docs"] }, orchestra);
    expect(await h.run).toEqual([]);
    expect(calls).toEqual([]);
    expect(h.lines()).toEqual(["info auto-spawn: off (autoSpawn is false); not starting coder, docs"]);
  });

  it("no workers listed: nothing spawned, nothing logged", async () => {
    const { orchestra, calls } = fakeOrchestra();
    const h = harness({ autoSpawn: true, workers: [] }, orchestra);
    expect(await h.run).toEqual([]);
    expect(calls).toEqual([]);
    expect(h.lines()).toEqual([]);
  });

  it("waits for recovery, and a profile with a running worker is not started again", async () => {
    let recovered: (v: undefined) => void = () => undefined;
    const recovery = new Promise<undefined>((resolve) => {
      recovered = resolve;
    });
    const { orchestra, calls } = fakeOrchestra({ running: [info("coder")], recovery });
    const h = harness({ autoSpawn: true, workers: ["coder"] }, orchestra);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([]); // not before recovery has reconnected what it can
    recovered(undefined);
    const [outcome] = await h.run;
    expect(outcome).toMatchObject({ profile: "coder", status: "running", worker: { id: "coder" } });
    expect(h.lines()).toContain(
      "info auto-spawn: coder already running as worker coder (ready); not started again",
    );
  });

  it("a failed spawn is logged with the error and what to do, toasted, and the next profile still starts", async () => {
    const { orchestra, inFlight } = fakeOrchestra();
    const h = harness({ autoSpawn: true, workers: ["vision", "docs"] }, orchestra);
    (await inFlight("vision")).reject(
      new OrchestraError("RUNTIME_NO_MODEL", "no model for vision", { hints: ["set a model"] }),
    );
    (await inFlight("docs")).resolve();
    const outcomes = await h.run;
    expect(outcomes.map((o) => o.status)).toEqual(["failed", "ready"]);
    const failure = h.lines().find((l) => l.startsWith("warn "));
    expect(failure).toContain("auto-spawn: vision failed to start: [RUNTIME_NO_MODEL] no model for vision");
    expect(failure).toContain("Start it by hand with spawn_worker profile=vision");
    expect(h.appLines.some((l) => l.startsWith("warn auto-spawn: vision failed to start"))).toBe(true);
    expect(h.toasts).toEqual([
      expect.objectContaining({
        variant: "error",
        message: expect.stringMatching(/^Auto-spawn of vision failed: /),
      }),
    ]);
  });

  it("shutdown (the signal) cancels the spawn in flight and starts nothing more", async () => {
    const { orchestra, calls, inFlight } = fakeOrchestra();
    const closing = new AbortController();
    const h = harness({ autoSpawn: true, workers: ["coder", "docs"] }, orchestra, closing.signal);
    const coder = await inFlight("coder");
    expect(calls[0]?.signal).toBe(closing.signal); // the facade cancels the spawn with it
    closing.abort("shutdown");
    coder.reject(new OrchestraError("WORKER_SPAWN_CANCELLED", "spawn of coder cancelled"));
    const outcomes = await h.run;
    expect(outcomes.map((o) => [o.profile, o.status])).toEqual([
      ["coder", "cancelled"],
      ["docs", "cancelled"],
    ]);
    expect(calls.map((c) => c.profile)).toEqual(["coder"]);
    expect(h.lines().at(-1)).toBe(
      "info auto-spawn: stopped: the orchestrator is shutting down; not started: coder, docs",
    );
    expect(h.toasts).toEqual([]);
  });

  it("never rejects, even when recovery failed", async () => {
    const { orchestra, inFlight } = fakeOrchestra({
      recovery: Promise.reject(new Error("registry unreadable")),
    });
    const h = harness({ autoSpawn: true, workers: ["coder"] }, orchestra);
    (await inFlight("coder")).resolve();
    expect((await h.run).map((o) => o.status)).toEqual(["ready"]);
  });
});
