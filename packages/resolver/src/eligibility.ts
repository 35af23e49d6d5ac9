// Which connected models an auto tag may pick at all, beyond the hard requirements: the opt-ins
// (free, preview, deprecated), special-purpose models, gateways when the first party is connected,
// and what `auto:fast` and `auto:cheap` mean.
import type { AutoTag } from "./auto-tags.js";
import type { IndexedModel } from "./catalog-index.js";
import type { ResolverContext } from "./context.js";
import { GATEWAY_PROVIDERS } from "./model-traits.js";

/** `auto:fast` takes models whose tier is at most this input price (USD per 1M): haiku, flash, mini, nano class. */
const FAST_MAX_INPUT_PRICE = 1;

/**
 * The user prefers the gateway: it is listed in `preferredProviders` before the first party (or the
 * first party is not listed).
 */
function gatewayPreferred(ctx: ResolverContext, gateway: string, origin: string): boolean {
  const g = ctx.preferred.indexOf(gateway);
  if (g < 0) return false;
  const o = ctx.preferred.indexOf(origin);
  return o < 0 || g < o;
}

/**
 * A provider the user chose by name: listed in `preferredProviders`, or the provider of their default
 * model. Its free models are what the user asked for, so they need no `allowFree`.
 */
function chosenProvider(ctx: ResolverContext, providerId: string): boolean {
  return ctx.preferred.includes(providerId) || ctx.config.defaultModel?.split("/")[0] === providerId;
}

/**
 * Why an auto tag must not pick this (connected, capable) model, or `undefined` when it may. A resold copy
 * is out whenever its first party is connected, unless the reseller is preferred over it. `anySize` lifts
 * `auto:fast`'s small-model rule (its fallback when no small model is connected).
 */
export function autoExclusion(
  ctx: ResolverContext,
  e: IndexedModel,
  tag: AutoTag,
  anySize = false,
): string | undefined {
  if (e.deprecated) return "deprecated";
  if (e.free && !ctx.allowFree && !chosenProvider(ctx, e.model.providerId))
    return "a free variant (opt-in: modelSelection.allowFree, or prefer its provider)";
  if (e.preview !== undefined && !ctx.allowPreview)
    return `a ${e.preview} model (opt-in: modelSelection.allowPreview)`;
  if (e.special !== undefined) return `special-purpose (${e.special}): named explicitly only`;
  if (
    e.origin !== undefined &&
    ctx.index.connected.has(e.origin) &&
    !gatewayPreferred(ctx, e.model.providerId, e.origin)
  )
    return `resold by ${GATEWAY_PROVIDERS.has(e.model.providerId) ? "gateway" : "provider"} "${e.model.providerId}"; the first party "${e.origin}" is connected${e.firstPartyRef === undefined ? "" : ` and offers it as "${e.firstPartyRef}"`}`;
  if (tag === "auto:fast" && !anySize) {
    if (e.tierPrice !== null ? e.tierPrice > FAST_MAX_INPUT_PRICE : e.size !== "small")
      return e.tierPrice !== null
        ? `not a small model: tier $${e.tierPrice}/1M input > $${FAST_MAX_INPUT_PRICE}${e.tierSource === "base-price" ? ` (a "${e.model.id.slice(e.variantOf?.length ?? 0)}" variant of ${e.variantOf})` : ""}`
        : "not a small model (price unknown, no small size word in the id)";
  }
  if (tag === "auto:cheap" && e.price === null)
    return e.zeroPriced ? "priced at 0: unknown, not known to be cheap" : "price unknown";
  return undefined;
}
