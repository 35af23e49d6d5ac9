// Cancel and steer against a real `opencode serve` and the scripted model. A cancel is
// `session.abort` sent by another client of the worker's server (as another process would): the
// ask waiting for the turn ends with JOB_CANCELLED (not a model failure, no fallback), the worker
// is ready again with the same session, and a sibling's ask running at the same time completes.
// A steer sent during a slow reply is queued by OpenCode and read by the model at its next step;
// the waiting ask ends with the answer written after it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpencodeClient } from "@opencode-ai/sdk/v2";
import {
  type OpencodeInstance,
  type RecordedRequest,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openJobJournal } from "../journal/journal.js";
import { RuntimeError } from "../runtime-error.js";
import { cancelTurn } from "./cancel.js";
import { cancelJob, steerJob } from "./job-control.js";
import { ModelCooldowns } from "./model-fallback.js";
import { steerTurn } from "./steer.js";
import { type ModelRef, Worker } from "./worker.js";

let model: ScriptedModel;
let opencode: OpencodeInstance;
/** A device registry (none written) and the job journal beside it. */
const scratch = mkdtempSync(join(tmpdir(), "orchestra-cancel-"));
const registryFile = join(scratch, "registry.json");
/** About 12 s of streaming: 120 chunks, 100 ms apart. */
const LONG = "lorem ipsum ".repeat(120);
const SIBLING = "the sibling's answer, written slowly ".repeat(6).trim();
const STEER = "STEER: end your answer with the word bananas";

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        { userText: "long reply", reply: { type: "text", text: LONG, chunkSize: 12, chunkDelayMs: 100 } },
        {
          userText: "sibling",
          reply: { type: "text", text: SIBLING, chunkSize: 8, chunkDelayMs: 60 },
        },
        { userText: STEER, reply: "steered answer: bananas" },
      ],
      (req) => `answer to: ${req.lastUserText}`,
    ),
  });
  opencode = await startOpencode({ model, resolveFrom: import.meta.dirname });
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const fast: () => ModelRef = () => ({ providerID: model.providerId, modelID: "fake-fast" });

