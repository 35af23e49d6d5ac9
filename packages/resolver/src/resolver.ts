import type { AutoTag, Requirements } from "./auto-tags.js";
import { AUTO_TAG_SPECS } from "./auto-tags.js";
import type { ModelCapabilities } from "./capabilities.js";
import type { Catalog, ModelCost } from "./catalog.js";
import type { CatalogIndex, IndexedModel } from "./catalog-index.js";
import { buildCatalogIndex } from "./catalog-index.js";
import type { RankedCandidate, SelectionMode } from "./ranking.js";
import { decidingRule, rankCandidates } from "./ranking.js";
import type { ClassifiedReference, ModelAliases } from "./reference.js";
import { classifyReference } from "./reference.js";
import { mergeRequirements, requirementsKey, tokens, unmetRequirements } from "./requirements.js";
import type { FailedAttempt, ResolverErrorCode, ResolverErrorOptions } from "./resolver-error.js";
import { ResolverError } from "./resolver-error.js";
import { closeLimit, editDistance } from "./similarity.js";

/** `modelSelection` from the orchestrator config. */
export interface ModelSelection {
  /** How qualifying models are ranked (default `performance`). */
  readonly mode?: SelectionMode;
  /** Cap on the INPUT price in USD per **1k** tokens (the catalog's per-1M price / 1000). Unknown prices never pass. */
  readonly maxCostPer1kTokens?: number;
  /** An ordered filter with fallback: the first provider here that has a qualifying model wins. */
  readonly preferredProviders?: readonly string[];
}

/** Configuration of a {@link Resolver}. */
export interface ResolverConfig {
  /** Aliases: short name → reference. Alias → alias is allowed; cycles are `RESOLVER_ALIAS_CYCLE` errors. */
  readonly modelAliases?: ModelAliases;
  /** Cost-aware selection. */
  readonly modelSelection?: ModelSelection;
  /** The session's default model (`provider/model`); `auto` picks it when it is usable. */
  readonly defaultModel?: string;
  /** Accept deprecated models named explicitly (auto tags never pick them). Default `false`. */
  readonly allowDeprecated?: boolean;
  /** At most this many entries in `rejected` (default 20). */
  readonly maxRejected?: number;
}

/** How the answer was reached. */
export type Provenance = "alias" | "explicit" | "auto-tag" | "fallback";

/** A candidate that lost, and why. */
export interface RejectedCandidate {
  /** `provider/model`. */
  readonly model: string;
  /** Why it lost or was filtered out. */
  readonly reason: string;
}

/** Prices of the resolved model: the catalog's per-1M figures and the per-1k figures the config uses. */
export interface ResolvedCost extends ModelCost {
  /** Always `"USD per 1M tokens"` for `input`, `output` and the cache prices. */
  readonly unit: "USD per 1M tokens";
  /** Input price in USD per 1k tokens (`input / 1000`), the unit of `maxCostPer1kTokens`. */
  readonly inputPer1k: number;
  /** Output price in USD per 1k tokens. */
  readonly outputPer1k: number;
}

/** A successful resolution. */
export interface Resolution {
  /** The chosen model, `provider/model`. */
  readonly model: string;
  /** Its provider id. */
  readonly providerId: string;
  /** Its model id (may contain `/`, `:`, `@`). */
  readonly modelId: string;
  /** How it was reached. `fallback` when an earlier reference of the chain failed. */
  readonly provenance: Provenance;
  /** The reference that produced this model (for a fallback, the one that worked). */
  readonly input: string;
  /** The auto tag that chose it, if one did. */
  readonly tag?: AutoTag;
  /** Merged capabilities, with the origin of every field. */
  readonly capabilities: ModelCapabilities;
  /** Prices, or `null` when unknown. */
  readonly cost: ResolvedCost | null;
  /** Catalog status. */
  readonly status: string | null;
  /** Catalog release date. */
  readonly releaseDate: string | null;
  /** Why this model, in order, in plain words. */
  readonly reasons: readonly string[];
  /** Candidates that lost and why (capped; see `rejectedTotal`). */
  readonly rejected: readonly RejectedCandidate[];
  /** How many candidates were rejected in all. */
  readonly rejectedTotal: number;
  /** References of the chain that were tried first and failed. */
  readonly attempts: readonly FailedAttempt[];
}

