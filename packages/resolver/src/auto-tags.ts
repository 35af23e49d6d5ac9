/**
 * Every {@link AutoTag}, in documentation order (a tuple, so a schema can take it as an enum).
 * `node:*` (v0.2) are accepted as synonyms: `node` = `auto`, `node:x` = `auto:x`.
 */
export const AUTO_TAGS = [
  "auto",
  "auto:vision",
  "auto:fast",
  "auto:docs",
  "auto:code",
  "auto:reasoning",
  "auto:cheap",
] as const;

/** The auto tags (one of {@link AUTO_TAGS}). */
export type AutoTag = (typeof AUTO_TAGS)[number];

/**
 * Hard requirements a model must meet. Every field is optional; an unset field requires nothing.
 * Unknown values never satisfy a requirement (a context of "unknown" does not meet `minContext`).
 */
export interface Requirements {
  /** A chat model: kind `chat`, text in and out. Default `true` for every resolve. */
  readonly chat?: boolean;
  /** Image input. */
  readonly vision?: boolean;
  /** Tool calls. */
  readonly toolCall?: boolean;
  /** A reasoning mode. */
  readonly reasoning?: boolean;
  /** Attachments. */
  readonly attachment?: boolean;
  /** PDF input. */
  readonly pdf?: boolean;
  /** A known context window of at least this many tokens. */
  readonly minContext?: number;
}

/** What an auto tag asks for and how it ranks. */
export interface AutoTagSpec {
  /** The tag. */
  readonly tag: AutoTag;
  /** One line for humans. */
  readonly description: string;
  /** Hard requirements (on top of: chat model, not deprecated, connected provider). */
  readonly require: Requirements;
  /** `cheap` ranks by price whatever the mode; `capability` follows `modelSelection.mode`. */
  readonly ranking: "capability" | "cheap";
}

/**
 * The tag table. Every auto tag asks for a chat model with tool calls, because every worker runs as an
 * OpenCode agent that calls tools.
 */
export const AUTO_TAG_SPECS: Readonly<Record<AutoTag, AutoTagSpec>> = {
  auto: {
    tag: "auto",
    description: "The session default model when one is set and usable; else the best general chat model.",
    require: { chat: true, toolCall: true },
    ranking: "capability",
  },
  "auto:vision": {
    tag: "auto:vision",
    description: "A chat model with image input (not merely attachments).",
    require: { chat: true, toolCall: true, vision: true },
    ranking: "capability",
  },
  "auto:fast": {
    tag: "auto:fast",
    description:
      "A small, low-latency chat model of a current family (tier ≤ $1/1M input: haiku, flash, mini, nano class); never a flagship's -fast variant.",
    require: { chat: true, toolCall: true },
    ranking: "capability",
  },
  "auto:docs": {
    tag: "auto:docs",
    description: "Research and documentation: a known context of at least 128k tokens; PDF input preferred.",
    require: { chat: true, toolCall: true, minContext: 128_000 },
    ranking: "capability",
  },
  "auto:code": {
    tag: "auto:code",
    description:
      'Code tasks: tool calls and a known context of at least 128k tokens, ranked by tier, context and reasoning (not by the word "code").',
    require: { chat: true, toolCall: true, minContext: 128_000 },
    ranking: "capability",
  },
  "auto:reasoning": {
    tag: "auto:reasoning",
    description: "Complex tasks: a model with a reasoning (extended thinking) mode.",
    require: { chat: true, toolCall: true, reasoning: true },
    ranking: "capability",
  },
  "auto:cheap": {
    tag: "auto:cheap",
    description:
      "The cheapest chat model of KNOWN price (input + output); a price of 0 is unknown unless the model is a known free variant.",
    require: { chat: true, toolCall: true },
    ranking: "cheap",
  },
};

/**
 * Parse `auto`, `auto:<tag>`, `node` or `node:<tag>`. Returns the tag, `"unknown"` for a tag-shaped
 * string whose tag does not exist (e.g. `auto:visoin`), or `null` when the input is not tag-shaped.
 */
export function parseAutoTag(input: string): AutoTag | "unknown" | null {
  let rest: string;
  if (input === "auto" || input === "node") return "auto";
  if (input.startsWith("auto:")) rest = input.slice(5);
  else if (input.startsWith("node:")) rest = input.slice(5);
  else return null;
  const tag = `auto:${rest}`;
  return (AUTO_TAGS as readonly string[]).includes(tag) ? (tag as AutoTag) : "unknown";
}
