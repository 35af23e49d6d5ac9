import { randomUUID } from "node:crypto";
import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { ResolverError } from "@orchestra/resolver";
import { RuntimeError } from "../runtime-error.js";
import { type AskProgress, type SessionEvent, watchAsk } from "./ask-watch.js";
import { isAbortError, jobCancelledError } from "./cancel.js";
import {
  describeFallback,
  isFallbackFailure,
  type ModelCooldowns,
  type ModelFallback,
  modelLabel,
} from "./model-fallback.js";
import { type ProviderSlots, withProviderSlot } from "./provider-slots.js";
import { type AskStream, createAskStream, type StreamMessage } from "./stream.js";
import { unknownModelError, unknownModelHints } from "./unknown-model.js";

export type { AskProgress } from "./ask-watch.js";

/** Lifecycle state of a worker. */
export type WorkerStatus = "starting" | "ready" | "busy" | "dead" | "stopped";
/** `process`: an isolated `opencode serve` child; `session`: a session on the host server. */
export type WorkerKind = "process" | "session";

/** A model as OpenCode addresses it. */
export interface ModelRef {
  providerID: string;
  modelID: string;
}

/** What a worker is, as reported by `list` and the registry. */
export interface WorkerInfo {
  /** Stable id: `<profile>`, then `<profile>-2`, … */
  id: string;
  /** The profile the worker runs. */
  profile: string;
  kind: WorkerKind;
  status: WorkerStatus;
  /** `provider/model`. */
  model: string;
  /** Server URL (process workers: their own; session workers: the host's). */
  url: string;
  /** Server port, for process workers. */
  port?: number;
  /** Process id (= process group id), for process workers. */
  pid?: number;
  /** The worker's session on its server. */
  sessionId: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds of the last finished ask. */
  lastUsedAt?: number;
  /** Why the worker is dead, when it is. */
  reason?: string;
}

/** An image or other file sent along with a message. */
interface Attachment {
  /** MIME type, e.g. `image/png`. */
  mime: string;
  /** A `data:` or `file:` URL. */
  url: string;
  filename?: string;
}

/** Options of `Worker.ask`. */
export interface AskOptions {
  /** Abort after this many milliseconds (default: no limit beyond the signal). */
  timeoutMs?: number;
  signal?: AbortSignal;
  attachments?: readonly Attachment[];
  /**
   * Called at once and then every 5 s while the ask waits, with what the worker is doing
   * (`thinking`, `running <tool>`, `retrying …`).
   */
  onProgress?: (progress: AskProgress) => void;
  /** How often `onProgress` is called, in ms (default 5 000). */
  progressIntervalMs?: number;
  /**
   * Receives the job's stream while the ask waits (text and reasoning chunks, tool starts and ends,
   * status, errors, then `done`), in order, at most once (see stream.ts). The answer is unchanged.
   */
  onStream?: (message: StreamMessage) => void;
  /** The job id stamped on the stream's messages (default: a new UUID). */
  jobId?: string;
  /** The asking orchestrator's session (a plugin tool's), recorded with the ask's job in the journal. */
  callerSession?: string;
  /** The job that caused this ask (the asking worker's job of a worker-to-worker request), recorded with its job. */
  parentJobId?: string;
  /** Every event of the worker's server while the ask's prompt runs (the budget reads `message.updated`). */
  onEvent?: (event: SessionEvent) => void;
  /**
   * Provider errors OpenCode may retry before the ask fails with the provider's message
   * (default 0: an unreachable API, a refused key or an overloaded model fails the ask at once).
   */
  providerRetries?: number;
}

/** What to check when a worker's model (`provider/model`) fails. */
function modelFailureHints(model: string): string[] {
  return [
    `check the worker's model ${model} and its provider (API key, baseURL, network); \`orchestra resolve <ref> --server <url>\` explains which model a reference picks`,
    "`orchestra doctor` checks the providers and models the profiles use",
  ];
}

/** A finished ask. */
export interface AskResult {
  workerId: string;
  /** The job of the user's journal this ask ran as (absent when it was not recorded). */
  jobId?: string;
  text: string;
  durationMs: number;
  /** The model that answered, `provider/model`. */
  model: string;
  /** The models this ask left because they failed, in order (absent when none did). */
  fallbacks?: ModelFallback[];
  /** Notes for the tool's output, such as a budget warning (absent when none). */
  notes?: readonly string[];
}

/**
 * A worker's fallback models (its profile's `model` list, then `fallbackModels`, resolved): an ask
 * whose model fails with a rate limit, a 5xx, an overloaded model, a quota or an auth error is
 * retried (OpenCode's backoff, which honours `retry-after`), then sent again with the next model.
 */
