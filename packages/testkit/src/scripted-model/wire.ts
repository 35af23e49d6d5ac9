import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChatCompletionRequest, ChatUsage } from "./chat-types.js";
import type { ErrorReply, MalformedReply, Reply, ReplyUsage, TextReply, ToolCallsReply } from "./reply.js";

let sequence = 0;

/** A fresh `chatcmpl-…` / `call_…` style id. */
function nextId(prefix: string): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence.toString(36)}`;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function usageOf(explicit: ReplyUsage | undefined, rawBody: string, output: string): ChatUsage {
  const prompt = explicit?.promptTokens ?? estimateTokens(rawBody);
  const completion = explicit?.completionTokens ?? estimateTokens(output);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(explicit?.reasoningTokens === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: explicit.reasoningTokens } }),
    ...(explicit?.cachedTokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: explicit.cachedTokens } }),
  };
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function argumentsText(args: unknown): string {
  return typeof args === "string" ? args : JSON.stringify(args ?? {});
}

/** Where to write and what the client asked for. */
export interface WireTarget {
  res: ServerResponse;
  body: ChatCompletionRequest | undefined;
  rawBody: string;
  model: string;
  /** Aborted when the client disconnects or the server closes. */
  signal: AbortSignal;
}

async function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms && ms > 0) await sleep(ms, undefined, { signal }).catch(() => undefined);
}

function writeError(target: WireTarget, reply: ErrorReply): void {
  const type =
    reply.errorType ??
    (reply.status === 429
      ? "rate_limit_exceeded"
      : reply.status >= 500
        ? "server_error"
        : "invalid_request_error");
  target.res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
  target.res.end(JSON.stringify({ error: { message: reply.message, type, code: type, param: null } }));
}

/** Write `reply` to the client, streaming or not as the request asked. Resolves when done. */
export async function writeReply(target: WireTarget, reply: Reply): Promise<void> {
  await pause(reply.delayMs, target.signal);
  if (target.signal.aborted) return;
  if (reply.type === "error") return writeError(target, reply);
  if (target.body?.stream === true) return writeStream(target, reply);
  return writeJson(target, reply);
}

function writeJson(target: WireTarget, reply: Exclude<Reply, ErrorReply>): void {
  const { res } = target;
  if (reply.type === "malformed") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(reply.lines.join("\n"));
    return;
  }
  if (reply.type === "hang") {
    res.writeHead(200, { "content-type": "application/json" });
    return;
  }
  const message: Record<string, unknown> = { role: "assistant", content: reply.text ?? null };
  let finish: string = "stop";
  let output = reply.text ?? "";
  if (reply.type === "text") {
    finish = reply.finishReason ?? "stop";
    if (reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;
  } else {
    finish = "tool_calls";
    message.tool_calls = reply.calls.map((call) => ({
      id: call.id ?? nextId("call_"),
      type: "function",
      function: { name: call.name, arguments: argumentsText(call.args) },
    }));
    output += JSON.stringify(message.tool_calls);
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id: nextId("chatcmpl-"),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: target.model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: usageOf(reply.usage, target.rawBody, output),
    }),
  );
}

async function writeStream(target: WireTarget, reply: Exclude<Reply, ErrorReply>): Promise<void> {
  const { res, signal } = target;
  const id = nextId("chatcmpl-");
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const send = async (payload: string, first = false) => {
    if (signal.aborted) return;
    if (!first) await pause(reply.chunkDelayMs, signal);
    if (!signal.aborted) res.write(`data: ${payload}\n\n`);
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model: target.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });

  await send(chunk({ role: "assistant", content: "" }), true);
  const size = reply.type === "text" ? Math.max(1, reply.chunkSize ?? 24) : 24;
  if (reply.type === "text" && reply.reasoning) {
    for (const piece of chunks(reply.reasoning, size)) await send(chunk({ reasoning_content: piece }));
  }
  const text = reply.text ?? "";
  for (const piece of chunks(text, size)) await send(chunk({ content: piece }));

  if (reply.type === "hang") return; // leave the response open
  if (reply.type === "malformed") return finishMalformed(target, reply, send);

  let output = text;
  let finish: string;
  if (reply.type === "tool-calls") {
    finish = "tool_calls";
    for (const [index, call] of reply.calls.entries()) {
      const args = argumentsText(call.args);
      output += call.name + args;
      await send(
        chunk({
          tool_calls: [
            {
              index,
              id: call.id ?? nextId("call_"),
              type: "function",
              function: { name: call.name, arguments: "" },
            },
          ],
        }),
      );
      for (const piece of chunks(args, size)) {
        await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
  } else {
    finish = (reply as TextReply).finishReason ?? "stop";
  }
  await send(chunk({}, finish));
  if (target.body?.stream_options?.include_usage === true) {
    const usage = usageOf((reply as TextReply | ToolCallsReply).usage, target.rawBody, output);
    await send(
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model: target.model,
        choices: [],
        usage,
      }),
    );
  }
  await send("[DONE]");
  res.end();
}

async function finishMalformed(
  target: WireTarget,
  reply: MalformedReply,
  send: (payload: string) => Promise<void>,
): Promise<void> {
  for (const line of reply.lines) await send(line);
  if (reply.done !== false) await send("[DONE]");
  target.res.end();
}
