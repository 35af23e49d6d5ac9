// The one human-readable form of a resolution and of a resolver error: the plugin's tools and the
// CLI both print these, so a user sees the same text in either.
import type { ModelCapabilities } from "./capabilities.js";
import { usd } from "./context.js";
import { tokens } from "./requirements.js";
import type { Resolution, ResolvedCost } from "./resolution.js";
import type { FailedAttempt, ResolverError } from "./resolver-error.js";

/**
 * Capabilities in a few words: `vision, tools, reasoning`, the kind first when it is not chat,
 * `text only` when there is nothing else, and the fields set by `capabilityOverrides` marked.
 */
export function describeCapabilities(c: ModelCapabilities): string {
  const flags: [boolean, string][] = [
    [c.vision, "vision"],
    [c.toolCall, "tools"],
    [c.reasoning, "reasoning"],
    [c.attachment, "attachments"],
  ];
  const parts = flags.filter(([on]) => on).map(([, label]) => label);
  if (c.input.pdf) parts.push("pdf");
  if (c.kind !== "chat") parts.unshift(c.kind);
  const overridden = Object.entries(c.sources)
    .filter(([, source]) => source === "override")
    .map(([field]) => field);
  const list = parts.join(", ") || "text only";
  return overridden.length ? `${list} (override: ${overridden.join(", ")})` : list;
}

const size = (n: number | null): string => (n === null ? "unknown" : tokens(n));

function costLine(cost: ResolvedCost | null): string {
  return cost === null
    ? "unknown (never passes a cost cap)"
    : `${usd(cost.input)} in / ${usd(cost.output)} out per 1M tokens (${usd(cost.inputPer1k)} / ${usd(cost.outputPer1k)} per 1k)`;
}

const attemptLine = (a: FailedAttempt): string => `  - ${a.ref}: [${a.code}] ${a.message}`;

/**
 * A resolution in one line: the model, how it was reached, the decisive reason, the references of a
 * fallback chain that failed first and why, and any warnings, e.g.
 * `openai/gpt-4o (auto-tag, auto:vision): best vision score among 3 connected models`.
 */
export function summarizeResolution(r: Resolution): string {
  const from = r.input !== r.model && r.input !== r.tag ? `, from "${r.input}"` : "";
  const why = r.reasons.at(-1);
  const tried =
    r.attempts.length > 0
      ? ` (tried first: ${r.attempts.map((a) => `"${a.ref}" failed: ${a.message}`).join("; ")})`
      : "";
  const warn = r.warnings.length > 0 ? ` (warning: ${r.warnings.join("; ")})` : "";
  return `${r.model} (${r.provenance}${r.tag ? `, ${r.tag}` : ""}${from})${why === undefined ? "" : `: ${why}`}${tried}${warn}`;
}

/**
 * A resolution in readable lines: the model and how it was reached, capabilities, cost, every
 * reason, the warnings, the references of a fallback chain that failed first, and the rejected candidates.
 *
 * @example
 * ```ts
 * console.log(describeResolution(resolver.resolve("auto:vision")));
 * // openai/gpt-4o  (auto-tag, auto:vision)
 * // capabilities: vision, tools, attachments; context 128k; max output 16k
 * // …
 * ```
 */
export function describeResolution(r: Resolution): string {
  const c = r.capabilities;
  const from = r.input !== r.model && r.input !== r.tag ? `, from "${r.input}"` : "";
  const lines = [
    `${r.model}  (${r.provenance}${r.tag ? `, ${r.tag}` : ""}${from})`,
    `capabilities: ${describeCapabilities(c)}; context ${size(c.contextWindow)}; max output ${size(c.maxOutputTokens)}`,
    `cost: ${costLine(r.cost)}`,
    "why:",
    ...r.reasons.map((reason) => `  - ${reason}`),
  ];
  if (r.warnings.length > 0) lines.push("warnings:", ...r.warnings.map((w) => `  - ${w}`));
  if (r.attempts.length > 0) lines.push("tried first:", ...r.attempts.map(attemptLine));
  if (r.rejected.length > 0) {
    lines.push(`rejected (${r.rejected.length} of ${r.rejectedTotal} shown):`);
    for (const x of r.rejected) lines.push(`  - ${x.model}: ${x.reason}`);
  }
  return lines.join("\n");
}

/**
 * A resolver error in readable lines: `[CODE] message`, the real, usable suggestions, the hints,
 * and every reference of a fallback chain with its failure.
 *
 * @example
 * ```ts
 * const out = resolver.tryResolve("anthropic/claude-sonet-4-5");
 * if (!out.ok) console.error(describeResolverError(out.error));
 * // [RESOLVER_UNKNOWN_MODEL] Provider "anthropic" has no model "claude-sonet-4-5".
 * // Did you mean: anthropic/claude-sonnet-4-5, …
 * ```
 */
export function describeResolverError(e: ResolverError): string {
  const lines = [`[${e.code}] ${e.message}`];
  if (e.suggestions.length > 0) lines.push(`Did you mean: ${e.suggestions.join(", ")}`);
  for (const h of e.hints) lines.push(`hint: ${h}`);
  if (e.attempts.length > 1) lines.push("tried:", ...e.attempts.map(attemptLine));
  return lines.join("\n");
}