export interface WorkerFallbackModels {
  /** Tried in order after the worker's model. */
  models: readonly ModelRef[];
  /** When models failed (`modelSelection.fallbackCooldownMs`), shared by the orchestrator's workers. */
  cooldowns: ModelCooldowns;
  /** Provider retries on a model before moving to the next (default 1). */
  retries?: number;
  /** Called when an ask moves to the next model. */
  onFallback?: (fallback: ModelFallback) => void;
}

/**
 * One prompt with one model: the answer's text, or the error to throw; `message` is the model's
 * own failure (the ask may move to the next model on it), `retryable` when OpenCode retried it.
 */
type PromptOutcome = { text: string } | { error: RuntimeError; message?: string; retryable: boolean };

interface PromptPart {
  type: string;
  text?: string;
  synthetic?: boolean;
  ignored?: boolean;
}

/** The answer carries the model's error (the provider refused or failed the request). */
class ModelAnswerError extends Error {}

/** The assistant's visible text from a prompt answer: its text parts, joined. */
function answerText(parts: readonly PromptPart[]): string {
  return parts
    .filter((p) => p.type === "text" && typeof p.text === "string" && !p.synthetic && !p.ignored)
    .map((p) => p.text)
    .join("\n")
    .trim();
}

/**
 * One worker: a session on an OpenCode server (its own, or the host's), with the profile's
 * system prompt already delivered. Both kinds share this API.
 */
export class Worker {
  readonly #info: WorkerInfo;
  readonly #client: OpencodeClient;
  readonly #model: ModelRef;
  readonly #agent: string | undefined;
  readonly #onStop: (graceMs: number) => Promise<void>;
  #inFlight = new Set<AbortController>();
  #fallback: WorkerFallbackModels | undefined;
  #slots: ProviderSlots | undefined;

  constructor(init: {
    info: WorkerInfo;
    client: OpencodeClient;
    model: ModelRef;
    agent?: string;
    onStop: (graceMs: number) => Promise<void>;
  }) {
    this.#info = init.info;
    this.#client = init.client;
    this.#model = init.model;
    this.#agent = init.agent;
    this.#onStop = init.onStop;
  }

