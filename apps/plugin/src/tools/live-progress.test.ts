import type { StreamBody, StreamMessage } from "@orchestra/runtime";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  LAST_LINE_MAX,
  liveProgress,
  type PartClient,
  ProgressState,
  progressTitle,
  runningPartWriter,
  Throttle,
} from "./live-progress.js";

let seq = 0;
function message(body: StreamBody, workerId = "docs"): StreamMessage {
  return { jobId: "job-1", workerId, seq: seq++, ts: 0, ...body } as StreamMessage;
}
const text = (delta: string, partId = "p1") => message({ kind: "text", payload: { partId, delta } });

describe("ProgressState", () => {
  it("tracks the worker's current tool, its last line of text and the elapsed time", () => {
    let now = 1_000;
    const state = new ProgressState("docs", () => now);
    expect(state.snapshot()).toEqual({ workerId: "docs", elapsedMs: 0, chunks: 0, tools: 0 });

    state.onStream(message({ kind: "tool-start", payload: { callId: "c1", tool: "grep" } }));
    now = 3_500;
    expect(state.snapshot()).toMatchObject({ tool: "grep", elapsedMs: 2_500, tools: 1, jobId: "job-1" });
    state.onStream(
      message({ kind: "tool-end", payload: { callId: "c1", tool: "grep", status: "completed" } }),
    );
    expect(state.snapshot().tool).toBeUndefined();

    state.onStream(text("First li"));
    expect(state.snapshot().lastLine).toBe("First li");
    state.onStream(text("ne\nSecond"));
    expect(state.snapshot().lastLine).toBe("Second");
    state.onStream(text(" line\n\n"));
    // A finished line stays the last line until the next one has text.
    expect(state.snapshot()).toMatchObject({ lastLine: "Second line", chunks: 3 });
    // A new text part starts a new line.
    state.onStream(text("Other part", "p2"));
    expect(state.snapshot().lastLine).toBe("Other part");
  });

  it("keeps the end of a long line, at most LAST_LINE_MAX characters", () => {
    const state = new ProgressState("docs");
    state.onStream(text(`${"a".repeat(1_000)}END`));
    const line = state.snapshot().lastLine ?? "";
    expect(line).toHaveLength(LAST_LINE_MAX);
    expect(line.startsWith("…")).toBe(true);
    expect(line.endsWith("END")).toBe(true);
  });

  it("reasoning counts as a chunk but is not the last line; a retry is the activity", () => {
    const state = new ProgressState(undefined);
    state.onStream(message({ kind: "reasoning", payload: { partId: "r", delta: "hmm" } }, "coder"));
    expect(state.snapshot()).toMatchObject({ workerId: "coder", chunks: 1 });
    expect(state.snapshot().lastLine).toBeUndefined();
    expect(state.onStream(message({ kind: "status", payload: { status: "busy" } }))).toBe(false);
    state.onStream(message({ kind: "status", payload: { status: "retry", attempt: 2, message: "429" } }));
    expect(state.snapshot().activity).toBe("retrying (attempt 2): 429");
  });

  it("the activity: a spawn stage or slot wait until the stream moves, then thinking / writing", () => {
    const state = new ProgressState(undefined);
    state.onSpawnProgress({ workerId: "docs-2", stage: "listening", message: "", elapsedMs: 5 });
    expect(state.snapshot()).toMatchObject({ workerId: "docs-2", activity: "starting: listening" });
    state.onAskProgress({ workerId: "docs-2", activity: "thinking", elapsedMs: 8 });
    state.onAskProgress({ workerId: "docs-2", activity: "waiting for a scripted slot", elapsedMs: 9 });
    expect(state.snapshot().activity).toBe("waiting for a scripted slot");
    state.onStream(message({ kind: "reasoning", payload: { partId: "r", delta: "hmm" } }, "docs-2"));
    expect(state.snapshot().activity).toBe("thinking");
    state.onStream(text("Here"));
    expect(state.snapshot().activity).toBe("writing");
    // The ask's periodic "thinking" does not hide what the stream says.
    state.onAskProgress({ workerId: "docs-2", activity: "thinking", elapsedMs: 5_000 });
    expect(state.snapshot().activity).toBe("writing");
    state.onStream(message({ kind: "tool-start", payload: { callId: "c", tool: "read" } }, "docs-2"));
    state.onStream(
      message({ kind: "tool-end", payload: { callId: "c", tool: "read", status: "completed" } }, "docs-2"),
    );
    expect(state.snapshot()).toMatchObject({ activity: "thinking", tools: 1 });
    expect(state.snapshot().tool).toBeUndefined();
  });
});

