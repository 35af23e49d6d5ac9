import type { ToolContext } from "@opencode-ai/plugin";
import type { AskProgress, SpawnOptions, StreamMessage } from "@orchestra/runtime";

/** A spawn's progress (delegate_task starts a worker before it asks). */
type SpawnProgress = Parameters<NonNullable<SpawnOptions["onProgress"]>>[0];

/** What a waiting tool shows about its worker: its current tool, elapsed time and last line of text. */
export interface ProgressSnapshot {
  /** The worker being waited for (from the stream, or the tool's argument until it arrives). */
  workerId?: string;
  /** The job id of the worker's stream. */
  jobId?: string;
  /** The tool the worker runs now; absent between tools. */
  tool?: string;
  /** Milliseconds since the tool started waiting. */
  elapsedMs: number;
  /** The last non-empty line of the worker's text so far (at most {@link LAST_LINE_MAX} characters). */
  lastLine?: string;
  /**
   * What the worker does besides a tool: `thinking`, `writing` (its text streams), `retrying …`, or,
   * before its stream starts, the ask's or spawn's own progress (`starting: …`, a provider slot wait).
   */
  activity?: string;
  /** Text and reasoning chunks received so far. */
  chunks: number;
  /** Tool calls the worker started so far. */
  tools: number;
}

/** The longest `lastLine`; a longer one keeps its end, behind `…`. */
export const LAST_LINE_MAX = 120;

/** A tool's title for a snapshot, e.g. `docs: running grep (12 s) · Found three matches`. */
export function progressTitle(label: string, s: ProgressSnapshot): string {
  const doing = s.tool === undefined ? (s.activity ?? "thinking") : `running ${s.tool}`;
  const line = s.lastLine === undefined ? "" : ` · ${s.lastLine}`;
  return `${s.workerId ?? label}: ${doing} (${Math.floor(s.elapsedMs / 1000)} s)${line}`;
}

function clip(line: string): string {
  return line.length <= LAST_LINE_MAX ? line : `…${line.slice(line.length - LAST_LINE_MAX + 1)}`;
}

/**
 * Folds a job's stream into a {@link ProgressSnapshot}. Only the current line of the current text
 * part and the last complete line are kept, so a long answer costs no memory.
 */
export class ProgressState {
  readonly #started: number;
  readonly #now: () => number;
  #snapshot: Omit<ProgressSnapshot, "elapsedMs" | "activity">;
  /** From the stream: what the worker does now. */
  #doing: string | undefined;
  /** From the ask's or spawn's progress; a stream message ends it (the worker is at work). */
  #waiting: string | undefined;
  #partId: string | undefined;
  #current = "";
  #lastComplete: string | undefined;

  constructor(workerId: string | undefined, now: () => number = Date.now) {
    this.#now = now;
    this.#started = now();
    this.#snapshot = { chunks: 0, tools: 0, ...(workerId === undefined ? {} : { workerId }) };
  }

  /** Fold one stream message in; returns whether the snapshot changed. */
  onStream(m: StreamMessage): boolean {
    const s = this.#snapshot;
    s.workerId = m.workerId;
    s.jobId = m.jobId;
    switch (m.kind) {
      case "text":
      case "reasoning":
        s.chunks++;
        if (m.kind === "text") this.#text(m.payload.partId, m.payload.delta);
        this.#working(m.kind === "text" ? "writing" : "thinking");
        return true;
      case "tool-start":
        s.tools++;
        s.tool = m.payload.tool;
        this.#working(undefined);
        return true;
      case "tool-end":
        if (s.tool === m.payload.tool) delete s.tool;
        this.#working("thinking");
        return true;
      case "status":
        if (m.payload.status !== "retry") return false;
        this.#working(`retrying (attempt ${m.payload.attempt ?? "?"}): ${m.payload.message ?? ""}`.trim());
        return true;
      default:
        return false;
    }
  }

  /**
   * The ask's own progress (every few seconds). Its `thinking`/`running …` is what the stream
   * already says more precisely; a provider slot wait or a retry is shown until the stream moves.
   */
  onAskProgress(p: AskProgress): void {
    this.#snapshot.workerId = p.workerId;
    if (p.activity === "thinking" || p.activity.startsWith("running ")) this.#doing ??= p.activity;
    else this.#waiting = p.activity;
  }

