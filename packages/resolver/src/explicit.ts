import { closeLimit, editDistance } from "@orchestra/core";
// Explicit references: `provider/model`, and a bare model id (`gpt-4o`) that names one provider's model.
import type { Requirements } from "./auto-tags.js";
import { chooseBare } from "./bare-id.js";
import type { IndexedModel } from "./catalog-index.js";
import {
  budgetProblem,
  describeCaps,
  failWith,
  freezeResolution,
  type Outcome,
  providerHint,
  type ResolverContext,
  resolvedCost,
  usable,
  usd,
} from "./context.js";
import { chooseDefaultAlias } from "./default-alias-choice.js";
import { DEFAULT_ALIASES } from "./default-aliases.js";
import { unmetRequirements } from "./requirements.js";
import { suggest } from "./suggest.js";
import { modelWarnings } from "./warnings.js";

/** Resolve `provider/model` as written (`written`); an unknown provider falls back to a bare id. */
export function resolveExplicit(
  ctx: ResolverContext,
  providerId: string,
  modelId: string,
  written: string,
  req: Requirements,
): Outcome {
  const { index } = ctx;
  const provider = index.provider(providerId);
  if (provider === undefined) return resolveBare(ctx, written, written, req, providerId);
  const e = index.get(`${providerId}/${modelId}`);
  if (e !== undefined) return validateExplicit(ctx, e, written, req);
  // The whole input may itself be a model id offered elsewhere (ids contain "/").
  const whole = index.withModelId(written).filter((m) => usable(ctx, m, req));
  const suggestions: string[] = whole.map((m) => m.ref);
  for (const s of suggest(ctx, written, req, written, { preferProvider: providerId })) {
    if (!suggestions.includes(s)) suggestions.push(s);
  }
  const hints = [
    `Check the model id: the catalog lists ${index.modelsOf(providerId).length} model(s) for "${providerId}", and ids are case-sensitive.`,
  ];
  if (!index.connected.has(providerId)) hints.push(providerHint(ctx, providerId));
  return failWith(written, "RESOLVER_UNKNOWN_MODEL", `Provider "${providerId}" has no model "${modelId}".`, {
    suggestions: suggestions.slice(0, 5),
    hints,
  });
}

/**
 * Resolve a bare model id: the one connected provider that offers it, else the preferred provider,
 * else the first party over gateways (see `chooseBare`); else `RESOLVER_AMBIGUOUS` listing the
 * candidates, or `RESOLVER_UNKNOWN_MODEL`. With `providerGuess` (the part before `/` named no
 * provider), the failure is `RESOLVER_UNKNOWN_PROVIDER`.
 */
export function resolveBare(
  ctx: ResolverContext,
  modelId: string,
  written: string,
  req: Requirements,
  providerGuess?: string,
): Outcome {
  const choice = chooseBare(ctx.index, modelId, ctx.preferred);
  if ("entry" in choice) {
    const out = validateExplicit(ctx, choice.entry, written, req);
    if (!out.ok) return out;
    return {
      ok: true,
      resolution: freezeResolution({
        ...out.resolution,
        reasons: [choice.why, ...out.resolution.reasons.slice(1)],
      }),
    };
  }
  if (choice.candidates.length > 1) return ambiguous(ctx, choice.candidates, written, req);
  if (providerGuess !== undefined) return unknownProvider(ctx, providerGuess, written, req);
  return failWith(
    written,
    "RESOLVER_UNKNOWN_MODEL",
    `No model "${written}" in the catalog, and it is not an alias or auto tag.`,
    {
      suggestions: [...closeDefaultAliases(ctx, written), ...suggest(ctx, written, req, written)].slice(0, 5),
      hints: [
        `Write \`provider/model\`, an auto tag (auto, auto:code, …), a default alias (${DEFAULT_ALIASES.join(", ")}) or an alias defined in modelAliases.`,
      ],
    },
  );
}

/** Default aliases spelled close to `written` that resolve here (`sonet` → `sonnet`). */
function closeDefaultAliases(ctx: ResolverContext, written: string): string[] {
  const w = written.toLowerCase();
  const limit = closeLimit(w.length);
  return DEFAULT_ALIASES.filter((a) => editDistance(w, a, limit) <= limit && chooseDefaultAlias(ctx, a).ok);
}

