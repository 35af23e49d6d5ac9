import { describe, expect, it } from "vitest";
import type { SessionEvent } from "./ask-watch.js";
import { createAskStream, type StreamMessage } from "./stream.js";

function stream() {
  const messages: StreamMessage[] = [];
  const s = createAskStream({
    jobId: "j",
    workerId: "w",
    sessionID: "s1",
    onStream: (m) => messages.push(m),
  });
  return { s, messages };
}

const part = (p: NonNullable<SessionEvent["properties"]["part"]>): SessionEvent => ({
  type: "message.part.updated",
  properties: { part: { sessionID: "s1", ...p } },
});
const delta = (partID: string, text: string, sessionID = "s1"): SessionEvent => ({
  type: "message.part.delta",
  properties: { sessionID, partID, field: "text", delta: text },
});

describe("createAskStream", () => {
  it("maps deltas to text or reasoning by their part's type, numbers messages 0, 1, 2 …, ignores other sessions", () => {
    const { s, messages } = stream();
    s.onEvent(part({ id: "r1", type: "reasoning" }));
    s.onEvent(delta("r1", "hmm"));
    s.onEvent(delta("t1", "Hel"));
    s.onEvent(delta("t1", "lo", "other-session"));
    s.onEvent(delta("t1", "lo"));
    s.end({ ok: true, text: "Hello" });
    expect(messages.map((m) => [m.seq, m.kind])).toEqual([
      [0, "reasoning"],
      [1, "text"],
      [2, "text"],
      [3, "done"],
    ]);
    expect(messages[2]).toMatchObject({ jobId: "j", workerId: "w", payload: { partId: "t1", delta: "lo" } });
  });

  it("reports a tool call once as tool-start and once as tool-end, however often its part is updated", () => {
    const { s, messages } = stream();
    for (const status of ["pending", "running", "running", "error", "error"])
      s.onEvent(
        part({ id: "p", type: "tool", tool: "bash", callID: "c1", state: { status, error: "boom" } }),
      );
    expect(messages.map((m) => [m.kind, m.payload])).toEqual([
      ["tool-start", { callId: "c1", tool: "bash" }],
      ["tool-end", { callId: "c1", tool: "bash", status: "error", error: "boom" }],
    ]);
  });

  it("delivers nothing after done (at most once), and a throwing listener never throws into the producer", () => {
    const messages: StreamMessage[] = [];
    const s = createAskStream({
      jobId: "j",
      workerId: "w",
      sessionID: "s1",
      onStream: (m) => {
        messages.push(m);
        throw new Error("closed");
      },
    });
    s.onEvent({
      type: "session.error",
      properties: { sessionID: "s1", error: { name: "APIError", data: { message: "down" } } },
    });
    s.end({ ok: false, message: "down" });
    s.end({ ok: true, text: "late" });
    s.onEvent(delta("t1", "late"));
    expect(messages.map((m) => m.kind)).toEqual(["error", "done"]);
    expect(messages[0]?.payload).toEqual({ message: "APIError: down" });
  });

  it("settled resolves when the session goes idle", async () => {
    const { s } = stream();
    const settled = s.settled(new AbortController().signal, 60_000);
    s.onEvent({ type: "session.status", properties: { sessionID: "s1", status: { type: "idle" } } });
    await expect(settled).resolves.toBeUndefined();
  });
});
