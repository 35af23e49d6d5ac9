import { AUTO_TAG_SPECS, type Requirements } from "./auto-tags.js";
import type { Catalog } from "./catalog.js";
import type { CatalogIndex } from "./catalog-index.js";
import {
  createContext,
  freezeResolution,
  LOAD_CATALOG_HINT,
  type Outcome,
  ordinal,
  type ResolverContext,
} from "./context.js";
import { chooseDefaultAlias } from "./default-alias-choice.js";
import type { DefaultAlias } from "./default-aliases.js";
import { resolveBare, resolveExplicit } from "./explicit.js";
import { listModels } from "./list-models.js";
import { type ClassifiedReference, classifyReference } from "./reference.js";
import { mergeRequirements, requirementsKey } from "./requirements.js";
import type { Resolution, ResolveOptions, Resolver, ResolverConfig } from "./resolution.js";
import { type FailedAttempt, ResolverError } from "./resolver-error.js";
import { resolveTag } from "./tag.js";

/**
 * Create a resolver over a catalog (indexed here) or an index built once with `buildCatalogIndex`.
 *
 * The pipeline: classify → filter providers (auto tags: connected only; explicit refs: any known
 * provider, an unconnected one is `RESOLVER_PROVIDER_NOT_CONNECTED`) → match capabilities → score
 * (`modelSelection.mode`, `maxCostPer1kTokens`, `preferredProviders`) → validate.
 *
 * @example
 * ```ts
 * const resolver = createResolver(catalog, {
 *   modelAliases: { sonnet: "anthropic/claude-sonnet-4-5" },
 *   modelSelection: { mode: "balanced", maxCostPer1kTokens: 0.01, preferredProviders: ["anthropic"] },
 * });
 * const r = resolver.resolve(["auto:vision", "sonnet"]);
 * console.log(r.model, r.provenance, r.reasons);
 * ```
 */
export function createResolver(source: Catalog | CatalogIndex, config: ResolverConfig = {}): Resolver {
  const ctx = createContext(source, config);
  const answers = createAnswers(ctx);
  const resolve = (ref: string | readonly string[], options: ResolveOptions = {}): Resolution =>
    resolveChain(typeof ref === "string" ? [ref] : [...ref], options, answers);
  return {
    index: ctx.index,
    resolve,
    tryResolve(ref, options) {
      try {
        return { ok: true, resolution: resolve(ref, options) };
      } catch (error) {
        if (ResolverError.isResolverError(error)) return { ok: false, error };
        throw error;
      }
    },
    resolveProfile(profile) {
      const chain = [profile.model ?? "auto", ...(profile.fallbackModels ?? [])];
      return resolve(chain, profile.supportsVision === true ? { require: { vision: true } } : {});
    },
    listModels: (filter) => listModels(ctx, filter),
    classify: (ref) => classifyReference(ref, ctx.aliases),
  };
}

/** Resolves one reference (memoised). */
type Answers = (ref: string, extra: Requirements | undefined) => Resolution;

/** At most this many memoised answers per resolver (cleared when full). */
const MAX_ANSWERS = 10_000;

/**
 * One reference, memoised: every answer is a pure function of (reference, requirements) for one
 * resolver, so both successes and failures are kept and repeated resolves are map lookups.
 */
function createAnswers(ctx: ResolverContext): Answers {
  const answers = new Map<string, Outcome>();
  return (ref, extra) => {
    const key = `${extra === undefined ? "" : requirementsKey(mergeRequirements({ chat: true }, extra))}\u0000${ref}`;
    let out = answers.get(key);
    if (out === undefined) {
      try {
        out = { ok: true, resolution: resolveOne(ctx, ref, extra) };
      } catch (error) {
        if (!ResolverError.isResolverError(error)) throw error;
        out = {
          ok: false,
          failure: {
            code: error.code,
            message: error.message,
            options: {
              ...(error.input === undefined ? {} : { input: error.input }),
              suggestions: error.suggestions,
              hints: error.hints,
              attempts: error.attempts,
              ...(error.cause === undefined ? {} : { cause: error.cause }),
            },
          },
        };
      }
      if (answers.size >= MAX_ANSWERS) answers.clear();
      answers.set(key, out);
    }
    if (out.ok) return out.resolution;
    throw new ResolverError(out.failure.code, out.failure.message, out.failure.options);
  };
}

function resolveClassified(
  ctx: ResolverContext,
  c: Exclude<ClassifiedReference, { kind: "alias" }>,
  req: Requirements,
): Outcome {
  switch (c.kind) {
    case "tag": {
      const out = resolveTag(ctx, c.tag, c.written, mergeRequirements(AUTO_TAG_SPECS[c.tag].require, req));
      return out.ok ? { ok: true, resolution: asWritten(out.resolution, c.written) } : out;
    }
    case "explicit":
      return resolveExplicit(ctx, c.providerId, c.modelId, c.written, req);
    case "bare":
      return resolveBare(ctx, c.modelId, c.written, req);
    case "default-alias":
      return resolveDefaultAlias(ctx, c.alias, req);
  }
}