async function workerOn(id: string): Promise<Worker> {
  const session = await opencode.client.session.create({ title: id });
  if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
  const ref = fast();
  return new Worker({
    info: {
      id,
      profile: "cancel",
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

/** Another client of the same server: what a cancel from another process uses. */
function otherClient() {
  return createOpencodeClient({ baseUrl: opencode.url, directory: opencode.directory });
}

/** Wait until the model has received a request whose last user text contains `text`. */
async function requestFor(text: string): Promise<RecordedRequest> {
  for (;;) {
    const found = model.requests.find((r) => r.lastUserText.includes(text) && r.toolNames.length > 0);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!RuntimeError.isInstance(error)) throw new Error(`expected a RuntimeError, got ${String(error)}`);
  return error;
}

describe("cancel", { timeout: 120_000 }, () => {
  it("a cancel during a long reply ends the ask with JOB_CANCELLED; the worker answers the next ask; a sibling's concurrent ask completes", async () => {
    const worker = await workerOn("canceled");
    const sibling = await workerOn("sibling");
    const session = worker.info.sessionId;
    // Its rejection is handled from the start (the cancel ends it before the test awaits it).
    const asked = rejection(worker.ask("give a long reply", { timeoutMs: 60_000, jobId: "job-long" }));
    const siblingAsked = sibling.ask("sibling please", { timeoutMs: 60_000 });
    await requestFor("give a long reply");
    await requestFor("sibling");
    expect(worker.status).toBe("busy");

    const result = await cancelTurn({ workerId: worker.id, client: otherClient(), sessionId: session });
    expect(result.workerId).toBe("canceled");

    const error = await asked;
    expect(error.code).toBe("JOB_CANCELLED");
    expect(error.message).toContain('worker "canceled" did not answer: its job job-long was cancelled');
    expect(error.hints.join(" ")).toContain("ask it again");
    // The reply was cut short: the session keeps the aborted message with part of the text.
    const messages = await opencode.client.session.messages({ sessionID: session });
    const aborted = messages.data?.find(
      (m) =>
        m.info.role === "assistant" &&
        (m.info as { error?: { name?: string } }).error?.name === "MessageAbortedError",
    );
    expect(aborted).toBeDefined();
    const partial = (aborted?.parts ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
    expect(partial.length).toBeLessThan(LONG.length);

    expect(worker.status).toBe("ready");
    expect(worker.info.sessionId).toBe(session);
    const next = await worker.ask("hello again", { timeoutMs: 60_000 });
    expect(next.text).toBe("answer to: hello again");

    const siblingAnswer = await siblingAsked;
    expect(siblingAnswer.text).toBe(SIBLING);
  });

  it("a cancel never moves the ask to a fallback model", async () => {
    const worker = await workerOn("no-fallback");
    worker.useFallbackModels({
      models: [{ providerID: model.providerId, modelID: "fake-reasoner" }],
      cooldowns: new ModelCooldowns(60_000),
    });
    const asked = rejection(worker.ask("another long reply", { timeoutMs: 60_000 }));
    await requestFor("another long reply");
    await cancelTurn({ workerId: worker.id, client: otherClient(), sessionId: worker.info.sessionId });
    expect((await asked).code).toBe("JOB_CANCELLED");
    const models = model.requests
      .filter((r) => r.lastUserText.includes("another long reply") && r.toolNames.length > 0)
      .map((r) => r.model);
    expect(models).toEqual(["fake-fast"]);
  });

  it("cancelling an idle worker is JOB_NOT_RUNNING", async () => {
    const worker = await workerOn("idle");
    const error = await rejection(
      cancelTurn({ workerId: worker.id, client: otherClient(), sessionId: worker.info.sessionId }),
    );
    expect(error.code).toBe("JOB_NOT_RUNNING");
    expect(error.message).toBe('worker "idle" is not working on a job: nothing to cancel');
  });
});

describe("steer", { timeout: 120_000 }, () => {
  it("a steer sent during a slow reply reaches the model in a later request; the ask ends with the answer written after it", async () => {
    const worker = await workerOn("steered");
    const asked = worker.ask("a long reply to steer", { timeoutMs: 60_000 });
    const first = await requestFor("long reply to steer");
    const result = await steerTurn(
      { workerId: worker.id, client: otherClient(), sessionId: worker.info.sessionId },
      STEER,
    );
    expect(result).toEqual({ workerId: "steered", mode: "queued" });
    const answer = await asked;
    expect(answer.text).toBe("steered answer: bananas");
    const later = model.requests.filter((r) => r.index > first.index && r.toolNames.length > 0);
    const steered = later.find((r) => JSON.stringify(r.messages).includes(STEER));
    expect(steered).toBeDefined();
    // The reply in progress was not cut short: the steer waited for the next step.
    expect(first.reply?.type).toBe("text");
    expect(steered?.messages.some((m) => JSON.stringify(m).includes("lorem ipsum lorem"))).toBe(true);
    // It ran as the worker's own agent and model.
    expect(steered?.model).toBe("fake-fast");
  });

  it("steering an idle worker is JOB_NOT_RUNNING, with a hint to ask it instead", async () => {
    const worker = await workerOn("idle-steer");
    const error = await rejection(
      steerTurn({ workerId: worker.id, client: otherClient(), sessionId: worker.info.sessionId }, "more"),
    );
    expect(error.code).toBe("JOB_NOT_RUNNING");
    expect(error.hints.join(" ")).toContain("new ask");
  });
});

describe("cancel and steer by job id (the job journal)", { timeout: 120_000 }, () => {
  it("cancelJob(job id) aborts that job's worker turn: the ask ends with JOB_CANCELLED and the journal says cancelled", async () => {
    const worker = await workerOn("journalled");
    const journal = openJobJournal({ registryFile, ownerKind: "orchestrator" });
    const job = journal.create({
      worker: worker.id,
      profile: "cancel",
      message: "a journalled long reply",
      session: worker.info.sessionId,
    });
    journal.markRunning(job.id);
    const asked = rejection(worker.ask("a journalled long reply", { timeoutMs: 60_000, jobId: job.id }));
    await requestFor("journalled long reply");
    const local = (id: string) => (id === worker.id ? worker : undefined);

    const result = await cancelJob(job.id, { registryFile, local, by: "the test" });
    expect(result).toMatchObject({ workerId: "journalled", jobId: job.id });
    const error = await asked;
    expect(error.code).toBe("JOB_CANCELLED");
    expect(error.message).toContain(`its job ${job.id} was cancelled`);
    expect(journal.get(job.id)).toMatchObject({ status: "cancelled", errorCode: "JOB_CANCELLED" });

    // The job has ended: cancelling or steering it again says so.
    const again = await rejection(cancelJob(job.id, { registryFile, local }));
    expect(again.code).toBe("JOB_NOT_RUNNING");
    expect(again.message).toBe(`job ${job.id} of worker "journalled" already ended: cancelled`);
    expect((await rejection(steerJob(job.id, "more", { registryFile, local }))).code).toBe("JOB_NOT_RUNNING");
    journal.close();
  });

  it("an id that is neither a job nor a worker is JOB_NOT_FOUND", async () => {
    const error = await rejection(cancelJob("job-00000000", { registryFile }));
    expect(error.code).toBe("JOB_NOT_FOUND");
    expect(error.message).toBe('no job or worker "job-00000000"; no workers are running');
  });
});
