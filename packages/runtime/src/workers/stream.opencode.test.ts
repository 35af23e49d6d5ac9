// Worker.ask's job stream (`onStream`) against a real `opencode serve` and the scripted model: a
// slowly streamed reply arrives as ordered text chunks ending with `done`, a tool call as
// tool-start/tool-end, and the answer is the one an ask without a stream returns.
import {
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamMessage } from "./stream.js";
import { type ModelRef, Worker } from "./worker.js";

let model: ScriptedModel;
let opencode: OpencodeInstance;
const REPLY = "The first line of a slow answer, then a second line, and finally the last words.";

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        { userText: "slowly", reply: { type: "text", text: REPLY, chunkSize: 8, chunkDelayMs: 60 } },
        {
          userText: "run the tool",
          reply: {
            type: "tool-calls",
            calls: [{ name: "bash", args: { command: "true", description: "noop" } }],
          },
        },
        { toolResult: "bash", reply: "tool done" },
      ],
      (req) => `answer to: ${req.lastUserText}`,
    ),
  });
  opencode = await startOpencode({
    model,
    resolveFrom: import.meta.dirname,
    config: { permission: { bash: "allow" } },
  });
}, 180_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

async function workerOn(id: string): Promise<Worker> {
  const session = await opencode.client.session.create({ title: id });
  if (!session.data) throw new Error(`no session: ${JSON.stringify(session.error)}`);
  const ref: ModelRef = { providerID: model.providerId, modelID: model.models[0]?.id ?? "fake-fast" };
  return new Worker({
    info: {
      id,
      profile: "stream",
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

describe("Worker.ask onStream", { timeout: 120_000 }, () => {
  it("a slow reply streams as text chunks in order (seq 0, 1, 2 …), ending with done and the same answer", async () => {
    const worker = await workerOn("streamer");
    const messages: StreamMessage[] = [];
    const answer = await worker.ask("answer slowly", {
      timeoutMs: 60_000,
      jobId: "job-1",
      onStream: (m) => messages.push(m),
    });
    expect(answer.text).toBe(REPLY);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i));
    expect(messages.every((m) => m.jobId === "job-1" && m.workerId === "streamer")).toBe(true);
    const texts = messages.filter((m) => m.kind === "text");
    // Several chunks, which put together are the answer.
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.map((m) => (m.kind === "text" ? m.payload.delta : "")).join("")).toBe(REPLY);
    expect(messages.at(-1)).toMatchObject({ kind: "done", payload: { ok: true, text: REPLY } });
    expect(messages.filter((m) => m.kind === "done")).toHaveLength(1);
    // The first chunk arrived before the model finished writing its reply.
    const request = model.requests.findLast(
      (r) => r.lastUserText === "answer slowly" && r.toolNames.length > 0,
    );
    expect(request?.finishedAt).toBeDefined();
    expect(texts[0]?.ts).toBeLessThan(request?.finishedAt ?? 0);
    // Timestamps never go back.
    for (let i = 1; i < messages.length; i++)
      expect(messages[i]?.ts).toBeGreaterThanOrEqual(messages[i - 1]?.ts ?? 0);
  });

  it("a tool call streams as tool-start then tool-end, before the final text", async () => {
    const worker = await workerOn("tooler");
    const messages: StreamMessage[] = [];
    const answer = await worker.ask("please run the tool", {
      timeoutMs: 60_000,
      onStream: (m) => messages.push(m),
    });
    expect(answer.text).toBe("tool done");
    const kinds = messages.map((m) => m.kind).filter((k) => k !== "status");
    const start = kinds.indexOf("tool-start");
    const end = kinds.indexOf("tool-end");
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(kinds.lastIndexOf("text")).toBeGreaterThan(end);
    expect(kinds.at(-1)).toBe("done");
    expect(messages.find((m) => m.kind === "tool-start")?.payload).toMatchObject({ tool: "bash" });
    expect(messages.find((m) => m.kind === "tool-end")?.payload).toMatchObject({
      tool: "bash",
      status: "completed",
    });
  });

  it("without onStream the answer is the same", async () => {
    const worker = await workerOn("plain");
    expect((await worker.ask("answer slowly", { timeoutMs: 60_000 })).text).toBe(REPLY);
  });
});