  /** A spawn's progress (delegate_task before the ask), shown until the stream moves. */
  onSpawnProgress(p: SpawnProgress): void {
    this.#snapshot.workerId = p.workerId;
    this.#waiting = `starting: ${p.stage}`;
  }

  /** The state now, with the elapsed time measured now. */
  snapshot(): ProgressSnapshot {
    const lastLine = this.#lastLine();
    const activity = this.#waiting ?? this.#doing;
    return {
      ...this.#snapshot,
      elapsedMs: this.#now() - this.#started,
      ...(activity === undefined ? {} : { activity }),
      ...(lastLine === undefined ? {} : { lastLine }),
    };
  }

  #working(doing: string | undefined): void {
    this.#doing = doing;
    this.#waiting = undefined;
  }

  #text(partId: string, delta: string): void {
    if (partId !== this.#partId) {
      this.#partId = partId;
      this.#current = "";
    }
    const lines = (this.#current + delta).split("\n");
    this.#current = lines.pop() ?? "";
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]?.trim();
      if (line) {
        this.#lastComplete = clip(line);
        break;
      }
    }
    // Keep the unfinished line bounded too: only its end is ever shown (behind `…`).
    if (this.#current.length > 4 * LAST_LINE_MAX) this.#current = `…${this.#current.slice(-LAST_LINE_MAX)}`;
  }

  #lastLine(): string | undefined {
    const current = this.#current.trim();
    return current ? clip(current) : this.#lastComplete;
  }
}

/**
 * Calls `write` with the latest state at most once per `intervalMs`, never two writes at once, and
 * never after {@link Throttle.close} resolved. A change during a write is written after it.
 */
export class Throttle<T> {
  readonly #intervalMs: number;
  readonly #latest: () => T;
  readonly #write: (value: T) => Promise<void>;
  readonly #now: () => number;
  #dirty = false;
  #closed = false;
  #lastWrite = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | undefined;

  constructor(options: {
    intervalMs: number;
    latest: () => T;
    write: (value: T) => Promise<void>;
    now?: () => number;
  }) {
    this.#intervalMs = options.intervalMs;
    this.#latest = options.latest;
    this.#write = options.write;
    this.#now = options.now ?? Date.now;
  }

  /** The state changed: write it now, or once the interval since the last write has passed. */
  changed(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#schedule();
  }