/** Check a catalog model named explicitly: connected, current, capable and within the cap. */
function validateExplicit(
  ctx: ResolverContext,
  e: IndexedModel,
  written: string,
  req: Requirements,
): Outcome {
  const providerId = e.model.providerId;
  const alternatives = () =>
    suggest(ctx, e.ref, req, e.ref, { preferProvider: providerId, fillWithBest: true });
  if (!e.connected) {
    return failWith(
      written,
      "RESOLVER_PROVIDER_NOT_CONNECTED",
      `Provider "${providerId}" is not connected, so "${e.ref}" cannot be used.`,
      {
        suggestions: suggest(ctx, e.ref, req, e.ref, { fillWithBest: false }),
        hints: [providerHint(ctx, providerId)],
      },
    );
  }
  if (e.deprecated && !ctx.allowDeprecated) {
    return failWith(written, "RESOLVER_DEPRECATED", `"${e.ref}" is deprecated in the catalog.`, {
      suggestions: alternatives(),
      hints: ["Pick a current model, or set allowDeprecated to use it anyway."],
    });
  }
  const unmet = unmetRequirements(e, req);
  if (unmet.length > 0) {
    return failWith(
      written,
      "RESOLVER_CAPABILITY_UNMET",
      `"${e.ref}" does not meet the requirements: ${unmet.join("; ")}.`,
      {
        suggestions: alternatives(),
        hints: [
          "Pick a model that has the capability, or correct the catalog with capabilityOverrides if it is wrong.",
        ],
      },
    );
  }
  const budget = budgetProblem(ctx, e);
  if (budget !== null) {
    return failWith(written, "RESOLVER_OVER_BUDGET", `"${e.ref}" is over budget: ${budget}.`, {
      suggestions: alternatives(),
      hints: ["Raise modelSelection.maxCostPer1kTokens (USD per 1k input tokens) or pick a cheaper model."],
    });
  }
  const reasons = [
    `explicit reference "${written}": provider "${providerId}", model "${e.model.id}"`,
    `provider "${providerId}" is connected`,
    `meets the requirements (${describeCaps(e)})`,
  ];
  if (ctx.cap !== undefined && e.model.cost !== null) {
    reasons.push(`within the cap: input ${usd(e.model.cost.input / 1000)}/1k ≤ ${usd(ctx.cap)}/1k`);
  }
  if (e.deprecated) reasons.push("deprecated, accepted because allowDeprecated is set");
  return {
    ok: true,
    resolution: freezeResolution({
      model: e.ref,
      providerId,
      modelId: e.model.id,
      provenance: "explicit",
      input: written,
      capabilities: e.capabilities,
      cost: resolvedCost(e.model.cost),
      status: e.model.status,
      releaseDate: e.model.releaseDate,
      reasons,
      warnings: modelWarnings(e, ctx.index.connected),
      rejected: [],
      rejectedTotal: 0,
      attempts: [],
    }),
  };
}

/** A bare id several providers offer and none is the one meant: list them (connected ones, or all). */
function ambiguous(
  ctx: ResolverContext,
  candidates: readonly IndexedModel[],
  written: string,
  req: Requirements,
): Outcome {
  const usableRefs = candidates.filter((m) => usable(ctx, m, req)).map((m) => m.ref);
  const connected = candidates.some((m) => m.connected);
  const listed = `${candidates
    .slice(0, 8)
    .map((m) => m.ref)
    .join(", ")}${candidates.length > 8 ? `, … (${candidates.length} in all)` : ""}`;
  return failWith(
    written,
    "RESOLVER_AMBIGUOUS",
    connected
      ? `"${written}" names a model that ${candidates.length} connected providers offer and none of them is its maker or preferred: ${listed}. Say which provider.`
      : `"${written}" names a model that ${candidates.length} providers offer, none of them connected: ${listed}.`,
    {
      suggestions: usableRefs.slice(0, 5),
      hints: [
        usableRefs.length > 0
          ? `Write it as provider/model, e.g. "${usableRefs[0]}", or list the provider you want first in modelSelection.preferredProviders.`
          : `None of them is usable here; connect one of those providers.`,
      ],
    },
  );
}

/** `provider/model` whose provider does not exist: the same model under close provider names first. */
function unknownProvider(
  ctx: ResolverContext,
  providerGuess: string,
  written: string,
  req: Requirements,
): Outcome {
  const { index } = ctx;
  const limit = closeLimit(providerGuess.length);
  const close = index.providerIds
    .map((p) => [editDistance(providerGuess.toLowerCase(), p.toLowerCase(), limit), p] as const)
    .filter(([d]) => d <= limit)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .map(([, p]) => p);
  const rest = written.slice(providerGuess.length + 1);
  const suggestions: string[] = [];
  for (const p of close) {
    const e = index.get(`${p}/${rest}`);
    if (e !== undefined && usable(ctx, e, req)) suggestions.push(e.ref);
  }
  for (const s of suggest(ctx, written, req, written)) if (!suggestions.includes(s)) suggestions.push(s);
  return failWith(written, "RESOLVER_UNKNOWN_PROVIDER", `No provider "${providerGuess}" in the catalog.`, {
    suggestions: suggestions.slice(0, 5),
    hints: [
      close.length > 0
        ? `Did you mean provider ${close
            .slice(0, 3)
            .map((p) => `"${p}"${index.connected.has(p) ? "" : " (not connected)"}`)
            .join(" or ")}?`
        : `Known connected providers: ${[...index.connected].slice(0, 10).join(", ") || "none"}.`,
    ],
  });
}
