import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { TestkitError } from "../errors.js";
import type { ChatCompletionRequest } from "./chat-types.js";
import {
  type FakeModel,
  type OpencodeProviderConfig,
  presetModels,
  toOpencodeProvider,
} from "./fake-model.js";
import { type Reply, toReply } from "./reply.js";
import {
  describeRequest,
  echoScript,
  type RecordedRequest,
  type Script,
  type ScriptContext,
} from "./script.js";
import { writeReply } from "./wire.js";

/** Options of {@link startScriptedModel}. */
export interface ScriptedModelOptions {
  /** Decides the replies (default {@link echoScript}). Replace it later with `setScript`. */
  script?: Script;
  /** Used when the script returns `undefined` (default {@link echoScript}). */
  fallback?: Script;
  /** Declared models (default {@link presetModels}); the first one is the default model. */
  models?: readonly FakeModel[];
  /** OpenCode provider id for {@link ScriptedModel.providerConfig} (default `scripted`). */
  providerId?: string;
  /** Provider display name (default `Scripted`). */
  providerName?: string;
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** Answer 404 `model_not_found` for model ids that are not declared (default false). */
  strictModels?: boolean;
}

/** Options of {@link ScriptedModel.waitForRequests}. */
export interface WaitOptions {
  /** Give up after this long (default 10000 ms). */
  timeoutMs?: number;
}

/** A running scripted OpenAI-compatible model server. */
export interface ScriptedModel {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`: the `baseURL` an OpenAI-compatible client needs. */
  readonly baseURL: string;
  /** The port. */
  readonly port: number;
  /** The OpenCode provider id used by {@link ScriptedModel.providerConfig} and {@link ScriptedModel.modelRef}. */
  readonly providerId: string;
  /** The declared models. */
  readonly models: readonly FakeModel[];
  /** Every `POST /v1/chat/completions` received since start or the last `reset()`, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Replace the script (also clears the script memory, for example rule counters). */
  setScript(script: Script): void;
  /** Forget recorded requests and script memory; restore the script given at start. */
  reset(): void;
  /** `{ [providerId]: { npm, name, options: { baseURL, apiKey }, models } }` for OpenCode's `provider` config. */
  providerConfig(): Record<string, OpencodeProviderConfig>;
  /** `"<providerId>/<modelId>"` (default: the first declared model). */
  modelRef(modelId?: string): string;
  /** Resolve once at least `count` requests are recorded; returns them. */
  waitForRequests(count: number, options?: WaitOptions): Promise<readonly RecordedRequest[]>;
  /** Stop listening and drop open connections (including hanging replies). Idempotent. */
  close(): Promise<void>;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

/**
 * Start a scripted OpenAI-compatible chat-completions server on 127.0.0.1.
 *
 * It serves `POST /v1/chat/completions` (SSE streaming and JSON) and `GET /v1/models`, lets a
 * {@link Script} decide each reply from the conversation, and records every request.
 *
 * @example
 * ```ts
 * const model = await startScriptedModel({
 *   script: rules([{ userText: "hi", reply: "Hello!" }]),
 * });
 * const opencodeConfig = { provider: model.providerConfig(), model: model.modelRef() };
 * // … later
 * expect(model.requests[0]?.lastUserText).toBe("hi");
 * await model.close();
 * ```
 */
export async function startScriptedModel(options: ScriptedModelOptions = {}): Promise<ScriptedModel> {
  const models = options.models ?? presetModels;
  if (models.length === 0) {
    throw new TestkitError("TESTKIT_INVALID_OPTIONS", "startScriptedModel needs at least one model.", {
      hints: ["Pass models: [{ id: 'my-model' }] or omit `models` to use presetModels."],
    });
  }
  const providerId = options.providerId ?? "scripted";
  const initialScript = options.script ?? echoScript;
  const fallback = options.fallback ?? echoScript;
  let script = initialScript;
  let memory = new Map<unknown, unknown>();
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  const notify = () => {
    for (const w of waiters) w();
  };

  const handleChat = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => {
    const rawBody = await readBody(req);
    let body: ChatCompletionRequest | undefined;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      body = typeof parsed === "object" && parsed !== null ? (parsed as ChatCompletionRequest) : undefined;
    } catch {
      body = undefined;
    }
    const recorded = describeRequest(
      {
        index: requests.length,
        receivedAt: Date.now(),
        method: req.method ?? "POST",
        path: req.url ?? "",
        headers: headersOf(req),
        rawBody,
      },
      body,
    );
    requests.push(recorded);
    notify();
    if (body === undefined) {
      json(res, 400, { error: { message: "request body is not JSON", type: "invalid_request_error" } });
      recorded.finishedAt = Date.now();
      return;
    }
    const model = models.find((m) => m.id === recorded.model);
    if (options.strictModels && model === undefined) {
      json(res, 404, {
        error: {
          message: `model '${recorded.model}' does not exist`,
          type: "invalid_request_error",
          code: "model_not_found",
        },
      });
      recorded.finishedAt = Date.now();
      return;
    }
    const context: ScriptContext = { previous: requests.slice(0, recorded.index), model, memory };
    let answer: Reply;
    try {
      const decided = (await script(recorded, context)) ?? (await fallback(recorded, context)) ?? "OK";
      answer = toReply(decided);
    } catch (error) {
      answer = { type: "error", status: 500, message: `script threw: ${String(error)}` };
    }
    recorded.reply = answer;
    try {
      await writeReply({ res, body, rawBody, model: recorded.model, signal }, answer);
    } finally {
      recorded.finishedAt = Date.now();
    }
  };

  const server = createServer((req, res) => {
    const aborter = new AbortController();
    const onClose = () => aborter.abort();
    res.on("close", onClose);
    closing.signal.addEventListener("abort", onClose, { once: true });
    res.on("close", () => closing.signal.removeEventListener("abort", onClose));
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      json(res, 200, {
        object: "list",
        data: models.map((m) => ({ id: m.id, object: "model", created: 0, owned_by: providerId })),
      });
      return;
    }
    if (req.method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions")) {
      handleChat(req, res, aborter.signal).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { message: String(error), type: "server_error" } });
        else res.end();
      });
      return;
    }
    json(res, 404, {
      error: { message: `no route for ${req.method} ${path}`, type: "invalid_request_error" },
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) =>
      reject(
        new TestkitError(
          "TESTKIT_MODEL_SERVER_FAILED",
          `The scripted model server could not listen on 127.0.0.1:${options.port ?? 0}.`,
          {
            cause,
            hints: ["Use port 0 (the default) to get a free port."],
          },
        ),
      ),
    );
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const baseURL = `${url}/v1`;
  let closed: Promise<void> | undefined;
  const defaultModel = models[0]?.id ?? "";

  return {
    url,
    baseURL,
    port,
    providerId,
    models,
    get requests() {
      return requests;
    },
    setScript(next) {
      script = next;
      memory = new Map();
    },
    reset() {
      requests.length = 0;
      script = initialScript;
      memory = new Map();
    },
    providerConfig() {
      return { [providerId]: toOpencodeProvider(baseURL, models, options.providerName ?? "Scripted") };
    },
    modelRef(modelId = defaultModel) {
      return `${providerId}/${modelId}`;
    },
    waitForRequests(count, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new TestkitError(
              "TESTKIT_WAIT_TIMEOUT",
              `Waited ${timeoutMs} ms for ${count} model request(s); got ${requests.length}.`,
              {
                hints: [
                  "Check that OpenCode is configured with this server's providerConfig() and modelRef().",
                ],
              },
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        for (const w of waiters) waiters.delete(w);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
