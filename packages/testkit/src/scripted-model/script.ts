import type { ChatCompletionRequest, ChatMessage, ChatTool } from "./chat-types.js";
import { lastToolResult, lastUserText, type ToolResult } from "./conversation.js";
import type { FakeModel } from "./fake-model.js";
import { type Reply, type ReplyLike, toReply } from "./reply.js";

/** A chat-completions request as the scripted server recorded it. */
export interface RecordedRequest {
  /** 0-based position among all requests since the last reset. */
  index: number;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
  /**
   * `Date.now()` when the reply was written in full (or the client went away); absent while the
   * reply is being written. With {@link RecordedRequest.receivedAt}, tells overlapping requests apart.
   */
  finishedAt?: number;
  /** HTTP method. */
  method: string;
  /** Request path, for example `/v1/chat/completions`. */
  path: string;
  /** Request headers (lower-case names). */
  headers: Record<string, string>;
  /** The parsed JSON body (`undefined` when the body was not JSON). */
  body: ChatCompletionRequest | undefined;
  /** The raw body text. */
  rawBody: string;
  /** The model id the client asked for (`""` if none). */
  model: string;
  /** The conversation (`[]` if none). */
  messages: ChatMessage[];
  /** Tools offered (`[]` if none). */
  tools: ChatTool[];
  /** Names of the tools offered. */
  toolNames: string[];
  /** True when the client asked for SSE. */
  stream: boolean;
  /** Text of the last user message (`""` if none). */
  lastUserText: string;
  /** The last tool result when the conversation ends with one: the model is replying to a tool. */
  lastToolResult: ToolResult | undefined;
  /** What the server answered, filled in once the script has decided. */
  reply?: Reply;
}

/** What a script gets besides the request. */
export interface ScriptContext {
  /** Requests recorded before this one (since the last reset). */
  readonly previous: readonly RecordedRequest[];
  /** The declared fake model the request names, if any. */
  readonly model: FakeModel | undefined;
  /**
   * Per-server scratch state, cleared by `reset()` and `setScript()`. Stateful helpers such as
   * {@link rules} keep their counters here.
   */
  readonly memory: Map<unknown, unknown>;
}

/**
 * Decides the reply to one request. Return a {@link Reply}, a string (text reply) or
 * `undefined` to fall back to the server's default reply.
 */
export type Script = (
  request: RecordedRequest,
  context: ScriptContext,
) => ReplyLike | undefined | Promise<ReplyLike | undefined>;

/** A text matcher: a substring (case-sensitive) or a regular expression. */
export type TextMatcher = string | RegExp;

function matches(matcher: TextMatcher, text: string): boolean {
  return typeof matcher === "string" ? text.includes(matcher) : matcher.test(text);
}

/**
 * One rule of a {@link rules} script. Every condition given must hold; a rule without conditions
 * matches every request.
 */
export interface Rule {
  /**
   * The last user message contains (or matches) this. Holds only when the conversation ends
   * with that user message, that is on a fresh turn, not when the model is replying to a tool result.
   */
  userText?: TextMatcher;
  /**
   * The conversation ends with a tool result. `true`: any tool; a string: that tool's name;
   * an object: tool name and/or output text matcher.
   */
  toolResult?: true | string | { tool?: string; output?: TextMatcher };
  /** The requested model id equals the string or matches the expression. */
  model?: TextMatcher;
  /** `true`: some tools are offered; `false`: none; a string: a tool of that name is offered. */
  toolsOffered?: boolean | string;
  /** Any other condition. */
  when?: (request: RecordedRequest, context: ScriptContext) => boolean;
  /** The reply, or a function computing it. */
  reply: ReplyLike | ((request: RecordedRequest, context: ScriptContext) => ReplyLike);
  /** Use the rule at most this many times (default: unlimited). */
  times?: number;
  /**
   * Play a hostile model: answer with tool calls even for tools the request does not offer
   * (OpenCode then answers with its own "unavailable tool" result). Default `false`.
   */
  anyTool?: boolean;
}

