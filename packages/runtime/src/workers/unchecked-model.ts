import { classifyReference, type ModelAliases } from "@orchestra/resolver";
import type { ModelRef } from "./worker.js";

/** What {@link uncheckedExplicitModel} needs to know about the spawn. */
export interface UncheckedModelInput {
  /** The model given for this spawn (`--model`, `spawn_worker`'s `model`), if any. */
  override: string | undefined;
  /** `modelAliases` of the config: an alias is resolved through the catalog, never taken as written. */
  aliases: ModelAliases;
  /** The profile's budget: a dollar budget needs the model's prices, which only the catalog has. */
  budget: { maxCostUsd?: number } | undefined;
}

/**
 * The model a process worker starts with before any catalog is read, when nothing needs choosing:
 * an explicit `provider/model` given for this spawn (not an alias, auto tag, default alias or bare
 * id) and no `maxCostUsd` to price. As `opencode run -m` does, the worker uses it as written, and
 * OpenCode checks it at the worker's first ask, which fails at once with OpenCode's message when
 * the model does not exist. `undefined`: the model must be chosen or checked, so the catalog is read.
 *
 * @throws {ResolverError} what needs no catalog to know: `RESOLVER_INVALID_REFERENCE` (empty, too
 * long, whitespace or a control character), `RESOLVER_UNKNOWN_TAG`, `RESOLVER_ALIAS_CYCLE`.
 *
 * @example
 * ```ts
 * uncheckedExplicitModel({ override: "anthropic/claude-sonnet-4", aliases: {}, budget: undefined });
 * // { providerID: "anthropic", modelID: "claude-sonnet-4" }
 * ```
 */
export function uncheckedExplicitModel(input: UncheckedModelInput): ModelRef | undefined {
  if (input.override === undefined || input.budget?.maxCostUsd !== undefined) return undefined;
  // A malformed reference, an unknown tag or an alias cycle throws here, before a worker starts.
  const classified = classifyReference(input.override, input.aliases);
  if (classified.kind !== "explicit") return undefined;
  return { providerID: classified.providerId, modelID: classified.modelId };
}
