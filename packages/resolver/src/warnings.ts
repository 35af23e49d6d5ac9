// The `warnings` of an answer: what the caller should know about the chosen model even though it was
// accepted (an unknown price, no tool calls, a free or preview model, a gateway pick).
import type { IndexedModel } from "./catalog-index.js";

/** What the chosen model's catalog entry says that a caller should know. Empty when nothing. */
export function modelWarnings(e: IndexedModel, connected: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (!e.capabilities.toolCall)
    out.push("no tool calls, but a worker runs as an agent that uses tools: its tool calls will fail");
  if (e.zeroPriced) out.push("priced at 0 in the catalog: the price is unknown, not free");
  else if (e.price === null) out.push("price unknown: cost caps and cost reports cannot account for it");
  if (e.free) out.push("a free variant: rate-limited, and the provider may log prompts");
  if (e.preview === "stealth") out.push("a stealth model: unnamed vendor, prompts may be logged");
  else if (e.preview !== undefined) out.push(`a preview (${e.preview}) model: may change or disappear`);
  if (e.deprecated) out.push("deprecated in the catalog (accepted because allowDeprecated is set)");
  if (e.origin !== undefined && connected.has(e.origin))
    out.push(`resold by "${e.model.providerId}" while the first party "${e.origin}" is connected`);
  if (e.capabilities.contextWindow === null) out.push("context window unknown");
  return out;
}
