import { formatPath, suggestions } from "@orchestra/core";
import { AUTO_TAGS, parseAutoTag } from "./auto-tags.js";
import { chooseBare } from "./bare-id.js";
import type { Catalog } from "./catalog.js";
import type { CatalogIndex } from "./catalog-index.js";
import { buildCatalogIndex } from "./catalog-index.js";
import { DEFAULT_ALIASES } from "./default-aliases.js";
import type { ClassifiedReference, ModelAliases } from "./reference.js";
import { classifyReference } from "./reference.js";
import { ResolverError } from "./resolver-error.js";

/** Stable codes of {@link ModelConfigIssue}. */
export type ModelConfigIssueCode =
  | "RESOLVER_INVALID_REFERENCE"
  | "RESOLVER_INVALID_VALUE"
  | "RESOLVER_UNKNOWN_TAG"
  | "RESOLVER_ALIAS_CYCLE"
  | "RESOLVER_ALIAS_SHADOWS_MODEL"
  | "RESOLVER_ALIAS_SHADOWS_TAG"
  | "RESOLVER_UNKNOWN_PROVIDER"
  | "RESOLVER_UNKNOWN_MODEL"
  | "RESOLVER_AMBIGUOUS"
  | "RESOLVER_PROVIDER_NOT_CONNECTED"
  | "RESOLVER_DEPRECATED"
  | "RESOLVER_SUSPICIOUS_COST_UNIT";

/** One problem in the model-related part of the config, located by its JSON path. */
export interface ModelConfigIssue {
  /** Where, as `modelAliases.fast`, `profiles[2].fallbackModels[0]`, `modelSelection.preferredProviders[1]`. */
  readonly path: string;
  /** Stable code. */
  readonly code: ModelConfigIssueCode;
  /** `error`: the config is wrong. `warning`: it may work later (provider not connected yet, deprecated…). */
  readonly severity: "error" | "warning";
  /** What is wrong and what to do. */
  readonly message: string;
  /** Real values that would fix it, when known. */
  readonly suggestions?: readonly string[];
}

/** The config keys {@link validateModelConfig} reads. Values are `unknown`: this runs on raw JSON. */
export interface ModelConfigInput {
  /** `modelAliases`. */
  readonly modelAliases?: unknown;
  /** `modelSelection`. */
  readonly modelSelection?: unknown;
  /** `profiles`: an array of ids or `{ id, model?, fallbackModels? }` (a record by id is accepted too). */
  readonly profiles?: unknown;
  /** `workers`: same shape as `profiles`. */
  readonly workers?: unknown;
  /** `capabilityOverrides`: `{ "provider/model": CapabilityPatch }`. */
  readonly capabilityOverrides?: unknown;
}

type Segment = string | number;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Validate the model part of an orchestrator config at load time, naming the JSON path of every problem:
 * alias cycles, aliases that shadow real model ids or tags, unknown tags, references to unknown
 * providers or models, `preferredProviders` and `maxConcurrent` typos, an invalid `mode`, and a `maxCostPer1kTokens` that looks
 * like a per-1M price. With no catalog, only the checks that need none run. Returns `[]` when all is well.
 *
 * @example
 * ```ts
 * const issues = validateModelConfig({ modelAliases: { a: "b", b: "a" } }, catalog);
 * // [{ path: "modelAliases.a", code: "RESOLVER_ALIAS_CYCLE", severity: "error", message: "Alias cycle: a → b → a. …" }, …]
 * ```
 */
