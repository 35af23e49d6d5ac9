import type { SessionEvent } from "./ask-watch.js";

/** What one {@link StreamMessage} carries. */
export type StreamKind = "text" | "reasoning" | "tool-start" | "tool-end" | "error" | "status" | "done";

/** The kind-specific part of a {@link StreamMessage}. */
export type StreamBody =
  /** A chunk of the worker's answer (`text`) or of its reasoning, in the order the model wrote it. */
  | { kind: "text" | "reasoning"; payload: { partId: string; delta: string } }
  /** A tool call started running. */
  | { kind: "tool-start"; payload: { callId: string; tool: string } }
  /** A tool call ended (`completed` or `error`, with the tool's error message). */
  | {
      kind: "tool-end";
      payload: { callId: string; tool: string; status: "completed" | "error"; error?: string };
    }
  /** The session failed (the provider's or OpenCode's message). */
  | { kind: "error"; payload: { message: string } }
  /** The session's status changed: `busy`, `idle`, or `retry` (with OpenCode's attempt and message). */
  | { kind: "status"; payload: { status: string; attempt?: number; message?: string } }
  /** The last message of a job: the final answer (`ok`), or why there is none. */
  | { kind: "done"; payload: { ok: true; text: string } | { ok: false; message: string } };

/**
 * One message of a job's stream: what the orchestrator receives from a working worker.
 * `seq` starts at 0 and increases by exactly 1 per message of a job; `ts` is epoch milliseconds.
 */
export type StreamMessage = { jobId: string; workerId: string; seq: number; ts: number } & StreamBody;

/** Options of {@link createAskStream}. */
export interface AskStreamOptions {
  jobId: string;
  workerId: string;
  sessionID: string;
  /** Receives the messages in order; a throwing listener never fails the ask. */
  onStream: (message: StreamMessage) => void;
}

/** The producer of one job's stream, fed with the worker's OpenCode events. */
export interface AskStream {
  /** Map one OpenCode event to zero or one stream message (events of other sessions are ignored). */
  onEvent(event: SessionEvent): void;
  /** Resolves once the session went idle after the prompt, or after `maxWaitMs`, or on `signal`. */
  settled(signal: AbortSignal, maxWaitMs?: number): Promise<void>;
  /** Emit `done` (once; later messages are dropped). */
  end(payload: { ok: true; text: string } | { ok: false; message: string }): void;
}

/**
 * Build the producer of a job's stream. Messages are delivered synchronously, in the order the
 * events arrive, at most once; after `done`, nothing more is delivered.
 */
export function createAskStream(options: AskStreamOptions): AskStream {
  const { sessionID } = options;
  let seq = 0;
  let ended = false;
  let idle = false;
  const idleWaiters = new Set<() => void>();
  /** Part id → part type (`text`, `reasoning`), from `message.part.updated`; deltas do not say. */
  const partTypes = new Map<string, string>();
  /** Tool call ids already reported as started / ended (OpenCode updates a part many times). */
  const started = new Set<string>();
  const finished = new Set<string>();

  const emit = (body: StreamBody) => {
    if (ended) return;
    if (body.kind === "done") ended = true;
    const message = {
      jobId: options.jobId,
      workerId: options.workerId,
      seq: seq++,
      ts: Date.now(),
      ...body,
    } as StreamMessage;
    try {
      options.onStream(message);
    } catch {
      // A failing listener (a closed stdout, a finished tool call) never fails the ask.
    }
  };
  const markIdle = () => {
    idle = true;
    for (const wake of idleWaiters) wake();
  };

  return {
    onEvent(event) {
      const p = event.properties;
      if (event.type === "message.part.delta" && p.sessionID === sessionID && p.field === "text") {
        if (!p.delta || !p.partID) return;
        const kind = partTypes.get(p.partID) === "reasoning" ? "reasoning" : "text";
        emit({ kind, payload: { partId: p.partID, delta: p.delta } });
      } else if (event.type === "message.part.updated" && p.part?.sessionID === sessionID) {
        const part = p.part;
        if (part.id !== undefined && part.type !== undefined) partTypes.set(part.id, part.type);
        if (part.type !== "tool" || part.callID === undefined) return;
        const tool = part.tool ?? "tool";
        const status = part.state?.status;
        if (
          (status === "running" || status === "completed" || status === "error") &&
          !started.has(part.callID)
        ) {
          started.add(part.callID);
          emit({ kind: "tool-start", payload: { callId: part.callID, tool } });
        }
        if ((status === "completed" || status === "error") && !finished.has(part.callID)) {
          finished.add(part.callID);
          emit({
            kind: "tool-end",
            payload: {
              callId: part.callID,
              tool,
              status,
              ...(status === "error" && part.state?.error !== undefined ? { error: part.state.error } : {}),
            },
          });
        }
      } else if (event.type === "session.status" && p.sessionID === sessionID && p.status) {
        const s = p.status;
        emit({
          kind: "status",
          payload:
            s.type === "retry"
              ? { status: s.type, attempt: s.attempt, message: s.message }
              : { status: s.type },
        });
        if (s.type === "idle") markIdle();
      } else if (event.type === "session.idle" && p.sessionID === sessionID) {
        markIdle();
      } else if (event.type === "session.error" && p.sessionID === sessionID) {
        const error = p.error;
        if (error === undefined || error.name === "MessageAbortedError") return;
        emit({
          kind: "error",
          payload: { message: `${error.name ?? "error"}: ${error.data?.message ?? "no message"}` },
        });
      }
    },
    settled(signal, maxWaitMs = 2_000) {
      if (idle || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idleWaiters.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        idleWaiters.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
    end(payload) {
      emit({ kind: "done", payload });
    },
  };
}
