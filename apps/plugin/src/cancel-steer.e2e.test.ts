import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  type RecordedRequest,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule } from "./test-support/scripted-calls.js";

// Cancel and steer in one real OpenCode with the plugin. The scripted model plays the orchestrator
// (`call <tool> <json>` in three sessions of the host, so one can cancel or steer while another
// waits in ask_worker) and the workers: "long reply" streams for about 12 s. A cancel ends the
// waiting ask_worker with JOB_CANCELLED, the worker (a process worker, on its own server) answers
// the next ask, and a sibling's job running at the same time completes. A steer sent while
// the worker writes is read by its model at the next step, and ask_worker ends with that answer.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");
/** About 12 s of streaming: 120 chunks, 100 ms apart. */
const LONG = "lorem ipsum ".repeat(120);
const SIBLING = "the sibling's answer, written slowly ".repeat(5).trim();
const STEER = "STEER: finish with the word bananas";

let model: ScriptedModel;
let opencode: OpencodeInstance;
/** Sessions of the orchestrator: one waits in a tool call while the others act. */
const sessions = { waiting: "", acting: "", other: "" };

/**
 * Call `tool` from one of the orchestrator's sessions and return the output the model got. Like
 * callToolIn, but the result is matched to its own call (sessions here call the same tool at once).
 */
async function callTool(
  tool: string,
  args: Record<string, unknown> = {},
  session: keyof typeof sessions = "acting",
): Promise<string> {
  const text = `call ${tool} ${JSON.stringify(args)}`;
  const before = model.requests.length;
  const result = await opencode.client.session.prompt({
    sessionID: sessions[session],
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text }],
  });
  expect(result.error).toBeUndefined();
  const followUp = model.requests
    .slice(before)
    .find((r) => r.lastToolResult?.name === tool && r.lastUserText.includes(text));
  expect(followUp, `the model got no result of ${text}`).toBeDefined();
  return followUp?.lastToolResult?.content ?? "";
}

/** Wait until a worker's model request (not the orchestrator's `call …`) carries `text`. */
async function workerRequest(text: string): Promise<RecordedRequest> {
  for (;;) {
    const found = model.requests.find(
      (r) => r.lastUserText.includes(text) && !r.lastUserText.startsWith("call ") && r.toolNames.length > 0,
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        {
          userText: "long reply",
          toolsOffered: true,
          reply: { type: "text", text: LONG, chunkSize: 12, chunkDelayMs: 100 },
        },
        {
          userText: "sibling job",
          toolsOffered: true,
          reply: { type: "text", text: SIBLING, chunkSize: 8, chunkDelayMs: 80 },
        },
        { userText: STEER, toolsOffered: true, reply: "steered answer: bananas" },
      ],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  for (const key of Object.keys(sessions) as (keyof typeof sessions)[]) {
    const session = await opencode.client.session.create({ title: `cancel e2e ${key}` });
    sessions[key] = session.data?.id ?? "";
  }
  const docs = await callTool("spawn_worker", {
    profile: "docs",
    model: "scripted/fake-fast",
    format: "json",
  });
  expect(JSON.parse(docs)).toMatchObject({ id: "docs", kind: "process", status: "ready" });
  const explorer = await callTool("spawn_worker", {
    profile: "explorer",
    model: "scripted/fake-fast",
    format: "json",
  });
  expect(JSON.parse(explorer)).toMatchObject({ id: "explorer", status: "ready" });
}, 240_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

describe("cancel_worker_job", { timeout: 180_000 }, () => {
  it("a cancel during a long reply ends the ask with JOB_CANCELLED, the worker answers the next ask, and a sibling's concurrent job completes", async () => {
    const waiting = callTool("ask_worker", { id: "docs", message: "give a long reply" }, "waiting");
    const sibling = callTool("ask_worker", { id: "explorer", message: "sibling job" }, "other");
    await workerRequest("give a long reply");
    await workerRequest("sibling job");

    const cancelled = await callTool("cancel_worker_job", { id: "docs" });
    expect(cancelled).toMatch(
      /^Cancelled (job job-\w+|its current job) of worker docs \(its turn was aborted in \d+ ms\)/,
    );

    const out = await waiting;
    expect(out).toContain("JOB_CANCELLED");
    expect(out).toContain('worker "docs" did not answer');
    expect(out).toContain("was cancelled");

    const workers = JSON.parse(await callTool("list_workers", { format: "json" })) as {
      id: string;
      status: string;
    }[];
    expect(workers.find((w) => w.id === "docs")?.status).toBe("ready");
    expect(await callTool("ask_worker", { id: "docs", message: "hello again" })).toContain(
      "Echo: hello again",
    );

    expect(await sibling).toContain(SIBLING);
  });

  it("a job id from ask_worker_async cancels that job: await_worker_job says cancelled with JOB_CANCELLED", async () => {
    const started = JSON.parse(
      await callTool("ask_worker_async", { id: "docs", message: "a long reply by job id", format: "json" }),
    ) as { id: string };
    await workerRequest("a long reply by job id");
    const cancelled = await callTool("cancel_worker_job", { id: started.id });
    expect(cancelled).toMatch(new RegExp(`^Cancelled job ${started.id} of worker docs`));
    const job = JSON.parse(await callTool("await_worker_job", { jobId: started.id, format: "json" })) as {
      status: string;
      errorCode: string | null;
    };
    expect(job).toMatchObject({ status: "cancelled", errorCode: "JOB_CANCELLED" });
  });

  it("cancelling an idle worker says there is nothing to cancel (JOB_NOT_RUNNING)", async () => {
    const out = await callTool("cancel_worker_job", { id: "explorer" });
    expect(out).toContain("JOB_NOT_RUNNING");
    expect(out).toContain('worker "explorer" is not working on a job: nothing to cancel');
  });
});

describe("steer_worker", { timeout: 180_000 }, () => {
  it("a steer sent during a slow reply reaches the worker's model in a later request, and ask_worker ends with the answer written after it", async () => {
    const waiting = callTool("ask_worker", { id: "docs", message: "a long reply to steer" }, "waiting");
    const first = await workerRequest("long reply to steer");
    const steered = await callTool("steer_worker", { id: "docs", message: STEER });
    expect(steered).toMatch(/^Queued for worker docs/);

    const out = await waiting;
    expect(out).toContain("steered answer: bananas");
    const later = model.requests.filter(
      (r) => r.index > first.index && r.toolNames.length > 0 && r.lastUserText === STEER,
    );
    expect(later).toHaveLength(1);
    // The reply in progress was finished first: the worker's model saw it before the steer.
    expect(JSON.stringify(later[0]?.messages)).toContain("lorem ipsum lorem ipsum");
  });
});