describe("progressTitle", () => {
  it("names the worker, what it does, the whole seconds and the last line", () => {
    expect(progressTitle("ask", { workerId: "docs", elapsedMs: 12_900, chunks: 0, tools: 0 })).toBe(
      "docs: thinking (12 s)",
    );
    expect(
      progressTitle("ask", {
        workerId: "docs",
        tool: "grep",
        elapsedMs: 3_000,
        lastLine: "Found three",
        chunks: 4,
        tools: 1,
      }),
    ).toBe("docs: running grep (3 s) · Found three");
    expect(
      progressTitle("delegate_task", { elapsedMs: 0, activity: "starting: spawning", chunks: 0, tools: 0 }),
    ).toBe("delegate_task: starting: spawning (0 s)");
  });
});

describe("Throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("writes at once, then at most once per interval, always the latest value", async () => {
    let value = 0;
    const written: number[] = [];
    const throttle = new Throttle({
      intervalMs: 500,
      latest: () => value,
      write: async (v: number) => {
        written.push(v);
      },
    });
    value = 1;
    throttle.changed();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([1]);
    for (value = 2; value <= 20; value++) {
      throttle.changed();
      await vi.advanceTimersByTimeAsync(20);
    }
    // 19 changes in 380 ms: nothing yet; the interval ends 500 ms after the first write.
    expect(written).toEqual([1]);
    await vi.advanceTimersByTimeAsync(200);
    expect(written).toEqual([1, 21]);
    // No change, no write.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toEqual([1, 21]);
  });

  it("never overlaps two writes; a change during a write is written after it", async () => {
    const releases: Array<() => void> = [];
    let active = 0;
    let maxActive = 0;
    let value = "a";
    const written: string[] = [];
    const throttle = new Throttle({
      intervalMs: 100,
      latest: () => value,
      write: (v: string) => {
        written.push(v);
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise<void>((resolve) =>
          releases.push(() => {
            active--;
            resolve();
          }),
        );
      },
    });
    throttle.changed();
    await vi.advanceTimersByTimeAsync(0);
    value = "b";
    throttle.changed();
    await vi.advanceTimersByTimeAsync(1_000); // the first write is still in flight
    expect(written).toEqual(["a"]);
    releases.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(["a", "b"]);
    releases.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(maxActive).toBe(1);
  });

  it("close waits for the write in flight and nothing is written after it", async () => {
    let release = () => {};
    let value = 1;
    const written: number[] = [];
    const throttle = new Throttle({
      intervalMs: 100,
      latest: () => value,
      write: (v: number) => {
        written.push(v);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    throttle.changed();
    await vi.advanceTimersByTimeAsync(0);
    value = 2;
    throttle.changed();
    let closed = false;
    const closing = throttle.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    release();
    await closing;
    throttle.changed();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toEqual([1]);
  });

  it("a failing write does not stop later writes", async () => {
    let value = 0;
    const written: number[] = [];
    const throttle = new Throttle({
      intervalMs: 10,
      latest: () => value,
      write: async (v: number) => {
        written.push(v);
        if (v === 1) throw new Error("server gone");
      },
    });
    value = 1;
    throttle.changed();
    await vi.advanceTimersByTimeAsync(0);
    value = 2;
    throttle.changed();
    await vi.advanceTimersByTimeAsync(20);
    expect(written).toEqual([1, 2]);
    await throttle.close();
  });
});

describe("runningPartWriter", () => {
  /** An in-memory message with one tool part per call id, recording each update. */
  function messageStore(parts: Array<{ callID: string; tool: string; status: string }>) {
    const stored = parts.map((p, i) => ({
      id: `prt_${i}`,
      type: "tool",
      callID: p.callID,
      tool: p.tool,
      state: { status: p.status, input: { id: "docs" }, time: { start: 1 }, metadata: { kept: true } },
    }));
    const updates: Array<{ partID: string; part: (typeof stored)[number] }> = [];
    const client: PartClient = {
      session: { message: async () => ({ data: { parts: stored } }) },
      part: {
        update: async (p) => {
          updates.push({ partID: p.partID, part: p.part });
          return {};
        },
      },
    };
    return { client, updates };
  }
  const ctx = { sessionID: "ses", messageID: "msg", metadata: () => undefined };

  it("writes the title and metadata onto the running part of the call, keeping its input and start", async () => {
    const { client, updates } = messageStore([
      { callID: "other", tool: "ask_worker", status: "running" },
      { callID: "call-2", tool: "ask_worker", status: "running" },
    ]);
    const write = runningPartWriter(client, { ...ctx, callID: "call-2" }, "ask_worker");
    await write({ title: "docs: thinking (1 s)", metadata: { progress: { elapsedMs: 1_000 } } });
    expect(updates).toHaveLength(1);
    expect(updates[0]?.partID).toBe("prt_1");
    expect(updates[0]?.part.state).toEqual({
      status: "running",
      input: { id: "docs" },
      time: { start: 1 },
      title: "docs: thinking (1 s)",
      metadata: { kept: true, progress: { elapsedMs: 1_000 } },
    });
  });

  it("never writes a part that is not running, nor a guess among several running parts", async () => {
    const done = messageStore([{ callID: "c", tool: "ask_worker", status: "completed" }]);
    await runningPartWriter(done.client, { ...ctx, callID: "c" }, "ask_worker")({ title: "t", metadata: {} });
    expect(done.updates).toEqual([]);

    const two = messageStore([
      { callID: "a", tool: "ask_worker", status: "running" },
      { callID: "b", tool: "ask_worker", status: "running" },
    ]);
    await runningPartWriter(two.client, ctx, "ask_worker")({ title: "t", metadata: {} });
    expect(two.updates).toEqual([]);

    // Without a call id, the only running part of the tool is the call's.
    const one = messageStore([
      { callID: "a", tool: "ask_worker", status: "completed" },
      { callID: "b", tool: "ask_worker", status: "running" },
    ]);
    await runningPartWriter(one.client, ctx, "ask_worker")({ title: "t", metadata: {} });
    expect(one.updates.map((u) => u.partID)).toEqual(["prt_1"]);
  });
});

describe("liveProgress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("updates the running part while the ask waits, calls ctx.metadata too, and writes nothing after it settled", async () => {
    const part = {
      id: "prt_1",
      type: "tool",
      callID: "call-1",
      tool: "ask_worker",
      state: { status: "running", input: {}, time: { start: 1 } },
    };
    const titles: string[] = [];
    const client: PartClient = {
      session: { message: async () => ({ data: { parts: [part] } }) },
      part: {
        update: async (p) => {
          titles.push(p.part.state.title);
          return {};
        },
      },
    };
    const metadata: unknown[] = [];
    const ctx = {
      sessionID: "ses",
      messageID: "msg",
      callID: "call-1",
      metadata: (m: unknown) => metadata.push(m),
    };
    let finish: (text: string) => void = () => {};
    const done = liveProgress(client, ctx, { tool: "ask_worker", workerId: "docs" }, (live) => {
      live.onStream(message({ kind: "tool-start", payload: { callId: "c", tool: "grep" } }));
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    });
    await vi.advanceTimersByTimeAsync(600);
    expect(titles.at(-1)).toBe("docs: running grep (0 s)");
    await vi.advanceTimersByTimeAsync(2_000); // the heartbeat refreshes the elapsed time
    expect(titles.at(-1)).toBe("docs: running grep (2 s)");
    expect(metadata.length).toBe(titles.length);
    finish("answer");
    expect(await done).toBe("answer");
    const written = titles.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(titles.length).toBe(written);
  });
  it("a ctx.metadata that throws or rejects does not stop the part update", async () => {
    const part = {
      id: "prt_1",
      type: "tool",
      callID: "call-1",
      tool: "ask_worker",
      state: { status: "running", input: {}, time: { start: 1 } },
    };
    let updates = 0;
    const client: PartClient = {
      session: { message: async () => ({ data: { parts: [part] } }) },
      part: {
        update: async () => {
          updates++;
          return {};
        },
      },
    };
    for (const metadata of [
      () => {
        throw new Error("not here");
      },
      () => Promise.reject(new Error("later")),
    ]) {
      const ctx = { sessionID: "ses", messageID: "msg", callID: "call-1", metadata: metadata as () => void };
      const before = updates;
      const done = liveProgress(client, ctx, { tool: "ask_worker", workerId: "docs" }, async () => {
        await vi.advanceTimersByTimeAsync(10);
        return "ok";
      });
      expect(await done).toBe("ok");
      expect(updates).toBeGreaterThan(before);
    }
  });
});