  /** No write starts after this; resolves once the write in flight (if any) ended. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
  }

  #schedule(): void {
    if (this.#writing !== undefined || this.#timer !== undefined || !this.#dirty) return;
    const wait = Math.max(0, this.#lastWrite + this.#intervalMs - this.#now());
    this.#timer = setTimeout(() => this.#flush(), wait);
    this.#timer.unref?.();
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#closed || !this.#dirty) return;
    this.#dirty = false;
    this.#lastWrite = this.#now();
    this.#writing = this.#write(this.#latest())
      .catch(() => undefined) // progress is best effort: a failed update never fails the ask
      .finally(() => {
        this.#writing = undefined;
        if (!this.#closed) this.#schedule();
      });
  }
}

/** The part of the OpenCode SDK client (v2) that updates a running tool part. */
export interface PartClient {
  session: {
    message(parameters: {
      sessionID: string;
      messageID: string;
    }): Promise<{ data?: { parts: readonly unknown[] } | undefined }>;
  };
  part: {
    update(parameters: {
      sessionID: string;
      messageID: string;
      partID: string;
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's Part union; this module writes back what it read
      part?: any;
    }): Promise<{ error?: unknown }>;
  };
}

/** The tool context as OpenCode 1.18.33 passes it (`callID` is there at run time, not in the type). */
type CallContext = Pick<ToolContext, "sessionID" | "messageID" | "metadata"> & { callID?: string };

interface RunningToolPart {
  id: string;
  type: "tool";
  callID: string;
  tool: string;
  state: { status: string; title?: string; metadata?: Record<string, unknown> };
}

function isToolPart(value: unknown): value is RunningToolPart {
  const p = value as Partial<RunningToolPart> | undefined;
  return p?.type === "tool" && typeof p.id === "string" && typeof p.state === "object";
}

/**
 * Writes a title and metadata onto the running tool part of the call `ctx` belongs to, through
 * `PATCH /session/{id}/message/{messageID}/part/{partID}` (OpenCode publishes it as
 * `message.part.updated`). The part is looked up by `ctx.callID` (or, without one, as the only
 * running part of `tool` in the message); a part that is no longer running is never written.
 */
export function runningPartWriter(
  client: PartClient,
  ctx: CallContext,
  tool: string,
): (update: { title: string; metadata: Record<string, unknown> }) => Promise<void> {
  let part: RunningToolPart | undefined;
  const find = async (): Promise<RunningToolPart | undefined> => {
    const message = await client.session.message({ sessionID: ctx.sessionID, messageID: ctx.messageID });
    const tools = (message.data?.parts ?? []).filter(isToolPart);
    if (ctx.callID !== undefined) return tools.find((p) => p.callID === ctx.callID);
    const running = tools.filter((p) => p.tool === tool && p.state.status === "running");
    return running.length === 1 ? running[0] : undefined;
  };
  return async ({ title, metadata }) => {
    part ??= await find();
    if (part === undefined || part.state.status !== "running") return;
    const result = await client.part.update({
      sessionID: ctx.sessionID,
      messageID: ctx.messageID,
      partID: part.id,
      part: { ...part, state: { ...part.state, title, metadata: { ...part.state.metadata, ...metadata } } },
    });
    if (result.error !== undefined) part = undefined; // look it up again next time
  };
}

/**
 * `ctx.metadata(update)`, which OpenCode 1.18.33 drops; a fixed OpenCode may throw or return a
 * promise that rejects: neither stops the part update nor goes unhandled.
 */
function reportMetadata(
  ctx: CallContext,
  update: { title: string; metadata: Record<string, unknown> },
): void {
  try {
    const result: unknown = ctx.metadata(update);
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // the part update below still shows the progress
  }
}

/** What a waiting tool hands to the ask: the stream and progress listeners. */
export interface LiveListeners {
  onStream: (message: StreamMessage) => void;
  onProgress: (progress: AskProgress) => void;
  onSpawnProgress: (progress: SpawnProgress) => void;
}

/** Options of {@link liveProgress}. */
export interface LiveProgressOptions {
  /** At most one part update per this many ms (default 500). */
  intervalMs?: number;
  /** Refresh the elapsed time at least this often while nothing else happens (default 1 000 ms). */
  heartbeatMs?: number;
}

/**
 * Run `wait` (an ask) with live progress on the calling tool's running part: the worker's current
 * tool, elapsed time and last line of text, as its title and metadata, throttled. Each update also
 * goes to `ctx.metadata()`, which OpenCode 1.18.33 drops (anomalyco/opencode#50313) and a fixed
 * OpenCode shows. No update is written after `wait` settled, so the tool's final part stays as
 * OpenCode writes it.
 */
export async function liveProgress<T>(
  client: PartClient,
  ctx: CallContext,
  call: { tool: string; workerId?: string },
  wait: (listeners: LiveListeners) => Promise<T>,
  options: LiveProgressOptions = {},
): Promise<T> {
  const state = new ProgressState(call.workerId);
  const writePart = runningPartWriter(client, ctx, call.tool);
  const throttle = new Throttle({
    intervalMs: options.intervalMs ?? 500,
    latest: () => state.snapshot(),
    write: async (snapshot: ProgressSnapshot) => {
      const update = {
        title: progressTitle(call.workerId ?? call.tool, snapshot),
        metadata: { progress: snapshot },
      };
      reportMetadata(ctx, update);
      await writePart(update);
    },
  });
  const heartbeat = setInterval(() => throttle.changed(), options.heartbeatMs ?? 1_000);
  heartbeat.unref?.();
  throttle.changed();
  try {
    return await wait({
      onStream: (m) => {
        if (state.onStream(m)) throttle.changed();
      },
      onProgress: (p) => {
        state.onAskProgress(p);
        throttle.changed();
      },
      onSpawnProgress: (p) => {
        state.onSpawnProgress(p);
        throttle.changed();
      },
    });
  } finally {
    clearInterval(heartbeat);
    await throttle.close();
  }
}
