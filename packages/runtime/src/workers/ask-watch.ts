import type { OpencodeClient, SessionStatus } from "@opencode-ai/sdk/v2";

/** What a worker is doing while an ask waits, reported through `AskOptions.onProgress`. */
export interface AskProgress {
  workerId: string;
  /** `thinking`, `running <tool>`, or `retrying (attempt n): <provider message>`. */
  activity: string;
  /** Milliseconds since the ask started. */
  elapsedMs: number;
}

/** Options of {@link watchAsk}. */
interface WatchAskOptions {
  client: OpencodeClient;
  workerId: string;
  sessionID: string;
  /** Ends the watch (the ask finished, failed or was cancelled). */
  signal: AbortSignal;
  /** Provider errors OpenCode may retry before the ask fails (default 0: the first one fails it). */
  retries?: number;
  /** Called at once and then every `progressIntervalMs` with what the worker is doing. */
  onProgress?: (progress: AskProgress) => void;
  /** Default 5 000 ms. */
  progressIntervalMs?: number;
  /**
   * Called once with the provider's (or OpenCode's) message when the session fails; `retryable`
   * when OpenCode was retrying it (a rate limit, an overloaded or unreachable provider, a 5xx).
   */
  onFailure: (message: string, retryable: boolean) => void;
  /** Receives every event of the server's stream, in order (the job stream maps them: stream.ts). */
  onEvent?: (event: SessionEvent) => void;
}

interface NamedError {
  name?: string;
  data?: { message?: string; statusCode?: number };
}

/** `Name: message (HTTP n)` of an OpenCode session error; `undefined` for an abort (ours). */
function describeSessionError(error: NamedError | undefined): string | undefined {
  if (error === undefined || error.name === "MessageAbortedError") return undefined;
  const status = error.data?.statusCode === undefined ? "" : ` (HTTP ${error.data.statusCode})`;
  return `${error.name ?? "error"}: ${error.data?.message ?? "no message"}${status}`;
}

/** The fields of OpenCode's `/event` messages that the runtime reads. */
export interface SessionEvent {
  type: string;
  properties: {
    sessionID?: string;
    partID?: string;
    field?: string;
    delta?: string;
    status?: SessionStatus;
    error?: NamedError;
    info?: { sessionID?: string; role?: string; error?: NamedError };
    part?: {
      id?: string;
      sessionID?: string;
      type?: string;
      tool?: string;
      callID?: string;
      state?: { status?: string; error?: string };
    };
  };
}

/**
 * Watch a worker's session while an ask waits for its answer: OpenCode's event stream (`/event`)
 * says what the worker does (progress) and when the model fails. A provider error is retried by
 * OpenCode with a backoff (an unreachable API for about a minute); the ask gives up on it at
 * once, with the provider's message, instead of waiting for its timeout. Every progress tick also
 * reads `GET /session/status`, in case the stream missed the retry. Returns at once; the watch
 * runs until `signal` aborts. The promise resolves once the event stream is connected (its first
 * event), or when it failed or `signal` aborted: events from then on reach `onEvent`.
 */
export function watchAsk(options: WatchAskOptions): Promise<void> {
  const { client, sessionID, signal } = options;
  const retries = options.retries ?? 0;
  const started = performance.now();
  let activity = "thinking";
  let failed = false;
  const fail = (message: string, retryable: boolean) => {
    if (failed || signal.aborted) return;
    failed = true;
    options.onFailure(message, retryable);
  };
  const onStatus = (status: SessionStatus) => {
    if (status.type !== "retry") return;
    activity = `retrying (attempt ${status.attempt}): ${status.message}`;
    // OpenCode's retry message is the provider's; the ask adds how often it was retried.
    const retried = status.attempt - 1;
    const times = retried === 1 ? "1 retry" : `${retried} retries`;
    if (status.attempt > retries)
      fail(retried > 0 ? `${status.message} (after ${times})` : status.message, true);
  };
  const onEvent = (event: SessionEvent) => {
    const p = event.properties;
    if (event.type === "session.status" && p.sessionID === sessionID && p.status) onStatus(p.status);
    else if (event.type === "session.error" && p.sessionID === sessionID) {
      const message = describeSessionError(p.error);
      if (message !== undefined) fail(message, false);
    } else if (
      event.type === "message.updated" &&
      p.info?.sessionID === sessionID &&
      p.info.role === "assistant"
    ) {
      const message = describeSessionError(p.info.error);
      if (message !== undefined) fail(message, false);
    } else if (
      event.type === "message.part.updated" &&
      p.part?.sessionID === sessionID &&
      p.part.type === "tool"
    ) {
      const state = p.part.state?.status;
      activity =
        state === "pending" || state === "running" ? `running ${p.part.tool ?? "a tool"}` : "thinking";
    }
  };
  const report = () => {
    try {
      options.onProgress?.({ workerId: options.workerId, activity, elapsedMs: performance.now() - started });
    } catch {
      // A failing progress callback (a closed stream, a finished tool call) never fails the ask.
    }
  };

  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  signal.addEventListener("abort", () => connected(), { once: true });
  void (async () => {
    const events = await client.event.subscribe(undefined, { signal, sseMaxRetryAttempts: 3 });
    for await (const event of events.stream as AsyncIterable<SessionEvent>) {
      connected();
      if (signal.aborted) break;
      onEvent(event);
      options.onEvent?.(event);
    }
  })()
    .catch(() => {
      // The stream ends with the ask (abort) or the server; the ask itself still has its answer or timeout.
    })
    .finally(() => connected());

  report();
  const tick = setInterval(() => {
    report();
    void client.session
      .status(undefined, { signal })
      .then((result) => {
        const status = result.data?.[sessionID];
        if (status) onStatus(status);
      })
      .catch(() => undefined);
  }, options.progressIntervalMs ?? 5_000);
  tick.unref?.();
  signal.addEventListener("abort", () => clearInterval(tick), { once: true });
  return ready;
}