/** A default alias: the family member chosen now, validated like an explicit reference. */
function resolveDefaultAlias(ctx: ResolverContext, name: DefaultAlias, req: Requirements): Outcome {
  const choice = chooseDefaultAlias(ctx, name);
  if (!choice.ok) return choice.outcome;
  const e = choice.entry;
  const out = resolveExplicit(ctx, e.model.providerId, e.model.id, e.ref, req);
  if (!out.ok) {
    const f = out.failure;
    return {
      ok: false,
      failure: {
        ...f,
        message: `${choice.reason}; but ${f.message}`,
        options: { ...f.options, input: name },
      },
    };
  }
  return {
    ok: true,
    resolution: freezeResolution({
      ...out.resolution,
      provenance: "alias",
      input: name,
      reasons: [choice.reason, ...out.resolution.reasons.slice(1)],
    }),
  };
}

/**
 * A ranked tag is memoised by tag, not by spelling: an answer first reached as `auto:fast` and asked
 * for again as `node:fast` names `node:fast` as its input and in the reason lines that quote it.
 */
function asWritten(res: Resolution, written: string): Resolution {
  if (res.input === written) return res;
  const prefix = `${res.input}: `;
  return freezeResolution({
    ...res,
    input: written,
    reasons: res.reasons.map((l) => (l.startsWith(prefix) ? `${written}: ${l.slice(prefix.length)}` : l)),
  });
}

/** One reference: an alias (followed to its target), an auto tag or an explicit reference. */
function resolveOne(ctx: ResolverContext, ref: string, extra: Requirements | undefined): Resolution {
  if (ctx.index.models.length === 0) {
    throw new ResolverError(
      "RESOLVER_CATALOG_UNAVAILABLE",
      "The model catalog is empty, so no reference can be resolved.",
      {
        input: ref,
        hints: [LOAD_CATALOG_HINT],
      },
    );
  }
  const req = mergeRequirements({ chat: true }, extra);
  const c = classifyReference(ref, ctx.aliases);
  if (c.kind !== "alias") {
    const out = resolveClassified(ctx, c, req);
    if (out.ok) return out.resolution;
    throw new ResolverError(out.failure.code, out.failure.message, out.failure.options);
  }
  const out = resolveClassified(ctx, c.target, req);
  const chain = c.chain.map((s) => `"${s}"`).join(" → ");
  if (!out.ok) {
    const f = out.failure;
    throw new ResolverError(f.code, `Alias ${chain}: ${f.message}`, {
      ...f.options,
      input: ref,
      suggestions: (f.options.suggestions ?? []).filter((s) => !c.chain.includes(s)),
    });
  }
  return freezeResolution({
    ...out.resolution,
    provenance: "alias",
    input: ref,
    reasons: [`alias ${chain}`, ...out.resolution.reasons],
  });
}

/** A fallback chain: the first reference that resolves, or one error listing every attempt. */
function resolveChain(chain: readonly string[], options: ResolveOptions, answer: Answers): Resolution {
  if (chain.length === 0) {
    throw new ResolverError("RESOLVER_INVALID_REFERENCE", "No model reference was given.", {
      hints: ["Pass a reference such as `auto`, `auto:code` or `provider/model`."],
    });
  }
  const attempts: FailedAttempt[] = [];
  const errors: ResolverError[] = [];
  for (const [i, r] of chain.entries()) {
    try {
      const res = answer(r, options.require);
      if (i === 0) return res;
      return freezeResolution({
        ...res,
        provenance: "fallback",
        reasons: [
          ...attempts.map((a, k) => `${ordinal(k)} choice "${a.ref}" failed (${a.code}): ${a.message}`),
          `fell back to the ${ordinal(i)} choice "${r}" (resolved as ${res.provenance})`,
          ...res.reasons,
        ],
        attempts: [...attempts],
      });
    } catch (error) {
      if (!ResolverError.isResolverError(error)) throw error;
      errors.push(error);
      attempts.push({ ref: typeof r === "string" ? r : String(r), code: error.code, message: error.message });
    }
  }
  const first = errors[0] as ResolverError;
  if (errors.length === 1) throw first;
  const suggestions = [...new Set(errors.flatMap((e) => e.suggestions))]
    .filter((s) => !chain.includes(s))
    .slice(0, 5);
  const hints = [...new Set(errors.flatMap((e) => e.hints))];
  throw new ResolverError(
    first.code,
    `No reference of the chain resolves: ${attempts.map((a) => `"${a.ref}" (${a.code})`).join(", ")}. First failure: ${first.message}`,
    { input: chain[0] as string, suggestions, hints, attempts, cause: first },
  );
}