/** Per-call options of {@link Resolver.resolve}. */
export interface ResolveOptions {
  /** Extra hard requirements (e.g. `{ vision: true }` for a profile with `supportsVision`). */
  readonly require?: Requirements;
}

/** The result of {@link Resolver.tryResolve}. */
export type ResolveResult =
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly error: ResolverError };

/** The model fields of a profile that the resolver reads. */
export interface ProfileModelSpec {
  /** The first choice (default `auto`). */
  readonly model?: string;
  /** Tried in order when `model` cannot be resolved. */
  readonly fallbackModels?: readonly string[];
  /** v0.2 key: require image input. */
  readonly supportsVision?: boolean;
}

/** A filter for {@link Resolver.listModels}. */
export interface ModelFilter {
  /** Only connected providers (default `true`). */
  readonly connectedOnly?: boolean;
  /** Only this provider. */
  readonly provider?: string;
  /** Hard requirements (default: chat models). */
  readonly require?: Requirements;
  /** Input price cap in USD per 1k tokens; unknown prices are excluded when set. */
  readonly maxCostPer1kTokens?: number;
  /** Include deprecated models (default `false`). */
  readonly includeDeprecated?: boolean;
  /** Sort order (default `score`: most capable first). */
  readonly sort?: "score" | "price" | "ref";
  /** At most this many (default all). */
  readonly limit?: number;
}

/** One row of {@link Resolver.listModels}. */
export interface ModelSummary {
  readonly model: string;
  readonly name: string;
  readonly providerId: string;
  readonly connected: boolean;
  readonly deprecated: boolean;
  readonly capabilities: ModelCapabilities;
  readonly cost: ResolvedCost | null;
  readonly score: number;
  readonly releaseDate: string | null;
}

/** Resolves model references against one indexed catalog and one configuration. Reuse it. */
export interface Resolver {
  /** The index it resolves against. */
  readonly index: CatalogIndex;
  /**
   * Resolve one reference, or a fallback chain `[first, ...fallbacks]` (each tried in order).
   * @throws {ResolverError} when nothing in the chain resolves; `attempts` lists every failure.
   */
  resolve(ref: string | readonly string[], options?: ResolveOptions): Resolution;
  /** Like {@link Resolver.resolve}, but returns `{ ok, resolution | error }` instead of throwing. */
  tryResolve(ref: string | readonly string[], options?: ResolveOptions): ResolveResult;
  /** Resolve a profile's `model` (default `auto`) then its `fallbackModels`, honouring `supportsVision`. */
  resolveProfile(profile: ProfileModelSpec): Resolution;
  /** Models matching a filter (for a `list_models` tool). */
  listModels(filter?: ModelFilter): ModelSummary[];
  /** Classify a reference with this resolver's aliases (no catalog lookup). */
  classify(ref: string): ClassifiedReference;
}

// ---------------------------------------------------------------------------------------------

const ORDINAL = ["1st", "2nd", "3rd"];
const ordinal = (i: number): string => ORDINAL[i] ?? `${i + 1}th`;
const usd = (n: number): string => `$${Number(n.toPrecision(6))}`;

function resolvedCost(cost: ModelCost | null): ResolvedCost | null {
  if (cost === null) return null;
  return {
    ...cost,
    unit: "USD per 1M tokens",
    inputPer1k: cost.input / 1000,
    outputPer1k: cost.output / 1000,
  };
}

function describeCaps(e: IndexedModel): string {
  const c = e.capabilities;
  const parts: string[] = [];
  if (c.vision) parts.push("vision");
  if (c.toolCall) parts.push("tools");
  if (c.reasoning) parts.push("reasoning");
  if (c.input.pdf) parts.push("pdf");
  parts.push(c.contextWindow === null ? "context unknown" : `${tokens(c.contextWindow)} context`);
  parts.push(
    e.price === null
      ? "price unknown"
      : `${usd(e.model.cost?.input ?? 0)}/${usd(e.model.cost?.output ?? 0)} per 1M in/out`,
  );
  return parts.join(", ");
}

interface Failure {
  readonly code: ResolverErrorCode;
  readonly message: string;
  readonly options: ResolverErrorOptions;
}

type Outcome =
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly failure: Failure };

