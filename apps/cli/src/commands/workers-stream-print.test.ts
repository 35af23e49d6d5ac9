import { PassThrough } from "node:stream";
import type { StreamMessage } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { streamPrinter } from "./workers-stream-print.js";

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { stream, text: () => text };
}

const base = { jobId: "job-1", workerId: "coder", ts: 0 };

describe("streamPrinter", () => {
  it("prints a hostile worker's text and tool names without terminal escapes", async () => {
    const out = capture();
    const err = capture();
    const printer = streamPrinter(out.stream, err.stream);
    const messages: StreamMessage[] = [
      { ...base, seq: 1, kind: "text", payload: { partId: "p", delta: "hi\u001b]0;owned\u0007 " } },
      { ...base, seq: 2, kind: "tool-start", payload: { callId: "c", tool: "bash\u001b[2J" } },
      {
        ...base,
        seq: 3,
        kind: "tool-end",
        payload: { callId: "c", tool: "bash", status: "error", error: "x\u001b]52;c;ZXZpbA==\u0007" },
      },
      { ...base, seq: 4, kind: "text", payload: { partId: "p", delta: "there\r" } },
      { ...base, seq: 5, kind: "done", payload: { ok: true, text: "hi there" } },
    ] as StreamMessage[];
    for (const message of messages) printer.onStream(message);
    await printer.flushed();
    expect(out.text()).toBe("hi there\n");
    expect(err.text()).toBe("tool-start bash\ntool-end bash error: x\n");
  });

  it("starts a new text part (the answer after a steer) on a new line", async () => {
    const out = capture();
    const printer = streamPrinter(out.stream, capture().stream);
    const messages = [
      { ...base, seq: 1, kind: "text", payload: { partId: "a", delta: "word5" } },
      { ...base, seq: 2, kind: "text", payload: { partId: "a", delta: "9" } },
      { ...base, seq: 3, kind: "text", payload: { partId: "b", delta: "Steered answer" } },
      { ...base, seq: 4, kind: "text", payload: { partId: "c", delta: "last\n" } },
      { ...base, seq: 5, kind: "text", payload: { partId: "d", delta: "end" } },
      { ...base, seq: 6, kind: "done", payload: { ok: true, text: "end" } },
    ] as StreamMessage[];
    for (const message of messages) printer.onStream(message);
    await printer.flushed();
    expect(out.text()).toBe("word59\nSteered answer\nlast\nend\n");
  });

  it("end() finishes a line a cancel cut off, once", async () => {
    const out = capture();
    const printer = streamPrinter(out.stream, capture().stream);
    printer.onStream({ ...base, seq: 1, kind: "text", payload: { partId: "a", delta: "half a wo" } });
    printer.end();
    printer.end();
    await printer.flushed();
    expect(out.text()).toBe("half a wo\n");
  });
});
