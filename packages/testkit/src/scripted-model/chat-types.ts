/**
 * The subset of the OpenAI chat-completions wire format the scripted model reads.
 * Fields are optional and loosely typed on purpose: the server records whatever a client sends.
 */

/** One part of a multi-part message content (`[{ type: "text", text }, { type: "image_url", … }]`). */
export interface ChatContentPart {
  /** `text`, `image_url`, `input_audio`, `file`, … */
  type: string;
  /** Present on `text` parts. */
  text?: string;
  /** Present on `image_url` parts. */
  image_url?: { url: string; detail?: string };
  /** Any other fields the client sent. */
  [key: string]: unknown;
}

/** A tool call as it appears in an assistant message of the request history. */
export interface ChatToolCall {
  /** Call id, echoed by the matching `role: "tool"` message. */
  id: string;
  /** Always `function`. */
  type: "function";
  /** Function name and JSON-encoded arguments. */
  function: { name: string; arguments: string };
}

/** One message of a chat-completions request. */
export interface ChatMessage {
  /** `system`, `developer`, `user`, `assistant` or `tool`. */
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** A string, an array of parts, or null (assistant messages with only tool calls). */
  content?: string | ChatContentPart[] | null;
  /** On assistant messages: the tool calls the model made. */
  tool_calls?: ChatToolCall[];
  /** On tool messages: the id of the call this message answers. */
  tool_call_id?: string;
  /** Optional author name. */
  name?: string;
  /** Any other fields the client sent (for example `reasoning_content`). */
  [key: string]: unknown;
}

/** A function tool offered to the model. */
export interface ChatTool {
  /** Always `function`. */
  type: "function";
  /** The function's name, description and JSON Schema parameters. */
  function: { name: string; description?: string; parameters?: unknown };
}

/** A chat-completions request body. */
export interface ChatCompletionRequest {
  /** The model id the client asked for. */
  model: string;
  /** The conversation. */
  messages: ChatMessage[];
  /** Tools offered to the model. */
  tools?: ChatTool[];
  /** `auto`, `none`, `required` or a specific function. */
  tool_choice?: unknown;
  /** True for SSE streaming (OpenCode always streams). */
  stream?: boolean;
  /** `{ include_usage: true }` asks for a final usage chunk. */
  stream_options?: { include_usage?: boolean };
  /** Any other field (temperature, max_tokens, …). */
  [key: string]: unknown;
}

/** Token usage as reported in responses. */
export interface ChatUsage {
  /** Input tokens. */
  prompt_tokens: number;
  /** Output tokens. */
  completion_tokens: number;
  /** Sum of both. */
  total_tokens: number;
  /** Reasoning tokens among `completion_tokens`, when the reply states them. */
  completion_tokens_details?: { reasoning_tokens: number };
  /** Cached tokens among `prompt_tokens`, when the reply states them. */
  prompt_tokens_details?: { cached_tokens: number };
}