  /** A snapshot of the worker's state. */
  get info(): WorkerInfo {
    return { ...this.#info };
  }

  get id(): string {
    return this.#info.id;
  }

  get status(): WorkerStatus {
    return this.#info.status;
  }

  /** The client of the worker's server, scoped to its directory. */
  get client(): OpencodeClient {
    return this.#client;
  }

  /** The models an ask moves to when the worker's model fails (replaces any earlier list). */
  useFallbackModels(fallback: WorkerFallbackModels): void {
    this.#fallback = fallback;
  }

  /** Per-provider caps (`modelSelection.maxConcurrent`) each prompt waits its turn under. */
  useProviderSlots(slots: ProviderSlots): void {
    this.#slots = slots;
  }

  /** Record a status change (the pool and the health monitor call this). */
  setStatus(status: WorkerStatus, reason?: string): void {
    this.#info.status = status;
    if (reason !== undefined) this.#info.reason = reason;
    if (status === "dead" || status === "stopped") for (const c of this.#inFlight) c.abort(reason ?? status);
  }

  /**
   * Send a message and wait for the answer.
   * @throws {RuntimeError} `WORKER_UNAVAILABLE` when dead/stopped, `WORKER_ASK_FAILED` on failure or timeout.
   */
  async ask(message: string, options: AskOptions = {}): Promise<AskResult> {
    if (this.#info.status === "dead" || this.#info.status === "stopped") {
      throw new RuntimeError(
        "WORKER_UNAVAILABLE",
        `worker "${this.id}" is ${this.#info.status}${this.#info.reason ? `: ${this.#info.reason}` : ""}`,
        {
          hints: [`spawn a new one with spawn_worker ${this.#info.profile}`],
        },
      );
    }
    const started = performance.now();
    const fallback = this.#fallback;
    const models = [this.#model, ...(fallback?.models ?? [])];
    const labels = models.map(modelLabel);
    // A model that failed within the cool-down is skipped: the fallback holds until it ends.
    let index = fallback ? fallback.cooldowns.start(labels) : 0;
    const fallbacks: ModelFallback[] = [];
    // One deadline for the whole ask, whichever models it uses.
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    // Stopping the worker ends the ask even while it waits for a provider slot (no prompt is running yet).
    const life = new AbortController();
    this.#inFlight.add(life);
    this.#info.status = "busy";
    const stream =
      options.onStream === undefined
        ? undefined
        : createAskStream({
            jobId: options.jobId ?? randomUUID(),
            workerId: this.id,
            sessionID: this.#info.sessionId,
            onStream: options.onStream,
          });
    try {
      for (;;) {
        const model = models[index] as ModelRef;
        const hasNext = index < models.length - 1;
        const retries = hasNext
          ? Math.max(options.providerRetries ?? 0, fallback?.retries ?? 1)
          : options.providerRetries;
        // A slot of the provider of the model actually prompted (a fallback may change provider).
        const outcome = await withProviderSlot(
          this.#slots,
          model.providerID,
          {
            workerId: this.id,
            startedAt: started,
            ...options,
            signals: [options.signal, timeout, life.signal],
          },
          () => this.#prompt(message, options, model, retries, timeout, stream),
        );
        if ("text" in outcome) {
          stream?.end({ ok: true, text: outcome.text });
          return {
            workerId: this.id,
            text: outcome.text,
            durationMs: performance.now() - started,
            model: labels[index] as string,
            ...(fallbacks.length > 0 ? { fallbacks } : {}),
          };
        }
        if (outcome.message === undefined) throw this.#afterFallbacks(outcome.error, fallbacks);
        // Only a failure of the provider (not of the request) sets the model aside for the cool-down.
        const unavailable = isFallbackFailure(outcome.message, { retryable: outcome.retryable });
        if (unavailable) fallback?.cooldowns.failed(labels[index] as string);
        if (!hasNext || !unavailable) throw this.#afterFallbacks(outcome.error, fallbacks);
        const next: ModelFallback = {
          workerId: this.id,
          profile: this.#info.profile,
          from: labels[index] as string,
          to: labels[index + 1] as string,
          reason: outcome.message,
        };
        fallbacks.push(next);
        try {
          fallback?.onFallback?.(next);
        } catch {
          // A failing listener never fails the ask.
        }
        await this.#settle(message);
        // Stopped (or dead) while the first model failed: no prompt to the next one.
        if (this.status === "dead" || this.status === "stopped") throw outcome.error;
        index++;
      }
    } catch (error) {
      stream?.end({ ok: false, message: (error as Error).message });
      throw error;
    } finally {
      this.#inFlight.delete(life);
      if (this.#info.status === "busy") this.#info.status = "ready";
      this.#info.lastUsedAt = Date.now();
    }
  }

  /** The ask's error, naming the models it fell back from first (when it did). */
  #afterFallbacks(error: RuntimeError, fallbacks: readonly ModelFallback[]): RuntimeError {
    if (fallbacks.length === 0 || error.code === "JOB_CANCELLED") return error;
    return new RuntimeError(
      "WORKER_ASK_FAILED",
      `${error.message} (after falling back: ${fallbacks.map(describeFallback).join("; ")})`,
      { cause: error, hints: error.hints },
    );
  }

  /**
   * Before the next model's prompt: abort the session's turn, wait (briefly) until it is idle, then
   * revert the failed turn (from the ask's own user message on), so that the next model sees the
   * message once, not twice. Best effort: without the revert the message is just sent again.
   */
  async #settle(message: string): Promise<void> {
    const sessionID = this.#info.sessionId;
    await this.#client.session.abort({ sessionID }).catch(() => undefined);
    for (let i = 0; i < 40; i++) {
      const status = await this.#client.session.status().catch(() => undefined);
      const own = (status?.data as Record<string, { type?: string }> | undefined)?.[sessionID];
      if (own === undefined || own.type === "idle") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const messages = await this.#client.session.messages({ sessionID }).catch(() => undefined);
    const list = (messages?.data ?? []) as {
      info: { id: string; role: string };
      parts: { type: string; text?: string }[];
    }[];
    const turn = list.findLast((m) => m.info.role === "user");
    if (turn?.parts.some((p) => p.type === "text" && p.text === message))
      await this.#client.session.revert({ sessionID, messageID: turn.info.id }).catch(() => undefined);
  }

  /** One prompt with one model (see {@link PromptOutcome}). */
  async #prompt(
    message: string,
    options: AskOptions,
    model: ModelRef,
    retries: number | undefined,
    timeout: AbortSignal | undefined,
    stream?: AskStream,
  ): Promise<PromptOutcome> {
    const controller = new AbortController();
    // The session's events report a model failure long before the timeout (OpenCode retries it).
    const modelFailure = new AbortController();
    let retryable = false;
    const signals = [controller.signal, modelFailure.signal];
    if (options.signal) signals.push(options.signal);
    if (timeout) signals.push(timeout);
    const signal = AbortSignal.any(signals);
    this.#inFlight.add(controller);
    const label = modelLabel(model);
    const watching = new AbortController();
    const watched = watchAsk({
      client: this.#client,
      workerId: this.id,
      sessionID: this.#info.sessionId,
      signal: AbortSignal.any([watching.signal, signal]),
      ...(retries === undefined ? {} : { retries }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
      onFailure: (failure, isRetryable) => {
        retryable = isRetryable;
        modelFailure.abort(failure);
      },
      ...(stream === undefined && options.onEvent === undefined
        ? {}
        : {
            onEvent: (event: SessionEvent) => {
              stream?.onEvent(event);
              options.onEvent?.(event);
            },
          }),
    });
    // A streamed ask prompts once the event stream is connected, so that no early chunk is missed.
    if (stream || options.onEvent) await watched;
    try {
      const parts = [
        { type: "text" as const, text: message },
        ...(options.attachments ?? []).map((a) => ({
          type: "file" as const,
          mime: a.mime,
          url: a.url,
          ...(a.filename === undefined ? {} : { filename: a.filename }),
        })),
      ];
      const result = await this.#client.session.prompt(
        {
          sessionID: this.#info.sessionId,
          model,
          ...(this.#agent === undefined ? {} : { agent: this.#agent }),
          parts,
        },
        { signal },
      );
      if (result.error || !result.data) {
        // OpenCode's answer to a model it does not have is an opaque server error: look the model up.
        const unknown = result.error ? await unknownModelError(this.#client, model, signal) : undefined;
        throw unknown ?? new Error(JSON.stringify(result.error ?? "empty answer").slice(0, 500));
      }
      const info = result.data.info as { error?: { name?: string; data?: { message?: string } } };
      // An abort we did not cause (a cancel, from any process): the job ends, no fallback.
      if (isAbortError(info.error) && !signal.aborted)
        return { error: jobCancelledError(this.id, options.jobId), retryable: false };
      if (info.error)
        throw new ModelAnswerError(`${info.error.name ?? "error"}: ${info.error.data?.message ?? ""}`);
      // The answer can arrive before the last events: wait (briefly) for the session to go idle.
      await stream?.settled(signal);
      return { text: answerText(result.data.parts as PromptPart[]) };
    } catch (error) {
      if (signal.aborted) {
        void this.#client.session.abort({ sessionID: this.#info.sessionId }).catch(() => undefined);
      }
      // A model OpenCode does not have ("Model not found", or only an opaque server error above):
      // said as the resolver says it at spawn, with the close matches of the worker's catalog.
      const failure = modelFailure.signal.aborted ? String(modelFailure.signal.reason) : undefined;
      const unknown = ResolverError.isInstance(error)
        ? error
        : failure !== undefined && /model not found/i.test(failure)
          ? await unknownModelError(this.#client, model, AbortSignal.timeout(10_000))
          : undefined;
      if (unknown)
        return {
          message: unknown.message,
          retryable: false,
          error: new RuntimeError(
            "WORKER_ASK_FAILED",
            `worker "${this.id}" did not answer: its model ${label} does not exist in its OpenCode: ${unknown.message}`,
            { cause: unknown, hints: unknownModelHints(unknown, this.id) },
          ),
        };
      if (modelFailure.signal.aborted) {
        const reason = String(modelFailure.signal.reason);
        return {
          message: reason,
          retryable,
          error: new RuntimeError(
            "WORKER_ASK_FAILED",
            `worker "${this.id}" did not answer: its model failed: ${reason}`,
            { cause: error, hints: modelFailureHints(label) },
          ),
        };
      }
      const modelError = error instanceof ModelAnswerError;
      const why = signal.aborted
        ? options.timeoutMs !== undefined && !controller.signal.aborted && !options.signal?.aborted
          ? `timed out after ${options.timeoutMs} ms`
          : `cancelled (${String(controller.signal.reason ?? options.signal?.reason ?? "aborted")})`
        : (error as Error).message;
      return {
        ...(modelError ? { message: why } : {}),
        retryable: false,
        error: new RuntimeError("WORKER_ASK_FAILED", `worker "${this.id}" did not answer: ${why}`, {
          cause: error,
          hints: modelError
            ? modelFailureHints(label)
            : ["check the worker with list_workers or health_check"],
        }),
      };
    } finally {
      watching.abort();
      this.#inFlight.delete(controller);
    }
  }

  /** Stop the worker: abort work in flight, then release its server or session. Idempotent. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.#info.status === "stopped") return;
    const wasDead = this.#info.status === "dead";
    this.setStatus("stopped", wasDead ? this.#info.reason : "stopped");
    await this.#onStop(graceMs);
  }
}
