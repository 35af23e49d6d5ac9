// Worker.ask against a real `opencode serve` whose model fails: the provider's message reaches
// the caller as WORKER_ASK_FAILED (read from the session's events), not a timeout. One OpenCode
// for the file, with two providers: the scripted model (which refuses some requests with HTTP 401
// and runs a slow tool for others) and one pointed at a closed port. Progress (what the worker
// does while the ask waits) is read from the same events.
import { createServer } from "node:net";
import {
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimeError } from "../runtime-error.js";
import { type AskProgress, type ModelRef, Worker } from "./worker.js";

let model: ScriptedModel;
let opencode: OpencodeInstance;
/**
 * OpenCode retries an unreachable API with a backoff and reports the error only after about a
 * minute (66 s measured): an ask that waits for the answer hits this limit and fails with
 * "timed out"; one that reads the session's retry events fails with the provider's message.
 */
const TIMEOUT_MS = 30_000;

/** A port that nothing listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        {
          userText: "refuse",
          reply: { type: "error", status: 401, message: "Incorrect API key provided: sk-test" },
        },
        {
          userText: "run the tool",
          reply: {
            type: "tool-calls",
            calls: [{ name: "bash", args: { command: "sleep 2", description: "wait" } }],
          },
        },
        { toolResult: "bash", reply: "tool done" },
      ],
      (req) => `answer to: ${req.lastUserText}`,
    ),
  });
  const scripted = model.providerConfig()[model.providerId];
  if (!scripted) throw new Error("the scripted model has no provider config");
  const port = await closedPort();
  opencode = await startOpencode({
    model,
    resolveFrom: import.meta.dirname,
    config: {
      provider: {
        ...model.providerConfig(),
        offline: {
          ...scripted,
          name: "Offline",
          options: { ...scripted.options, baseURL: `http://127.0.0.1:${port}/v1` },
        },
      },
      enabled_providers: [model.providerId, "offline"],
      permission: { bash: "allow" },
    },
  });
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

async function workerOn(id: string, ref: ModelRef): Promise<Worker> {
  const session = await opencode.client.session.create({ title: id });
  if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
  return new Worker({
    info: {
      id,
      profile: "ask-errors",
      kind: "session",
      status: "ready",
      model: `${ref.providerID}/${ref.modelID}`,
      url: opencode.url,
      sessionId: session.data.id,
      startedAt: Date.now(),
    },
    client: opencode.client,
    model: ref,
    onStop: async () => undefined,
  });
}

const modelId = () => model.models[0]?.id ?? "fake-fast";

describe("Worker.ask when the model fails", { timeout: 200_000 }, () => {
  it("an unreachable provider fails the ask with the provider's message, not the timeout", async () => {
    const worker = await workerOn("offline-worker", { providerID: "offline", modelID: modelId() });
    const progress: AskProgress[] = [];
    const failure = await worker
      .ask("hello", { timeoutMs: TIMEOUT_MS, onProgress: (p) => progress.push(p) })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(RuntimeError.isInstance(failure)).toBe(true);
    const error = failure as RuntimeError;
    expect(error.code).toBe("WORKER_ASK_FAILED");
    expect(error.message).toContain('worker "offline-worker"');
    expect(error.message).toContain("Cannot connect to API");
    expect(error.message).not.toContain("timed out");
    expect(error.hints.join("\n")).toContain("orchestra doctor");
    // The worker is usable again (its session was aborted, not left retrying).
    expect(worker.status).toBe("ready");
    expect(progress[0]).toMatchObject({ workerId: "offline-worker", activity: "thinking" });
  });

  it("a provider that refuses the request (HTTP 401) fails the ask with its message", async () => {
    const worker = await workerOn("refused-worker", { providerID: model.providerId, modelID: modelId() });
    const failure = await worker.ask("please refuse", { timeoutMs: TIMEOUT_MS }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(RuntimeError.isInstance(failure)).toBe(true);
    const error = failure as RuntimeError;
    expect(error.code).toBe("WORKER_ASK_FAILED");
    expect(error.message).toContain("Incorrect API key provided: sk-test");
    expect(error.message).not.toContain("timed out");
  });

  it("a working model still answers, with progress reported while it waits", async () => {
    const worker = await workerOn("working-worker", { providerID: model.providerId, modelID: modelId() });
    const progress: AskProgress[] = [];
    const answer = await worker.ask("ping", { timeoutMs: TIMEOUT_MS, onProgress: (p) => progress.push(p) });
    expect(answer.text).toBe("answer to: ping");
    expect(progress[0]).toMatchObject({ workerId: "working-worker", activity: "thinking" });
  });

  it("reports the tool the worker runs while the ask waits", async () => {
    const worker = await workerOn("tool-worker", { providerID: model.providerId, modelID: modelId() });
    const progress: AskProgress[] = [];
    const answer = await worker.ask("run the tool", {
      timeoutMs: TIMEOUT_MS,
      progressIntervalMs: 100,
      onProgress: (p) => progress.push(p),
    });
    expect(answer.text).toBe("tool done");
    const activities = progress.map((p) => p.activity);
    expect(activities[0]).toBe("thinking");
    expect(activities).toContain("running bash");
  });
});
