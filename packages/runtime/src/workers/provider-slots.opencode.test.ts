// modelSelection.maxConcurrent against a real `opencode serve`: an orchestrator with a cap of 1 on
// the scripted provider and three session workers asked at once. Each model request takes 400 ms,
// so overlapping requests would show in the scripted model's log (receivedAt/finishedAt); the log
// shows them one after another, and the asks that waited said so in their progress. One OpenCode
// for the file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orchestratorConfigSchema } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import {
  type OpencodeInstance,
  type RecordedRequest,
  reply,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCatalog } from "../lifecycle/test-support/harness.js";
import { createOrchestra } from "../orchestra.js";
import type { AskProgress } from "./ask-watch.js";
import { ProviderSlots } from "./provider-slots.js";

let model: ScriptedModel;
let opencode: OpencodeInstance;
let root = "";

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "orchestra-provider-slots-"));
  model = await startScriptedModel({
    script: (req) => reply.text(`answer to: ${req.lastUserText}`, { delayMs: 400 }),
  });
  opencode = await startOpencode({ model, resolveFrom: import.meta.dirname });
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (root) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

/** The asks' requests (OpenCode's own title requests offer no tools). */
const askRequests = (marker: string): RecordedRequest[] =>
  model.requests.filter((r) => r.lastUserText.startsWith(marker) && r.toolNames.length > 0);

/** Pairs of requests whose [receivedAt, finishedAt] intervals overlap. */
function overlaps(requests: readonly RecordedRequest[]): [number, number][] {
  const found: [number, number][] = [];
  for (const a of requests)
    for (const b of requests)
      if (a.index < b.index && b.receivedAt < (a.finishedAt ?? Number.POSITIVE_INFINITY))
        if (a.receivedAt < (b.finishedAt ?? Number.POSITIVE_INFINITY)) found.push([a.index, b.index]);
  return found;
}

describe("modelSelection.maxConcurrent in one orchestrator", { timeout: 120_000 }, () => {
  it("three session workers asked at once never have two requests to the capped provider in flight", async () => {
    const config = orchestratorConfigSchema.parse({
      modelSelection: { maxConcurrent: { [model.providerId]: 1 } },
    });
    const orchestra = await createOrchestra({
      config,
      directory: opencode.directory,
      profiles: await loadProfileRegistry({
        projectDir: opencode.directory,
        config: { profiles: config.profiles },
      }),
      owner: "cli",
      host: { client: opencode.client, url: opencode.url },
      catalog: async () => fakeCatalog(model.providerId, "fake-fast"),
      registryFile: join(root, "registry.json"),
      manifestFile: join(root, "recovery.json"),
      secretFile: join(root, "worker-secret"),
      logger: { warn: () => undefined },
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const worker = await orchestra.spawn("coder", {
          kind: "session",
          model: `${model.providerId}/fake-fast`,
          reuse: false,
        });
        ids.push(worker.id);
      }
      const progress: AskProgress[] = [];
      const answers = await Promise.all(
        ids.map((id, i) =>
          orchestra.ask(id, `capped ${i}`, {
            timeoutMs: 60_000,
            progressIntervalMs: 200,
            onProgress: (p) => progress.push(p),
          }),
        ),
      );
      expect(answers.map((a) => a.text)).toEqual([
        "answer to: capped 0",
        "answer to: capped 1",
        "answer to: capped 2",
      ]);

      const requests = askRequests("capped ");
      expect(requests).toHaveLength(3);
      expect(requests.every((r) => r.finishedAt !== undefined)).toBe(true);
      expect(overlaps(requests)).toEqual([]);
      // Two of the three asks waited, and said why.
      const waiting = progress.filter((p) =>
        p.activity.startsWith("waiting for a scripted slot: 1 of 1 in use"),
      );
      expect(new Set(waiting.map((p) => p.workerId)).size).toBe(2);
    } finally {
      await orchestra.shutdown();
    }
  });

  it("stopping a worker ends its ask while it waits for a slot, and nothing reaches the model", async () => {
    const dir = join(root, "stop-while-waiting");
    const config = orchestratorConfigSchema.parse({
      modelSelection: { maxConcurrent: { [model.providerId]: 1 } },
    });
    const orchestra = await createOrchestra({
      config,
      directory: opencode.directory,
      profiles: await loadProfileRegistry({ projectDir: opencode.directory, config: { profiles: [] } }),
      owner: "cli",
      host: { client: opencode.client, url: opencode.url },
      catalog: async () => fakeCatalog(model.providerId, "fake-fast"),
      registryFile: join(dir, "registry.json"),
      manifestFile: join(dir, "recovery.json"),
      secretFile: join(dir, "worker-secret"),
      logger: { warn: () => undefined },
    });
    // Another process of the user holds the only slot.
    const holder = new ProviderSlots({
      caps: { [model.providerId]: 1 },
      file: join(dir, "provider-slots.json"),
    });
    const release = await holder.acquire(model.providerId);
    try {
      const worker = await orchestra.spawn("coder", {
        kind: "session",
        model: `${model.providerId}/fake-fast`,
        reuse: false,
      });
      let waiting: () => void = () => undefined;
      const waited = new Promise<void>((resolve) => {
        waiting = resolve;
      });
      const asked = orchestra
        .ask(worker.id, "stopped while waiting", {
          timeoutMs: 60_000,
          progressIntervalMs: 100,
          onProgress: (p) => {
            if (p.activity.startsWith("waiting for a scripted slot")) waiting();
          },
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await waited;
      await orchestra.stop(worker.id);
      const error = (await asked) as { code?: string; message?: string } | undefined;
      expect(error?.code).toBe("WORKER_ASK_FAILED");
      // Ended by the stop, not by its 60 s timeout (before the fix it waited for the timeout).
      expect(error?.message).toBe(
        `worker "${worker.id}" did not answer: it stopped waiting for a scripted slot (stopped)`,
      );
      expect(askRequests("stopped while waiting")).toEqual([]);
    } finally {
      await release();
      await orchestra.shutdown();
    }
  });
});