function freezeResolution(r: Resolution): Resolution {
  Object.freeze(r.reasons);
  Object.freeze(r.rejected);
  Object.freeze(r.attempts);
  return Object.freeze(r);
}

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
  const index: CatalogIndex = "get" in source ? source : buildCatalogIndex(source);
  const aliases: ModelAliases = config.modelAliases ?? {};
  const mode: SelectionMode = config.modelSelection?.mode ?? "performance";
  const cap = config.modelSelection?.maxCostPer1kTokens;
  const preferred = [...new Set(config.modelSelection?.preferredProviders ?? [])];
  const maxRejected = Math.max(0, config.maxRejected ?? 20);
  const allowDeprecated = config.allowDeprecated === true;
  const memo = new Map<string, Outcome>();

  // ----- shared checks ----------------------------------------------------------------------

  /** Why the model is over budget, or null when it passes the cap (or no cap is set). */
  function budgetProblem(e: IndexedModel): string | null {
    if (cap === undefined) return null;
    const cost = e.model.cost;
    if (cost === null) return `price unknown, and a cap of ${usd(cap)}/1k input tokens is set`;
    const per1k = cost.input / 1000;
    if (per1k > cap + 1e-12) {
      return `input ${usd(per1k)}/1k tokens (${usd(cost.input)}/1M) is above the cap of ${usd(cap)}/1k`;
    }
    return null;
  }

  /** Usable: what a suggestion must be. Connected, not deprecated, meets `req`, within the cap. */
  function usable(e: IndexedModel, req: Requirements): boolean {
    return (
      e.connected &&
      (!e.deprecated || allowDeprecated) &&
      unmetRequirements(e, req).length === 0 &&
      budgetProblem(e) === null
    );
  }

  /**
   * Real, usable refs close to `target`: same model id under connected providers first, then close
   * names (edit distance on the model id and on the full ref), then — if `fillWithBest` — the most
   * capable usable models of `preferProvider`. Never returns `exclude`.
   */
  function suggest(
    target: string,
    req: Requirements,
    exclude: string,
    opts: { preferProvider?: string; fillWithBest?: boolean; limit?: number } = {},
  ): string[] {
    const limit = opts.limit ?? 5;
    const out: string[] = [];
    const add = (ref: string) => {
      if (ref !== exclude && ref !== target && !out.includes(ref) && out.length < limit) out.push(ref);
    };
    const slash = target.indexOf("/");
    const modelPart = slash > 0 ? target.slice(slash + 1) : target;
    for (const e of index.withModelId(modelPart)) if (usable(e, req)) add(e.ref);
    if (modelPart !== target) for (const e of index.withModelId(target)) if (usable(e, req)) add(e.ref);
    const t = target.toLowerCase();
    const m = modelPart.toLowerCase();
    const maxT = closeLimit(t.length);
    const maxM = closeLimit(m.length);
    const scored: [number, IndexedModel][] = [];
    for (const e of index.connectedModels) {
      const dRef = editDistance(t, e.ref.toLowerCase(), maxT);
      const dId = editDistance(m, e.model.id.toLowerCase(), maxM);
      const d = Math.min(
        dRef <= maxT ? dRef : Number.POSITIVE_INFINITY,
        dId <= maxM ? dId + 0.5 : Number.POSITIVE_INFINITY,
      );
      if (d !== Number.POSITIVE_INFINITY && usable(e, req)) scored.push([d, e]);
    }
    const sameProvider = (e: IndexedModel) =>
      opts.preferProvider !== undefined && e.model.providerId === opts.preferProvider ? 0 : 1;
    scored.sort(
      (a, b) =>
        a[0] - b[0] ||
        sameProvider(a[1]) - sameProvider(b[1]) ||
        b[1].score - a[1].score ||
        (a[1].ref < b[1].ref ? -1 : 1),
    );
    for (const [, e] of scored) add(e.ref);
    if (opts.fillWithBest === true && out.length < 3) {
      const pool = (opts.preferProvider === undefined ? [] : index.modelsOf(opts.preferProvider)).filter(
        (e) => usable(e, req),
      );
      const rest = index.connectedModels.filter((e) => usable(e, req));
      for (const list of [pool, rest]) {
        const best = [...list].sort((a, b) => b.score - a.score || (a.ref < b.ref ? -1 : 1));
        for (const e of best) {
          if (out.length >= 3) break;
          add(e.ref);
        }
      }
    }
    return out;
  }

  function providerHint(providerId: string): string {
    const env = index.provider(providerId)?.env ?? [];
    return env.length > 0
      ? `Connect provider "${providerId}": set ${env.join(" or ")}, or run \`opencode auth login\`; then retry.`
      : `Connect provider "${providerId}" (\`opencode auth login\` or its options in opencode.json); then retry.`;
  }

  // ----- explicit ---------------------------------------------------------------------------

  function validateExplicit(e: IndexedModel, written: string, req: Requirements): Outcome {
    const fail = (code: ResolverErrorCode, message: string, options: ResolverErrorOptions): Outcome => ({
      ok: false,
      failure: { code, message, options: { input: written, ...options } },
    });
    if (!e.connected) {
      return fail(
        "RESOLVER_PROVIDER_NOT_CONNECTED",
        `Provider "${e.model.providerId}" is not connected, so "${e.ref}" cannot be used.`,
        {
          suggestions: suggest(e.ref, req, e.ref, { fillWithBest: false }),
          hints: [providerHint(e.model.providerId)],
        },
      );
    }
    if (e.deprecated && !allowDeprecated) {
      return fail("RESOLVER_DEPRECATED", `"${e.ref}" is deprecated in the catalog.`, {
        suggestions: suggest(e.ref, req, e.ref, { preferProvider: e.model.providerId, fillWithBest: true }),
        hints: ["Pick a current model, or set allowDeprecated to use it anyway."],
      });
    }
    const unmet = unmetRequirements(e, req);
    if (unmet.length > 0) {
      return fail(
        "RESOLVER_CAPABILITY_UNMET",
        `"${e.ref}" does not meet the requirements: ${unmet.join("; ")}.`,
        {
          suggestions: suggest(e.ref, req, e.ref, { preferProvider: e.model.providerId, fillWithBest: true }),
          hints: [
            "Pick a model that has the capability, or correct the catalog with capabilityOverrides if it is wrong.",
          ],
        },
      );
    }
    const budget = budgetProblem(e);
    if (budget !== null) {
      return fail("RESOLVER_OVER_BUDGET", `"${e.ref}" is over budget: ${budget}.`, {
        suggestions: suggest(e.ref, req, e.ref, { preferProvider: e.model.providerId, fillWithBest: true }),
        hints: ["Raise modelSelection.maxCostPer1kTokens (USD per 1k input tokens) or pick a cheaper model."],
      });
    }
    const reasons = [
      `explicit reference "${written}": provider "${e.model.providerId}", model "${e.model.id}"`,
      `provider "${e.model.providerId}" is connected`,
      `meets the requirements (${describeCaps(e)})`,
    ];
    if (cap !== undefined && e.model.cost !== null) {
      reasons.push(`within the cap: input ${usd(e.model.cost.input / 1000)}/1k ≤ ${usd(cap)}/1k`);
    }
    if (e.deprecated) reasons.push("deprecated, accepted because allowDeprecated is set");
    return {
      ok: true,
      resolution: freezeResolution({
        model: e.ref,
        providerId: e.model.providerId,
        modelId: e.model.id,
        provenance: "explicit",
        input: written,
        capabilities: e.capabilities,
        cost: resolvedCost(e.model.cost),
        status: e.model.status,
        releaseDate: e.model.releaseDate,
        reasons,
        rejected: [],
        rejectedTotal: 0,
        attempts: [],
      }),
    };
  }

  function resolveBare(modelId: string, written: string, req: Requirements, providerGuess?: string): Outcome {
    const matches = index.withModelId(modelId);
    if (matches.length === 1 && matches[0] !== undefined) {
      const out = validateExplicit(matches[0], written, req);
      if (!out.ok) return out;
      return {
        ok: true,
        resolution: freezeResolution({
          ...out.resolution,
          reasons: [
            `"${written}" is a model id only "${matches[0].model.providerId}" offers`,
            ...out.resolution.reasons.slice(1),
          ],
        }),
      };
    }
    if (matches.length > 1) {
      const connected = matches.filter((m) => usable(m, req)).map((m) => m.ref);
      return {
        ok: false,
        failure: {
          code: "RESOLVER_AMBIGUOUS",
          message: `"${written}" names a model that ${matches.length} providers offer; say which provider.`,
          options: {
            input: written,
            suggestions: connected.slice(0, 5),
            hints: [
              connected.length > 0
                ? `Write it as provider/model, e.g. "${connected[0]}".`
                : `None of them is usable here (offered by ${matches
                    .slice(0, 5)
                    .map((m) => m.model.providerId)
                    .join(", ")}${matches.length > 5 ? ", …" : ""}); connect one of those providers.`,
            ],
          },
        },
      };
    }
    if (providerGuess !== undefined) {
      const providers = index.providerIds;
      const close = providers
        .map(
          (p) =>
            [
              editDistance(providerGuess.toLowerCase(), p.toLowerCase(), closeLimit(providerGuess.length)),
              p,
            ] as const,
        )
        .filter(([d]) => d <= closeLimit(providerGuess.length))
        .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
        .map(([, p]) => p);
      const rest = written.slice(providerGuess.length + 1);
      const suggestions: string[] = [];
      for (const p of close) {
        const e = index.get(`${p}/${rest}`);
        if (e !== undefined && usable(e, req)) suggestions.push(e.ref);
      }
      for (const s of suggest(written, req, written)) if (!suggestions.includes(s)) suggestions.push(s);
      return {
        ok: false,
        failure: {
          code: "RESOLVER_UNKNOWN_PROVIDER",
          message: `No provider "${providerGuess}" in the catalog.`,
          options: {
            input: written,
            suggestions: suggestions.slice(0, 5),
            hints: [
              close.length > 0
                ? `Did you mean provider ${close
                    .slice(0, 3)
                    .map((p) => `"${p}"${index.connected.has(p) ? "" : " (not connected)"}`)
                    .join(" or ")}?`
                : `Known connected providers: ${[...index.connected].slice(0, 10).join(", ") || "none"}.`,
            ],
          },
        },
      };
    }
    return {
      ok: false,
      failure: {
        code: "RESOLVER_UNKNOWN_MODEL",
        message: `No model "${written}" in the catalog, and it is not an alias or auto tag.`,
        options: {
          input: written,
          suggestions: suggest(written, req, written),
          hints: [
            "Write `provider/model`, an auto tag (auto, auto:code, …) or an alias defined in modelAliases.",
          ],
        },
      },
    };
  }

  function resolveExplicit(providerId: string, modelId: string, written: string, req: Requirements): Outcome {
    const provider = index.provider(providerId);
    if (provider === undefined) return resolveBare(written, written, req, providerId);
    const e = index.get(`${providerId}/${modelId}`);
    if (e !== undefined) return validateExplicit(e, written, req);
    // The whole input may itself be a model id offered elsewhere (ids contain "/").
    const whole = index.withModelId(written).filter((m) => usable(m, req));
    const suggestions: string[] = whole.map((m) => m.ref);
    for (const s of suggest(written, req, written, { preferProvider: providerId })) {
      if (!suggestions.includes(s)) suggestions.push(s);
    }
    const hints = [
      `Check the model id: the catalog lists ${index.modelsOf(providerId).length} model(s) for "${providerId}", and ids are case-sensitive.`,
    ];
    if (!index.connected.has(providerId)) hints.push(providerHint(providerId));
    return {
      ok: false,
      failure: {
        code: "RESOLVER_UNKNOWN_MODEL",
        message: `Provider "${providerId}" has no model "${modelId}".`,
        options: { input: written, suggestions: suggestions.slice(0, 5), hints },
      },
    };
  }

  // ----- auto tags --------------------------------------------------------------------------

  function resolveTag(tag: AutoTag, written: string, req: Requirements): Outcome {
    const key = `${tag}|${requirementsKey(req)}`;
    const hit = memo.get(key);
    if (hit !== undefined) {
      return hit.ok || hit.failure.options.input === written
        ? hit
        : { ok: false, failure: { ...hit.failure, options: { ...hit.failure.options, input: written } } };
    }
    const out = rankTag(tag, written, req);
    memo.set(key, out);
    return out;
  }

  function rankTag(tag: AutoTag, written: string, req: Requirements): Outcome {
    const spec = AUTO_TAG_SPECS[tag];
    const tagMode: SelectionMode = spec.ranking === "cheap" ? "economical" : mode;
    const reasons: string[] = [];
    const fail = (code: ResolverErrorCode, message: string, options: ResolverErrorOptions): Outcome => ({
      ok: false,
      failure: { code, message, options: { input: written, ...options } },
    });
    if (index.models.length === 0) {
      return fail("RESOLVER_CATALOG_UNAVAILABLE", "The model catalog is empty.", {
        hints: ["Load a catalog from OpenCode's GET /provider (--catalog FILE or --server URL)."],
      });
    }
    if (index.connected.size === 0) {
      return fail(
        "RESOLVER_NO_CONNECTED_PROVIDERS",
        `"${written}" picks among connected providers, and none is connected.`,
        {
          hints: [
            "Connect a provider (`opencode auth login`), or name a model explicitly as provider/model.",
          ],
        },
      );
    }

    if (tag === "auto" && config.defaultModel !== undefined) {
      const def = classifyReference(config.defaultModel);
      const out =
        def.kind === "explicit"
          ? resolveExplicit(def.providerId, def.modelId, def.written, req)
          : def.kind === "bare"
            ? resolveBare(def.modelId, def.written, req)
            : null;
      if (out?.ok) {
        return {
          ok: true,
          resolution: freezeResolution({
            ...out.resolution,
            provenance: "auto-tag",
            input: written,
            tag,
            reasons: [
              `${written}: the session default model "${config.defaultModel}" is usable`,
              ...out.resolution.reasons.slice(1),
            ],
          }),
        };
      }
      reasons.push(
        `the session default model "${config.defaultModel}" is unusable${out && !out.ok ? ` (${out.failure.code}: ${out.failure.message})` : ""}; ranking connected models instead`,
      );
    }

    const qualified: IndexedModel[] = [];
    const filtered: { entry: IndexedModel; reason: string }[] = [];
    let overBudgetOnly = 0;
    for (const e of index.connectedModels) {
      if (e.deprecated) {
        filtered.push({ entry: e, reason: "deprecated" });
        continue;
      }
      const unmet = unmetRequirements(e, req);
      if (unmet.length > 0) {
        filtered.push({ entry: e, reason: unmet.join("; ") });
        continue;
      }
      const budget = budgetProblem(e);
      if (budget !== null) {
        overBudgetOnly++;
        filtered.push({ entry: e, reason: `over budget: ${budget}` });
        continue;
      }
      qualified.push(e);
    }
    const connectedList = [...index.connected];
    reasons.push(
      `${written}: ${spec.description} Considered ${index.connectedModels.length} models of ${connectedList.length} connected provider(s) (${connectedList.slice(0, 8).join(", ")}${connectedList.length > 8 ? ", …" : ""}); ${qualified.length} qualify.`,
    );

    if (qualified.length === 0) {
      const unconnected = new Set<string>();
      for (const e of index.models) {
        if (unconnected.size >= 5) break;
        if (
          !e.connected &&
          !e.deprecated &&
          unmetRequirements(e, req).length === 0 &&
          budgetProblem(e) === null
        ) {
          unconnected.add(e.model.providerId);
        }
      }
      const hints: string[] = [];
      if (unconnected.size > 0)
        hints.push(
          `Providers with qualifying models that are not connected: ${[...unconnected].join(", ")}.`,
        );
      if (overBudgetOnly > 0) {
        const cheapest = filtered
          .filter((f) => f.reason.startsWith("over budget") && f.entry.model.cost !== null)
          .sort(
            (a, b) =>
              (a.entry.model.cost?.input ?? 0) - (b.entry.model.cost?.input ?? 0) ||
              (a.entry.ref < b.entry.ref ? -1 : 1),
          )[0];
        if (cheapest?.entry.model.cost) {
          hints.push(
            `The cheapest qualifying model is "${cheapest.entry.ref}" at ${usd(cheapest.entry.model.cost.input / 1000)}/1k input tokens; raise maxCostPer1kTokens to at least that.`,
          );
        }
        return fail(
          "RESOLVER_OVER_BUDGET",
          `No connected model for "${written}" fits the cap of ${usd(cap ?? 0)}/1k input tokens (${overBudgetOnly} qualify otherwise).`,
          {
            hints,
          },
        );
      }
      const needs = [
        ...Object.entries(req)
          .filter(([k, v]) => v === true && k !== "chat")
          .map(([k]) => k),
        ...(req.minContext ? [`context ≥ ${tokens(req.minContext)}`] : []),
      ];
      return fail(
        "RESOLVER_CAPABILITY_UNMET",
        `No connected chat model meets "${written}" (needs ${needs.join(", ") || "a chat model"}).`,
        {
          hints:
            hints.length > 0
              ? hints
              : ["Connect a provider that offers such a model, or name one explicitly."],
        },
      );
    }

    // Preferred providers: an ordered filter with fallback.
    let pool = qualified;
    let preferredFrom: string | undefined;
    if (preferred.length > 0) {
      const skipped: string[] = [];
      for (const p of preferred) {
        const inP = qualified.filter((e) => e.model.providerId === p);
        if (inP.length > 0) {
          pool = inP;
          preferredFrom = p;
          break;
        }
        skipped.push(
          index.provider(p) === undefined
            ? `"${p}" (unknown provider)`
            : !index.connected.has(p)
              ? `"${p}" (not connected)`
              : `"${p}" (no qualifying model)`,
        );
      }
      if (preferredFrom !== undefined) {
        const rank = preferred.indexOf(preferredFrom);
        reasons.push(
          `preferred provider "${preferredFrom}" (${ordinal(rank)} preference) has ${pool.length} qualifying model(s)${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`,
        );
      } else {
        reasons.push(
          `no preferred provider qualifies (${skipped.join(", ")}); fell back to every connected provider`,
        );
      }
    }

    const ranked = rankCandidates(pool, tag, tagMode);
    const winner = ranked[0] as RankedCandidate;
    const w = winner.entry;
    const runner = ranked[1];
    const modeWhy =
      tagMode === "economical"
        ? `mode economical${spec.ranking === "cheap" ? " (auto:cheap always ranks by price)" : ""}: cheapest input + output price${w.price === null ? " (every candidate's price is unknown)" : ` (${usd(w.price)} per 1M)`}`
        : tagMode === "balanced"
          ? `mode balanced: best 0.6 × capability + 0.4 × price (balance ${winner.balance})`
          : `mode performance: highest capability score for ${tag} (${winner.score})`;
    reasons.push(modeWhy);
    if (runner !== undefined)
      reasons.push(`beat "${runner.entry.ref}": ${decidingRule(winner, runner, tagMode)}`);
    reasons.push(`chose "${w.ref}" (${describeCaps(w)})`);
    if (cap !== undefined && w.model.cost !== null) {
      reasons.push(`within the cap: input ${usd(w.model.cost.input / 1000)}/1k ≤ ${usd(cap)}/1k`);
    }

    const rejected: RejectedCandidate[] = [];
    const runnersUp = ranked.slice(1);
    for (const [i, r] of runnersUp.entries()) {
      if (rejected.length >= Math.min(10, maxRejected)) break;
      rejected.push({
        model: r.entry.ref,
        reason:
          tagMode === "economical"
            ? `ranked ${ordinal(i + 1)}: ${r.entry.price === null ? "price unknown (ranks last)" : `${usd(r.entry.price)} per 1M in+out`}`
            : tagMode === "balanced"
              ? `ranked ${ordinal(i + 1)}: balance ${r.balance} < ${winner.balance}`
              : `ranked ${ordinal(i + 1)}: score ${r.score} vs ${winner.score}${r.score === winner.score ? ` (${decidingRule(winner, r, tagMode)})` : ""}`,
      });
    }
    const notPreferred =
      preferredFrom === undefined ? [] : qualified.filter((e) => e.model.providerId !== preferredFrom);
    for (const e of [...notPreferred].sort((a, b) => b.score - a.score || (a.ref < b.ref ? -1 : 1))) {
      if (rejected.length >= maxRejected) break;
      rejected.push({ model: e.ref, reason: `qualifies, but provider "${preferredFrom}" is preferred` });
    }
    const sortedFiltered = [...filtered].sort(
      (a, b) => b.entry.score - a.entry.score || (a.entry.ref < b.entry.ref ? -1 : 1),
    );
    for (const f of sortedFiltered) {
      if (rejected.length >= maxRejected) break;
      rejected.push({ model: f.entry.ref, reason: f.reason });
    }

    return {
      ok: true,
      resolution: freezeResolution({
        model: w.ref,
        providerId: w.model.providerId,
        modelId: w.model.id,
        provenance: "auto-tag",
        input: written,
        tag,
        capabilities: w.capabilities,
        cost: resolvedCost(w.model.cost),
        status: w.model.status,
        releaseDate: w.model.releaseDate,
        reasons,
        rejected,
        rejectedTotal: runnersUp.length + notPreferred.length + filtered.length,
        attempts: [],
      }),
    };
  }

  // ----- one reference ----------------------------------------------------------------------

  function resolveClassified(c: Exclude<ClassifiedReference, { kind: "alias" }>, req: Requirements): Outcome {
    switch (c.kind) {
      case "tag":
        return resolveTag(c.tag, c.written, mergeRequirements(AUTO_TAG_SPECS[c.tag].require, req));
      case "explicit":
        return resolveExplicit(c.providerId, c.modelId, c.written, req);
      case "bare":
        return resolveBare(c.modelId, c.written, req);
    }
  }

  // Every answer is a pure function of (reference, requirements) for this resolver: memoise both
  // successes and failures (bounded, cleared when full) so repeated resolves are map lookups.
  const answers = new Map<string, Outcome>();
  const MAX_ANSWERS = 10_000;

  function resolveOne(ref: string, extra: Requirements | undefined): Resolution {
    const key = `${extra === undefined ? "" : requirementsKey(mergeRequirements({ chat: true }, extra))}\u0000${ref}`;
    let out = answers.get(key);
    if (out === undefined) {
      try {
        out = { ok: true, resolution: resolveOneUncached(ref, extra) };
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
  }

  function resolveOneUncached(ref: string, extra: Requirements | undefined): Resolution {
    if (index.models.length === 0) {
      throw new ResolverError(
        "RESOLVER_CATALOG_UNAVAILABLE",
        "The model catalog is empty, so no reference can be resolved.",
        {
          input: ref,
          hints: ["Load a catalog from OpenCode's GET /provider (--catalog FILE or --server URL)."],
        },
      );
    }
    const req = mergeRequirements({ chat: true }, extra);
    const c = classifyReference(ref, aliases);
    if (c.kind !== "alias") {
      const out = resolveClassified(c, req);
      if (out.ok) return out.resolution;
      throw new ResolverError(out.failure.code, out.failure.message, out.failure.options);
    }
    const out = resolveClassified(c.target, req);
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

  function resolve(ref: string | readonly string[], options: ResolveOptions = {}): Resolution {
    const chain = typeof ref === "string" ? [ref] : [...ref];
    if (chain.length === 0) {
      throw new ResolverError("RESOLVER_INVALID_REFERENCE", "No model reference was given.", {
        hints: ["Pass a reference such as `auto`, `auto:code` or `provider/model`."],
      });
    }
    const attempts: FailedAttempt[] = [];
    const errors: ResolverError[] = [];
    for (const [i, r] of chain.entries()) {
      try {
        const res = resolveOne(r, options.require);
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
        attempts.push({
          ref: typeof r === "string" ? r : String(r),
          code: error.code,
          message: error.message,
        });
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

  return {
    index,
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
    listModels(filter = {}) {
      const req = mergeRequirements({ chat: true }, filter.require);
      const base = filter.connectedOnly === false ? index.models : index.connectedModels;
      const rows = base.filter(
        (e) =>
          (filter.provider === undefined || e.model.providerId === filter.provider) &&
          (filter.includeDeprecated === true || !e.deprecated) &&
          unmetRequirements(e, req).length === 0 &&
          (filter.maxCostPer1kTokens === undefined ||
            (e.model.cost !== null && e.model.cost.input / 1000 <= filter.maxCostPer1kTokens + 1e-12)),
      );
      const sort = filter.sort ?? "score";
      rows.sort((a, b) =>
        sort === "ref"
          ? a.ref < b.ref
            ? -1
            : 1
          : sort === "price"
            ? (a.price === null ? (b.price === null ? 0 : 1) : b.price === null ? -1 : a.price - b.price) ||
              (a.ref < b.ref ? -1 : 1)
            : b.score - a.score || (a.ref < b.ref ? -1 : 1),
      );
      return rows.slice(0, filter.limit ?? rows.length).map((e) => ({
        model: e.ref,
        name: e.model.name,
        providerId: e.model.providerId,
        connected: e.connected,
        deprecated: e.deprecated,
        capabilities: e.capabilities,
        cost: resolvedCost(e.model.cost),
        score: e.score,
        releaseDate: e.model.releaseDate,
      }));
    },
    classify: (ref) => classifyReference(ref, aliases),
  };
}
