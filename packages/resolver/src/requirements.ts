import type { Requirements } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";

/** `n` tokens as a short string: 128000 → "128k", 1048576 → "1M". */
export function tokens(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 < 50_000) return `${Math.round(n / 100_000) / 10}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/**
 * The requirements a model does not meet, as short human phrases (empty when it meets them all).
 * Unknown values never meet a requirement: an unknown context fails `minContext`.
 */
export function unmetRequirements(entry: IndexedModel, req: Requirements): string[] {
  const caps = entry.capabilities;
  const out: string[] = [];
  if (req.chat !== false && !entry.chat) {
    out.push(
      caps.kind !== "chat"
        ? `not a chat model (${caps.kind})`
        : !caps.output.text
          ? "no text output"
          : "no text input",
    );
  }
  if (req.vision === true && !caps.vision) {
    out.push(caps.attachment ? "no image input (attachments are not vision)" : "no image input");
  }
  if (req.toolCall === true && !caps.toolCall) out.push("no tool calls");
  if (req.reasoning === true && !caps.reasoning) out.push("no reasoning mode");
  if (req.attachment === true && !caps.attachment) out.push("no attachments");
  if (req.pdf === true && !caps.input.pdf) out.push("no PDF input");
  if (req.minContext !== undefined && req.minContext > 0) {
    if (caps.contextWindow === null) out.push(`context unknown (needs ≥ ${tokens(req.minContext)})`);
    else if (caps.contextWindow < req.minContext)
      out.push(`context ${tokens(caps.contextWindow)} < ${tokens(req.minContext)}`);
  }
  return out;
}

/** Merge requirement sets: every flag set in either is required; the larger `minContext` wins. */
export function mergeRequirements(a: Requirements, b: Requirements | undefined): Requirements {
  if (b === undefined) return a;
  const minContext = Math.max(a.minContext ?? 0, b.minContext ?? 0);
  const flag = (x: boolean | undefined, y: boolean | undefined): boolean | undefined =>
    x === true || y === true ? true : x === false && y === false ? false : (x ?? y);
  const merged: {
    chat?: boolean;
    vision?: boolean;
    toolCall?: boolean;
    reasoning?: boolean;
    attachment?: boolean;
    pdf?: boolean;
    minContext?: number;
  } = {};
  const keys = ["chat", "vision", "toolCall", "reasoning", "attachment", "pdf"] as const;
  for (const k of keys) {
    const v = flag(a[k], b[k]);
    if (v !== undefined) merged[k] = v;
  }
  if (minContext > 0) merged.minContext = minContext;
  return merged;
}

/** A stable key for a requirement set (for memoising). */
export function requirementsKey(req: Requirements): string {
  return [
    req.chat === false ? "c0" : "c1",
    req.vision ? "v" : "",
    req.toolCall ? "t" : "",
    req.reasoning ? "r" : "",
    req.attachment ? "a" : "",
    req.pdf ? "p" : "",
    req.minContext ? `m${req.minContext}` : "",
  ].join("");
}