function ruleMatches(rule: Rule, request: RecordedRequest, context: ScriptContext): boolean {
  if (rule.model !== undefined) {
    if (typeof rule.model === "string" ? request.model !== rule.model : !rule.model.test(request.model))
      return false;
  }
  if (rule.toolsOffered !== undefined) {
    if (rule.toolsOffered === true && request.toolNames.length === 0) return false;
    if (rule.toolsOffered === false && request.toolNames.length > 0) return false;
    if (typeof rule.toolsOffered === "string" && !request.toolNames.includes(rule.toolsOffered)) return false;
  }
  if (rule.userText !== undefined) {
    const last = request.messages[request.messages.length - 1];
    if (last?.role !== "user" || !matches(rule.userText, request.lastUserText)) return false;
  }
  if (rule.toolResult !== undefined) {
    const result = request.lastToolResult;
    if (result === undefined) return false;
    if (typeof rule.toolResult === "string" && result.name !== rule.toolResult) return false;
    if (typeof rule.toolResult === "object") {
      if (rule.toolResult.tool !== undefined && result.name !== rule.toolResult.tool) return false;
      if (rule.toolResult.output !== undefined && !matches(rule.toolResult.output, result.content))
        return false;
    }
  }
  if (rule.when && !rule.when(request, context)) return false;
  return true;
}

/**
 * A script made of ordered rules: the first rule that matches (and has uses left) answers.
 *
 * A rule whose reply is a tool call never answers a request that does not offer that tool; the
 * next rule is tried instead. So OpenCode's title generation (which offers no tools) falls through
 * to `fallback` or to the server default instead of receiving a tool call.
 *
 * @example
 * ```ts
 * const script = rules([
 *   { userText: "echo", reply: reply.toolCall("echo", { text: "hi" }) },
 *   { toolResult: "echo", reply: (req) => `The tool said: ${req.lastToolResult?.content}` },
 * ]);
 * ```
 */
export function rules(list: readonly Rule[], fallback?: Script): Script {
  const key = Symbol("rules");
  return (request, context) => {
    let used = context.memory.get(key) as number[] | undefined;
    if (!used) {
      used = list.map(() => 0);
      context.memory.set(key, used);
    }
    for (const [i, rule] of list.entries()) {
      if (rule.times !== undefined && (used[i] ?? 0) >= rule.times) continue;
      if (!ruleMatches(rule, request, context)) continue;
      const answer = toReply(typeof rule.reply === "function" ? rule.reply(request, context) : rule.reply);
      if (
        answer.type === "tool-calls" &&
        rule.anyTool !== true &&
        !answer.calls.every((c) => request.toolNames.includes(c.name))
      )
        continue;
      used[i] = (used[i] ?? 0) + 1;
      return answer;
    }
    return fallback?.(request, context);
  };
}

/**
 * The default script: a short, deterministic text reply. It echoes the last user text
 * (`Echo: …`, at most 200 characters) or, after a tool result, reports it (`Tool <name> returned: …`).
 */
export const echoScript: Script = (request) => {
  const tool = request.lastToolResult;
  if (tool) return `Tool ${tool.name || "result"} returned: ${tool.content.slice(0, 200)}`;
  const text = request.lastUserText.trim();
  return text ? `Echo: ${text.slice(0, 200)}` : "OK";
};

/** Fill in the derived fields of a recorded request from its parsed body. */
export function describeRequest(
  base: Pick<RecordedRequest, "index" | "receivedAt" | "method" | "path" | "headers" | "rawBody">,
  body: ChatCompletionRequest | undefined,
): RecordedRequest {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const tools = Array.isArray(body?.tools) ? body.tools : [];
  return {
    ...base,
    body,
    model: typeof body?.model === "string" ? body.model : "",
    messages,
    tools,
    toolNames: tools.map((t) => t.function?.name).filter((n): n is string => typeof n === "string"),
    stream: body?.stream === true,
    lastUserText: lastUserText(messages),
    lastToolResult: lastToolResult(messages),
  };
}