export function validateModelConfig(
  config: ModelConfigInput,
  catalog?: Catalog | CatalogIndex,
): ModelConfigIssue[] {
  const index = catalog === undefined ? undefined : "get" in catalog ? catalog : buildCatalogIndex(catalog);
  const issues: ModelConfigIssue[] = [];
  const push = (
    path: readonly Segment[],
    code: ModelConfigIssueCode,
    severity: "error" | "warning",
    message: string,
    suggestions?: readonly string[],
  ) =>
    issues.push({
      path: formatPath(path),
      code,
      severity,
      message,
      ...(suggestions !== undefined && suggestions.length > 0 ? { suggestions } : {}),
    });

  // ----- modelAliases -----------------------------------------------------------------------
  const aliases: Record<string, string> = {};
  if (config.modelAliases !== undefined) {
    if (!isRecord(config.modelAliases)) {
      push(
        ["modelAliases"],
        "RESOLVER_INVALID_VALUE",
        "error",
        "modelAliases must be an object of name → model reference.",
      );
    } else {
      for (const key of Object.keys(config.modelAliases).sort(byString)) {
        const value = config.modelAliases[key];
        if (typeof value !== "string" || value.trim() === "") {
          push(
            ["modelAliases", key],
            "RESOLVER_INVALID_REFERENCE",
            "error",
            `Alias "${key}" must point at a non-empty model reference.`,
          );
          continue;
        }
        aliases[key] = value;
      }
    }
  }
  const aliasTable: ModelAliases = aliases;
  const sel0 = config.modelSelection;
  const preferred: readonly string[] =
    isRecord(sel0) && Array.isArray(sel0.preferredProviders)
      ? sel0.preferredProviders.filter((p): p is string => typeof p === "string")
      : [];

  /** Check one reference; `isAliasValue` skips alias expansion errors reported at the alias itself. */
  const checkRef = (path: readonly Segment[], ref: string): void => {
    let c: ClassifiedReference;
    try {
      c = classifyReference(ref, aliasTable);
    } catch (error) {
      if (!ResolverError.isResolverError(error)) throw error;
      const code =
        error.code === "RESOLVER_ALIAS_CYCLE" || error.code === "RESOLVER_UNKNOWN_TAG"
          ? error.code
          : "RESOLVER_INVALID_REFERENCE";
      push(path, code, "error", error.message, error.suggestions);
      return;
    }
    const target = c.kind === "alias" ? c.target : c;
    // Tags and default aliases choose among connected providers when resolved, not now.
    if (index === undefined || target.kind === "tag" || target.kind === "default-alias") return;
    const via =
      c.kind === "alias"
        ? ` (via alias ${c.chain
            .slice(0, -1)
            .map((s) => `"${s}"`)
            .join(" → ")})`
        : "";
    if (target.kind === "explicit" && index.provider(target.providerId) !== undefined) {
      const e = index.get(target.written);
      if (e === undefined) {
        const close = suggestions(
          target.modelId,
          index.modelsOf(target.providerId).map((m) => m.model.id),
          3,
        ).map((id) => `${target.providerId}/${id}`);
        push(
          path,
          "RESOLVER_UNKNOWN_MODEL",
          "error",
          `Provider "${target.providerId}" has no model "${target.modelId}"${via}.`,
          close,
        );
        return;
      }
      if (!e.connected) {
        push(
          path,
          "RESOLVER_PROVIDER_NOT_CONNECTED",
          "warning",
          `Provider "${target.providerId}" is not connected yet${via}; "${e.ref}" will not resolve until it is.`,
        );
      } else if (e.deprecated) {
        push(path, "RESOLVER_DEPRECATED", "warning", `"${e.ref}" is deprecated in the catalog${via}.`);
      }
      return;
    }
    const bare = target.written;
    const choice = chooseBare(index, bare, preferred);
    if ("entry" in choice) return;
    if (choice.candidates.length > 1) {
      const matches = choice.candidates;
      push(
        path,
        "RESOLVER_AMBIGUOUS",
        "error",
        `"${bare}"${via} is a model id that ${matches.length} ${matches.some((m) => m.connected) ? "connected " : ""}providers offer, none of them its maker or preferred; write it as provider/model.`,
        matches
          .filter((m) => m.connected)
          .slice(0, 5)
          .map((m) => m.ref),
      );
      return;
    }
    if (target.kind === "explicit") {
      push(
        path,
        "RESOLVER_UNKNOWN_PROVIDER",
        "error",
        `No provider "${target.providerId}" in the catalog${via}.`,
        suggestions(target.providerId, index.providerIds, 3)
          .map((p) => `${p}/${target.modelId}`)
          .filter((r) => index.get(r) !== undefined),
      );
      return;
    }
    push(
      path,
      "RESOLVER_UNKNOWN_MODEL",
      "error",
      `"${bare}"${via} is not an auto tag, an alias or a model in the catalog.`,
      suggestions(bare, [...AUTO_TAGS, ...DEFAULT_ALIASES, ...Object.keys(aliasTable)], 3),
    );
  };

  for (const key of Object.keys(aliases).sort(byString)) {
    const path = ["modelAliases", key];
    if (parseAutoTag(key) !== null) {
      push(
        path,
        "RESOLVER_ALIAS_SHADOWS_TAG",
        "error",
        `Alias "${key}" has the name of an auto tag; the tag always wins. Rename the alias.`,
      );
      continue;
    }
    if (index !== undefined) {
      const shadowed = index.withModelId(key);
      if (shadowed.length > 0 || index.get(key) !== undefined) {
        const who =
          shadowed.length > 0 ? shadowed.map((m) => m.model.providerId) : [key.split("/")[0] ?? key];
        push(
          path,
          "RESOLVER_ALIAS_SHADOWS_MODEL",
          "error",
          `Alias "${key}" has the id of a real model (offered by ${who.slice(0, 5).join(", ")}${who.length > 5 ? ", …" : ""}), so that model could no longer be named by its id. Rename the alias.`,
        );
      }
    }
    checkRef(path, key);
  }

  // ----- profiles / workers -----------------------------------------------------------------
  const checkProfile = (path: readonly Segment[], profile: unknown) => {
    if (!isRecord(profile)) return; // a string entry names a built-in profile
    if (profile.model !== undefined) {
      if (typeof profile.model === "string") checkRef([...path, "model"], profile.model);
      else if (Array.isArray(profile.model) && profile.model.every((ref) => typeof ref === "string"))
        for (const [i, ref] of (profile.model as string[]).entries()) checkRef([...path, "model", i], ref);
      else
        push(
          [...path, "model"],
          "RESOLVER_INVALID_REFERENCE",
          "error",
          "model must be a string reference or an ordered list of them.",
        );
    }
    if (profile.fallbackModels !== undefined) {
      if (!Array.isArray(profile.fallbackModels)) {
        push(
          [...path, "fallbackModels"],
          "RESOLVER_INVALID_VALUE",
          "error",
          "fallbackModels must be an array of references.",
        );
      } else {
        profile.fallbackModels.forEach((ref, i) => {
          if (typeof ref === "string") checkRef([...path, "fallbackModels", i], ref);
          else
            push(
              [...path, "fallbackModels", i],
              "RESOLVER_INVALID_REFERENCE",
              "error",
              "Each fallback must be a string reference.",
            );
        });
      }
    }
  };
  for (const key of ["profiles", "workers"] as const) {
    const list = config[key];
    if (Array.isArray(list)) {
      for (const [i, p] of list.entries()) checkProfile([key, i], p);
    } else if (isRecord(list))
      for (const id of Object.keys(list).sort(byString)) checkProfile([key, id], list[id]);
  }

  // ----- modelSelection ---------------------------------------------------------------------
  const sel = config.modelSelection;
  if (sel !== undefined) {
    if (!isRecord(sel)) {
      push(["modelSelection"], "RESOLVER_INVALID_VALUE", "error", "modelSelection must be an object.");
    } else {
      if (sel.mode !== undefined && !["performance", "balanced", "economical"].includes(String(sel.mode))) {
        push(
          ["modelSelection", "mode"],
          "RESOLVER_INVALID_VALUE",
          "error",
          `mode must be "performance", "balanced" or "economical", not ${JSON.stringify(sel.mode)}.`,
          suggestions(String(sel.mode), ["performance", "balanced", "economical"], 1),
        );
      }
      const maxCost = sel.maxCostPer1kTokens;
      if (maxCost !== undefined) {
        if (typeof maxCost !== "number" || !Number.isFinite(maxCost) || maxCost < 0) {
          push(
            ["modelSelection", "maxCostPer1kTokens"],
            "RESOLVER_INVALID_VALUE",
            "error",
            "maxCostPer1kTokens must be a number ≥ 0 (USD per 1k input tokens).",
          );
        } else if (maxCost >= 1) {
          push(
            ["modelSelection", "maxCostPer1kTokens"],
            "RESOLVER_SUSPICIOUS_COST_UNIT",
            "warning",
            `maxCostPer1kTokens is ${maxCost} USD per 1k tokens, i.e. ${maxCost * 1000} USD per 1M: that caps almost nothing. Catalog prices are per 1M; did you mean ${maxCost / 1000}?`,
          );
        }
      }
      const prefs = sel.preferredProviders;
      if (prefs !== undefined) {
        if (!Array.isArray(prefs)) {
          push(
            ["modelSelection", "preferredProviders"],
            "RESOLVER_INVALID_VALUE",
            "error",
            "preferredProviders must be an array of provider ids.",
          );
        } else if (index !== undefined) {
          prefs.forEach((p, i) => {
            const path = ["modelSelection", "preferredProviders", i];
            if (typeof p !== "string")
              push(path, "RESOLVER_INVALID_VALUE", "error", "A provider id must be a string.");
            else if (index.provider(p) === undefined) {
              push(
                path,
                "RESOLVER_UNKNOWN_PROVIDER",
                "error",
                `No provider "${p}" in the catalog.`,
                suggestions(p, index.providerIds, 3),
              );
            } else if (!index.connected.has(p)) {
              push(
                path,
                "RESOLVER_PROVIDER_NOT_CONNECTED",
                "warning",
                `Preferred provider "${p}" is not connected; it is skipped until it is.`,
              );
            }
          });
        }
      }
      // A cap keyed by a provider the catalog does not know caps nothing: say so.
      const caps = sel.maxConcurrent;
      if (index !== undefined && isRecord(caps)) {
        for (const p of Object.keys(caps).sort(byString)) {
          if (index.provider(p) === undefined)
            push(
              ["modelSelection", "maxConcurrent", p],
              "RESOLVER_UNKNOWN_PROVIDER",
              "error",
              `No provider "${p}" in the catalog, so this cap limits nothing.`,
              suggestions(p, index.providerIds, 3),
            );
        }
      }
    }
  }

  // ----- capabilityOverrides ----------------------------------------------------------------
  const overrides = config.capabilityOverrides;
  if (overrides !== undefined && index !== undefined && isRecord(overrides)) {
    for (const ref of Object.keys(overrides).sort(byString)) {
      if (index.get(ref) === undefined) {
        push(
          ["capabilityOverrides", ref],
          "RESOLVER_UNKNOWN_MODEL",
          "error",
          `capabilityOverrides names "${ref}", which is not a provider/model in the catalog.`,
          suggestions(
            ref,
            index.models.map((m) => m.ref),
            3,
          ),
        );
      }
    }
  }
  return issues;
}
