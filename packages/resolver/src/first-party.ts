// Who makes a model: the provider(s) that sell it first hand, told from the model id alone.

/** Model-id prefixes (lower case) and the providers that make those models, first listed first. */
const MAKERS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^claude-/, ["anthropic"]],
  [/^(gpt-|chatgpt-|o\d(-|$)|codex-|text-embedding-|dall-e-|whisper-|tts-|omni-moderation)/, ["openai"]],
  [/^(gemini-|gemma-|imagen-|veo-)/, ["google", "google-vertex"]],
  [/^(mistral-|codestral-|devstral-|magistral-|pixtral-|ministral-|voxtral-|open-mi[sx]tral-)/, ["mistral"]],
  [/^deepseek-/, ["deepseek"]],
  [/^grok-/, ["xai"]],
  [/^(kimi-|moonshot-)/, ["moonshotai"]],
  [/^glm-/, ["zai", "zhipuai"]],
  [/^minimax-/, ["minimax"]],
  [/^(command-|c4ai-)/, ["cohere"]],
];

const NONE: readonly string[] = [];

/**
 * The first-party providers of a model id (the maker's own API), best first, or `[]` when the id
 * names no known maker. Any other provider offering the same id is a gateway or a reseller.
 *
 * @example
 * ```ts
 * firstPartyProviders("claude-sonnet-4-5"); // ["anthropic"]
 * firstPartyProviders("gemini-2.5-pro");    // ["google", "google-vertex"]
 * ```
 */
export function firstPartyProviders(modelId: string): readonly string[] {
  const id = modelId.toLowerCase();
  for (const [pattern, providers] of MAKERS) if (pattern.test(id)) return providers;
  return NONE;
}
