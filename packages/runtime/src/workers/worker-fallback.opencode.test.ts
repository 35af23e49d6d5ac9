// Worker.ask with fallback models against a real `opencode serve`: the scripted model answers 429
// (retry-after 0) for one model id and normally for another. The ask retries the first (OpenCode's
// backoff, which honours retry-after), moves to the second, and says so; the next ask skips the
// first while it cools down, and tries it again after. One OpenCode for the file.
import {
  type OpencodeInstance,
  reply,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimeError } from "../runtime-error.js";
import { ModelCooldowns, type ModelFallback } from "./model-fallback.js";
import { type ModelRef, Worker } from "./worker.js";

let model: ScriptedModel;
let opencode: OpencodeInstance;

beforeAll(async () => {
  model = await startScriptedModel({
    models: [{ id: "limited" }, { id: "steady" }, { id: "refused" }, { id: "overloaded" }],
    script: rules(
      [
        {
          model: "limited",
          reply: reply.error(429, "rate limit reached for limited", { headers: { "retry-after": "0" } }),
        },
        { model: "refused", reply: reply.error(400, "messages: invalid request") },
        {
          model: "overloaded",
          reply: reply.error(503, "overloaded too", { headers: { "retry-after": "0" } }),
        },
      ],
      (req) => `${req.model} answers: ${req.lastUserText}`,
    ),
  });
  opencode = await startOpencode({ model, resolveFrom: import.meta.dirname });
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

const ref = (modelID: string): ModelRef => ({ providerID: model.providerId, modelID });

async function workerOn(id: string, primary: ModelRef): Promise<Worker> {
  const session = await opencode.client.session.create({ title: id });
  if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
  return new Worker({
    info: {
      id,
      profile: "fallback",
      kind: "session",
      status: "ready",
      model: `${primary.providerID}/${primary.modelID}`,
      url: opencode.url,
      sessionId: session.data.id,
      startedAt: Date.now(),
    },
    client: opencode.client,
    model: primary,
    onStop: async () => undefined,
  });
}

/** The models the worker's asks reached, in order (title requests left out). */
const asked = (marker: string) =>
  model.requests.filter((r) => r.lastUserText.includes(marker) && r.toolNames.length > 0).map((r) => r.model);

/**
 * The models in the order they were tried, each run of repeats as one, and how often the first was
 * sent (OpenCode's retry with retry-after 0 can send one more request before the ask moves on).
 */
const tried = (marker: string) => {
  const all = asked(marker);
  return { order: all.filter((m, i) => m !== all[i - 1]), first: all.filter((m) => m === all[0]).length };
};

describe("Worker.ask with fallback models", { timeout: 120_000 }, () => {
  it("retries a rate-limited model, moves to the next, reports it, and tries the first again after the cool-down", async () => {
    let now = 0;
    const cooldowns = new ModelCooldowns(60_000, () => now);
    const reported: ModelFallback[] = [];
    const worker = await workerOn("fb", ref("limited"));
    worker.useFallbackModels({ models: [ref("steady")], cooldowns, onFallback: (f) => reported.push(f) });

    const first = await worker.ask("job one", { timeoutMs: 60_000 });
    expect(first.text).toBe("steady answers: job one");
    expect(first.model).toBe(`${model.providerId}/steady`);
    expect(first.fallbacks).toEqual([
      {
        workerId: "fb",
        profile: "fallback",
        from: `${model.providerId}/limited`,
        to: `${model.providerId}/steady`,
        reason: expect.stringMatching(/^rate limit reached for limited \(after \d+ retr(y|ies)\)$/),
      },
    ]);
    expect(reported).toEqual(first.fallbacks);
    // Retried on the first model (retry-after 0), then the second.
    expect(tried("job one").order).toEqual(["limited", "steady"]);
    expect(tried("job one").first).toBeGreaterThanOrEqual(2);
    // The failed turn was reverted: the second model sees the message once.
    const steady = model.requests.find((r) => r.model === "steady" && r.lastUserText === "job one");
    expect(
      steady?.messages.filter((m) => m.role === "user" && JSON.stringify(m.content).includes("job one")),
    ).toHaveLength(1);

    // Within the cool-down the next ask goes straight to the fallback.
    const second = await worker.ask("job two", { timeoutMs: 60_000 });
    expect(second.model).toBe(`${model.providerId}/steady`);
    expect(second.fallbacks).toBeUndefined();
    expect(asked("job two")).toEqual(["steady"]);

    // After it, the first model is tried again (and falls back again).
    now += 60_000;
    const third = await worker.ask("job three", { timeoutMs: 60_000 });
    expect(third.text).toBe("steady answers: job three");
    expect(tried("job three").order).toEqual(["limited", "steady"]);
    expect(reported).toHaveLength(2);
  });

  it("when every model fails, the ask fails with the last model's error and names the fallbacks it made", async () => {
    const worker = await workerOn("all-down", ref("limited"));
    worker.useFallbackModels({ models: [ref("overloaded")], cooldowns: new ModelCooldowns(60_000) });
    const failure = await worker.ask("job five", { timeoutMs: 60_000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(RuntimeError.isInstance(failure)).toBe(true);
    const error = failure as RuntimeError;
    expect(error.code).toBe("WORKER_ASK_FAILED");
    expect(error.message).toContain("its model failed: overloaded too");
    expect(error.message).toContain(
      `(after falling back: all-down fell back from ${model.providerId}/limited to ${model.providerId}/overloaded: rate limit reached for limited`,
    );
    expect(tried("job five").order).toEqual(["limited", "overloaded"]);
  });

  it("does not move on for an error the next model would have too (a bad request), nor set the model aside", async () => {
    const worker = await workerOn("bad", ref("refused"));
    const cooldowns = new ModelCooldowns(60_000);
    worker.useFallbackModels({ models: [ref("steady")], cooldowns });
    const failure = await worker.ask("job four", { timeoutMs: 60_000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(RuntimeError.isInstance(failure)).toBe(true);
    expect((failure as RuntimeError).code).toBe("WORKER_ASK_FAILED");
    expect(asked("job four")).toEqual(["refused"]);
    // A failed request (not a failed provider) does not set the model aside.
    expect(cooldowns.coolingDown(`${model.providerId}/refused`)).toBe(false);
  });
});
