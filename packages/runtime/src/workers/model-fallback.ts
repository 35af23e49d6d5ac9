import type { ProfileModelSpec, Resolver } from "@orchestra/resolver";
import type { ModelRef } from "./worker.js";

/** A worker moved to the next model of its profile's list because a request to its model failed. */
export interface ModelFallback {
  /** The worker. */
  workerId: string;
  /** Its profile. */
  profile: string;
  /** The model that failed, `provider/model`. */
  from: string;
  /** The model the ask goes on with, `provider/model`. */
  to: string;
  /** The provider's error, e.g. `429 rate limit exceeded` or `APIError: Incorrect API key (HTTP 401)`. */
  reason: string;
}

/** `provider/model`. */
export const modelLabel = (ref: ModelRef): string => `${ref.providerID}/${ref.modelID}`;

/** One line for the tool output, the activity log and the toast: `coder fell back from a/x to b/y: 429 …`. */
export function describeFallback(fallback: ModelFallback): string {
  return `${fallback.workerId} fell back from ${fallback.from} to ${fallback.to}: ${fallback.reason}`;
}

/** HTTP statuses a fallback model may not have: auth (401, 403), payment/quota (402), rate limit (429), server (5xx). */
const FALLBACK_STATUS = /\b(?:HTTP |status(?:Code)?[ :=]*)?(40[123]|429|5\d\d)\b/;
/** Words of provider errors that another model (or provider) may not have. */
const FALLBACK_WORDS =
  /overloaded|rate.?limit|too many requests|quota|insufficient.?(?:quota|credit|balance)|exhausted|unavailable|capacity|usage limit|credit|billing|api key|unauthori[sz]ed|forbidden|authentication|cannot connect to api|econnrefused|econnreset|bad gateway|internal server error/i;

/**
 * Whether a model failure is one the next model of the list may not have: HTTP 429, 5xx, 401,
 * 402 or 403, an overloaded model, an exhausted quota, a refused key or an unreachable provider.
 * Everything OpenCode itself retries (`retryable`) is one. A context overflow, a bad request or an
 * aborted ask is not: the next model would fail the same way, or the caller stopped it.
 */
export function isFallbackFailure(message: string, options: { retryable?: boolean } = {}): boolean {
  if (options.retryable) return true;
  if (/context|too long|maximum.*tokens|aborted/i.test(message) && !FALLBACK_WORDS.test(message))
    return false;
  return FALLBACK_STATUS.test(message) || FALLBACK_WORDS.test(message);
}

/**
 * When each model last failed, so that later asks skip it for `cooldownMs`
 * (`modelSelection.fallbackCooldownMs`): a fallback holds for the rest of the ask, and the next
 * ask after the cool-down tries the first model again. One per orchestrator, shared by its workers
 * (a rate limit belongs to the user's key, not to one worker).
 */
export class ModelCooldowns {
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #failedAt = new Map<string, number>();

  constructor(cooldownMs: number, now: () => number = Date.now) {
    this.#cooldownMs = cooldownMs;
    this.#now = now;
  }

  /** Record that `model` (`provider/model`) just failed. */
  failed(model: string): void {
    this.#failedAt.set(model, this.#now());
  }

  /** Whether `model` failed less than `cooldownMs` ago. */
  coolingDown(model: string): boolean {
    const at = this.#failedAt.get(model);
    if (at === undefined) return false;
    if (this.#now() - at >= this.#cooldownMs) {
      this.#failedAt.delete(model);
      return false;
    }
    return true;
  }

  /**
   * Where an ask starts in `models`: the first not cooling down; the last one when every model is
   * (it is the one the earlier asks fell back to).
   */
  start(models: readonly string[]): number {
    const index = models.findIndex((m) => !this.coolingDown(m));
    return index === -1 ? Math.max(0, models.length - 1) : index;
  }
}

/**
 * The run-time fallback models of a profile: each of `model` and `fallbackModels` resolved on its
 * own (with the profile's requirements), in order, without the worker's own model or repeats.
 * A reference that does not resolve is left out (the spawn's resolution already reported it).
 */
export function resolveFallbackModels(
  resolver: Pick<Resolver, "tryResolve">,
  profile: ProfileModelSpec,
  primary: ModelRef,
): ModelRef[] {
  const seen = new Set([modelLabel(primary)]);
  const out: ModelRef[] = [];
  const options = profile.supportsVision === true ? { require: { vision: true } } : {};
  for (const ref of [profile.model ?? "auto", ...(profile.fallbackModels ?? [])]) {
    const result = resolver.tryResolve(ref, options);
    if (!result.ok || seen.has(result.resolution.model)) continue;
    seen.add(result.resolution.model);
    out.push({ providerID: result.resolution.providerId, modelID: result.resolution.modelId });
  }
  return out;
}
