/** Timing options shared by every reply. */
export interface ReplyTiming {
  /** Wait this long before sending the response headers. */
  delayMs?: number;
  /** Streaming only: wait this long between chunks. */
  chunkDelayMs?: number;
}

/** Token usage to report instead of the server's rough estimate (about 4 characters a token). */
export interface ReplyUsage {
  /** Input tokens. */
  promptTokens: number;
  /** Output tokens. */
  completionTokens: number;
  /** Reasoning tokens among the output tokens (`completion_tokens_details.reasoning_tokens`). */
  reasoningTokens?: number;
  /** Cached tokens among the input tokens (`prompt_tokens_details.cached_tokens`). */
  cachedTokens?: number;
}

/** A plain assistant text reply. */
export interface TextReply extends ReplyTiming {
  /** Discriminant. */
  type: "text";
  /** The assistant's answer. */
  text: string;
  /** Optional reasoning, streamed first as `delta.reasoning_content`. */
  reasoning?: string;
  /** `stop` (default) or `length`. */
  finishReason?: "stop" | "length";
  /** Streaming only: characters per content chunk (default 24). */
  chunkSize?: number;
  /** Usage to report. */
  usage?: ReplyUsage;
}

/** One tool call the model makes. */
export interface ToolCallSpec {
  /** The tool's name, as offered in the request's `tools`. */
  name: string;
  /** Arguments, JSON-encoded for the wire (a string is sent verbatim). */
  args?: unknown;
  /** Call id (default: a generated `call_…`). */
  id?: string;
}

/** A reply made of tool calls, ending with `finish_reason: "tool_calls"`. */
export interface ToolCallsReply extends ReplyTiming {
  /** Discriminant. */
  type: "tool-calls";
  /** The calls, in order. */
  calls: ToolCallSpec[];
  /** Optional text streamed before the calls. */
  text?: string;
  /** Usage to report. */
  usage?: ReplyUsage;
}

/** An HTTP error response (for example 429 or 500) with an OpenAI-style error body. */
export interface ErrorReply extends ReplyTiming {
  /** Discriminant. */
  type: "error";
  /** HTTP status. */
  status: number;
  /** `error.message` of the body. */
  message: string;
  /** `error.type` of the body (default derived from the status). */
  errorType?: string;
  /** Extra response headers, for example `{ "retry-after": "1" }`. */
  headers?: Record<string, string>;
}

/**
 * A broken response. Streaming: each `lines` entry is written verbatim as `data: <line>` after
 * the optional valid `text` chunks; then `[DONE]` unless `done` is false, in which case the
 * connection just closes. Non-streaming: the lines joined by newlines are the 200 body.
 */
export interface MalformedReply extends ReplyTiming {
  /** Discriminant. */
  type: "malformed";
  /** Raw payloads, for example `'{"choices":[{"delta":'`. */
  lines: string[];
  /** Valid text chunks to stream before the broken ones. */
  text?: string;
  /** Send `data: [DONE]` at the end (default true). */
  done?: boolean;
}

/**
 * A response that never completes: headers (and, streaming, the optional `text`) are sent, then
 * nothing until the client disconnects or the server stops. Use it to test timeouts and aborts.
 */
export interface HangReply extends ReplyTiming {
  /** Discriminant. */
  type: "hang";
  /** Text streamed before hanging. */
  text?: string;
}

/** Everything a script can answer. */
export type Reply = TextReply | ToolCallsReply | ErrorReply | MalformedReply | HangReply;

/** A reply, or a plain string as shorthand for a text reply. */
export type ReplyLike = Reply | string;

/** Normalise a {@link ReplyLike} to a {@link Reply}. */
export function toReply(value: ReplyLike): Reply {
  return typeof value === "string" ? { type: "text", text: value } : value;
}

/**
 * Constructors for {@link Reply} values.
 *
 * @example
 * ```ts
 * reply.text("Hello");
 * reply.toolCall("echo", { text: "hi" });
 * reply.error(429, "slow down", { headers: { "retry-after": "1" } });
 * reply.malformed(['{"choices":[{"delta":']);
 * ```
 */
export const reply = {
  /** A text answer. */
  text(text: string, options: Omit<TextReply, "type" | "text"> = {}): TextReply {
    return { type: "text", text, ...options };
  },
  /** One tool call. */
  toolCall(
    name: string,
    args: unknown = {},
    options: Omit<ToolCallsReply, "type" | "calls"> & { id?: string } = {},
  ): ToolCallsReply {
    const { id, ...rest } = options;
    return { type: "tool-calls", calls: [id === undefined ? { name, args } : { name, args, id }], ...rest };
  },
  /** Several tool calls in one assistant turn. */
  toolCalls(calls: ToolCallSpec[], options: Omit<ToolCallsReply, "type" | "calls"> = {}): ToolCallsReply {
    return { type: "tool-calls", calls, ...options };
  },
  /** An HTTP error. */
  error(
    status: number,
    message?: string,
    options: Omit<ErrorReply, "type" | "status" | "message"> = {},
  ): ErrorReply {
    return { type: "error", status, message: message ?? `scripted error ${status}`, ...options };
  },
  /** A malformed stream or body. */
  malformed(lines: string[], options: Omit<MalformedReply, "type" | "lines"> = {}): MalformedReply {
    return { type: "malformed", lines, ...options };
  },
  /** A response that never completes. */
  hang(options: Omit<HangReply, "type"> = {}): HangReply {
    return { type: "hang", ...options };
  },
} as const;
