import type { ChatContentPart, ChatMessage } from "./chat-types.js";

/** The text of a message's content: a string as is, or its `text` parts joined by newlines. */
export function messageText(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content
    .filter((part: ChatContentPart) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text ?? "")
    .join("\n");
}

/** The text of the last `user` message, or `""` when there is none. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return messageText(message);
  }
  return "";
}

/** A tool result found in the conversation: the `role: "tool"` message and the call it answers. */
export interface ToolResult {
  /** The tool call id. */
  callId: string;
  /** The tool's name, taken from the assistant message that made the call (`""` if not found). */
  name: string;
  /** The arguments the model passed, parsed from JSON (`undefined` if they do not parse). */
  args: unknown;
  /** The tool's output text. */
  content: string;
}

/**
 * The tool results at the end of the conversation: the `role: "tool"` messages after the last
 * assistant message, in order. Empty when the conversation does not end with tool results,
 * that is when the model is not being asked to reply to a tool result.
 */
export function trailingToolResults(messages: readonly ChatMessage[]): ToolResult[] {
  const results: ToolResult[] = [];
  let i = messages.length - 1;
  while (i >= 0 && messages[i]?.role === "tool") i--;
  const assistant = messages[i]?.role === "assistant" ? messages[i] : undefined;
  for (let j = i + 1; j < messages.length; j++) {
    const message = messages[j];
    if (message === undefined) continue;
    const callId = message.tool_call_id ?? "";
    const call = assistant?.tool_calls?.find((c) => c.id === callId);
    let args: unknown;
    try {
      args = call ? JSON.parse(call.function.arguments) : undefined;
    } catch {
      args = undefined;
    }
    results.push({ callId, name: call?.function.name ?? "", args, content: messageText(message) });
  }
  return results;
}

/** The last tool result of the conversation, if the conversation ends with tool results. */
export function lastToolResult(messages: readonly ChatMessage[]): ToolResult | undefined {
  const results = trailingToolResults(messages);
  return results[results.length - 1];
}

/** True when the request contains an image part anywhere in its messages. */
export function hasImageInput(messages: readonly ChatMessage[]): boolean {
  return messages.some(
    (m) => Array.isArray(m.content) && m.content.some((p) => p.type === "image_url" || p.type === "image"),
  );
}
