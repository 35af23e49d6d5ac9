import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { EffectiveProfile } from "@orchestra/profiles";
import {
  describeCapabilities,
  describeResolution,
  describeResolverError,
  type ModelConfigInput,
  type ModelConfigIssue,
  type ModelSummary,
  type Resolution,
  type ResolvedCost,
  type Resolver,
  ResolverError,
  validateModelConfig,
} from "@orchestra/resolver";
import type { Orchestra, ProfileModelChange } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { formatArg, guarded, respond, table } from "./format.js";

const z = tool.schema;

const usd = (n: number): string => `$${Number(n.toPrecision(6))}`;

/** `128000` → `128k`, `null` → `?` (unknown: never "fits"). */
function tokens(n: number | null): string {
  if (n === null) return "?";
  return n >= 1_000_000 ? `${Number((n / 1_000_000).toFixed(2))}M` : `${Math.round(n / 1000)}k`;
}

function price(cost: ResolvedCost | null): string {
  return cost === null ? "unknown" : `${usd(cost.input)} / ${usd(cost.output)}`;
}

/** The model keys of the config, in the shape {@link validateModelConfig} reads. */
function modelConfigInput(orchestra: Orchestra): ModelConfigInput {
  const { modelAliases, modelSelection, profiles, workers, capabilityOverrides } = orchestra.config;
  return { modelAliases, modelSelection, profiles, workers, capabilityOverrides };
}

const checked = new WeakMap<Resolver, ModelConfigIssue[]>();

/**
 * Problems in the model part of the config (alias cycles, unknown models, aliases shadowing
 * models, unknown tags…), each naming its JSON path. Checked against the live catalog when it can
 * be fetched (memoised per catalog), otherwise with the checks that need no catalog.
 */
export async function modelConfigIssues(orchestra: Orchestra): Promise<ModelConfigIssue[]> {
  let resolver: Resolver;
  try {
    resolver = await orchestra.resolver();
  } catch {
    return validateModelConfig(modelConfigInput(orchestra));
  }
  let issues = checked.get(resolver);
  if (!issues) {
    issues = validateModelConfig(modelConfigInput(orchestra), resolver.index);
    checked.set(resolver, issues);
  }
  return issues;
}

/** One issue as a line: `error at modelAliases.fast: … (did you mean …)`. */
export function formatModelConfigIssue(i: ModelConfigIssue): string {
  return `${i.severity} at ${i.path}: [${i.code}] ${i.message}${i.suggestions?.length ? ` (did you mean: ${i.suggestions.join(", ")})` : ""}`;
}

interface ProfileRow {
  id: string;
  name?: string;
  kind?: string;
  purpose?: string;
  whenToUse?: string;
  /** The profile's own model reference. */
  model?: string;
  fallbackModels?: readonly string[];
  supportsVision?: boolean;
  /** Set by set_profile_model; wins over `model`. */
  modelOverride?: string;
  /** What a spawn would get now. */
  resolvedModel?: string;
  /** Why it cannot resolve now. */
  resolveError?: string;
  /** Why the profile itself is unusable. */
  error?: string;
}

/** The model tools: profiles, catalog listing, resolution with reasons, per-profile model overrides. */
export function modelTools(orchestra: Orchestra, activity?: Activity): Record<string, ToolDefinition> {
  // Catalog-free checks at start (alias cycles, unknown tags…); the catalog checks run in orchestrator_status.
  if (activity)
    for (const issue of validateModelConfig(modelConfigInput(orchestra)))
      activity.log("info", `model config ${formatModelConfigIssue(issue)}`);

  /** Resolve what a worker of `profile` would get, as spawn does (override > set_profile_model > profile). */
  async function landing(profile: EffectiveProfile): Promise<{ model?: string; error?: string }> {
    try {
      return { model: (await orchestra.resolveModel(profile.id)).model };
    } catch (error) {
      if (ResolverError.isResolverError(error)) return { error: `[${error.code}] ${error.message}` };
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    list_profiles: tool({
      description:
        "List the worker profiles (purpose, when to use each, worker kind, configured model and the model a spawn would get now). Use before spawn_worker or delegate_task to choose a profile, or to check which model a profile lands on.",
      args: {
        includeDisabled: z
          .boolean()
          .optional()
          .describe("Also list profiles that exist but are not enabled in the config (default false)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const rows: ProfileRow[] = await Promise.all(
            orchestra.profiles
              .list({ includeDisabled: args.includeDisabled === true })
              .map(async (entry): Promise<ProfileRow> => {
                if (!entry.ok) return { id: entry.id, error: `[${entry.error.code}] ${entry.error.message}` };
                const p = entry.resolved.profile;
                const override = orchestra.profileModel(p.id);
                const now = await landing(p);
                return {
                  id: p.id,
                  name: p.name,
                  kind: p.kind,
                  purpose: p.purpose,
                  whenToUse: p.whenToUse,
                  model: p.model,
                  fallbackModels: p.fallbackModels,
                  supportsVision: p.supportsVision,
                  ...(override === undefined ? {} : { modelOverride: override }),
                  ...(now.model === undefined ? {} : { resolvedModel: now.model }),
                  ...(now.error === undefined ? {} : { resolveError: now.error }),
                };
              }),
          );
          return respond(args.format, rows, () =>
            rows.length === 0
              ? "No profiles are enabled; add some to the config's `profiles` array."
              : rows
                  .map((r) => {
                    if (r.error) return `${r.id}: unusable: ${r.error}`;
                    const chosen = r.modelOverride
                      ? `${r.modelOverride} (set by set_profile_model; profile: ${r.model})`
                      : `${r.model}${r.fallbackModels?.length ? `, then ${r.fallbackModels.join(", ")}` : ""}`;
                    return [
                      `${r.id} (${r.kind} worker): model ${chosen} → ${r.resolvedModel ?? `unresolved: ${r.resolveError}`}`,
                      `  purpose: ${r.purpose}`,
                      `  when to use: ${r.whenToUse}`,
                    ].join("\n");
                  })
                  .join("\n"),
          );
        }),
    }),

    list_models: tool({
      description:
        "List the chat models workers can use, filtered by capability (vision, reasoning, tools) and input price, most capable first; connected providers only unless asked. Use to choose a model for set_profile_model or spawn_worker model=…, or to see what a budget allows.",
      args: {
        vision: z.boolean().optional().describe("true: only models with image input."),
        reasoning: z.boolean().optional().describe("true: only models with a reasoning mode."),
        tools: z
          .boolean()
          .optional()
          .describe("true: only models that support tool calls (workers need them)."),
        maxCostPer1kTokens: z
          .number()
          .min(0)
          .max(1000)
          .optional()
          .describe(
            "Only models whose INPUT price is at most this, in USD per 1k tokens (e.g. 0.003 = $3 per 1M). Models of unknown price are left out.",
          ),
        provider: z.string().optional().describe("Only this provider id, e.g. anthropic."),
        includeDisconnected: z
          .boolean()
          .optional()
          .describe("Also list providers that are known but not connected (default false)."),
        sort: z
          .enum(["score", "price", "ref"])
          .optional()
          .describe('"score" (default, most capable first), "price" (cheapest first) or "ref".'),
        limit: z.number().int().min(1).max(500).optional().describe("At most this many (default 30)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const resolver = await orchestra.resolver();
          const require: { vision?: boolean; reasoning?: boolean; toolCall?: boolean } = {};
          if (args.vision === true) require.vision = true;
          if (args.reasoning === true) require.reasoning = true;
          if (args.tools === true) require.toolCall = true;
          const all = resolver.listModels({
            connectedOnly: args.includeDisconnected !== true,
            require,
            ...(args.maxCostPer1kTokens === undefined ? {} : { maxCostPer1kTokens: args.maxCostPer1kTokens }),
            ...(args.provider === undefined ? {} : { provider: args.provider }),
            ...(args.sort === undefined ? {} : { sort: args.sort }),
          });
          const models: ModelSummary[] = all.slice(0, args.limit ?? 30);
          return respond(args.format, { total: all.length, models }, () => {
            if (all.length === 0) {
              const connected = [...resolver.index.connected];
              return `No model matches. Connected providers: ${connected.join(", ") || "none"}.${
                args.includeDisconnected === true ? "" : " Try includeDisconnected=true,"
              } or loosen the filters (a cost cap leaves out models of unknown price).`;
            }
            return [
              `${all.length} model${all.length === 1 ? "" : "s"} match${models.length < all.length ? `; showing ${models.length}` : ""}. Prices are USD per 1M tokens (input / output).`,
              table(
                [
                  "model",
                  "capabilities",
                  "context",
                  "price in/out",
                  ...(args.includeDisconnected ? ["connected"] : []),
                ],
                models.map((m) => [
                  m.model,
                  describeCapabilities(m.capabilities),
                  tokens(m.capabilities.contextWindow),
                  price(m.cost),
                  ...(args.includeDisconnected ? [m.connected ? "yes" : "no"] : []),
                ]),
              ),
            ].join("\n");
          });
        }),
    }),

    resolve_model: tool({
      description:
        "Explain which model a reference or a profile resolves to and why: provenance, capabilities, cost, reasons, rejected candidates; on failure the error code, message and real alternatives. Use before set_profile_model, or when a worker got an unexpected model.",
      args: {
        ref: z
          .string()
          .min(1)
          .optional()
          .describe(
            "A model reference: auto, auto:<tag> (vision, fast, docs, code, reasoning, cheap), an alias or provider/model.",
          ),
        fallbacks: z
          .array(z.string().min(1))
          .max(10)
          .optional()
          .describe("References tried in order when ref cannot be used."),
        profile: z
          .string()
          .optional()
          .describe(
            "Instead of ref: resolve what a new worker of this profile would get (its set_profile_model override, else its model and fallbacks).",
          ),
        vision: z.boolean().optional().describe("true: require image input."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          if ((args.ref === undefined) === (args.profile === undefined))
            throw new Error('Give exactly one of ref (e.g. "auto:vision") or profile (e.g. "coder").');
          const resolver = await orchestra.resolver();
          let result: { ok: true; resolution: Resolution } | { ok: false; error: ResolverError };
          if (args.profile !== undefined) {
            const profile = orchestra.profiles.resolveProfile(args.profile).profile;
            try {
              result = { ok: true, resolution: await orchestra.resolveModel(profile.id) };
            } catch (error) {
              if (!ResolverError.isResolverError(error)) throw error;
              result = { ok: false, error };
            }
          } else {
            const chain = [args.ref as string, ...(args.fallbacks ?? [])];
            result = resolver.tryResolve(chain, args.vision === true ? { require: { vision: true } } : {});
          }
          if (result.ok)
            return respond(args.format, { ok: true, ...result.resolution }, () =>
              describeResolution(result.resolution),
            );
          const error = result.error;
          return respond(
            args.format,
            { ok: false, ...error.toJSON() },
            () =>
              `Cannot resolve ${JSON.stringify(args.ref ?? `profile ${args.profile}`)}:\n${describeResolverError(error)}`,
          );
        }),
    }),

    set_profile_model: tool({
      description:
        "Make later workers of a profile use a given model (checked first: it must resolve and meet the profile's needs, e.g. image input for vision). Running workers keep their model. Use when the user asks for a specific or cheaper model for a kind of work; undo with reset_profile_models.",
      args: {
        profile: z.string().min(1).describe("Profile id; list_profiles shows them."),
        model: z
          .string()
          .min(1)
          .describe("provider/model, an alias or an auto:* tag; list_models shows what exists."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          let change: ProfileModelChange;
          try {
            change = await orchestra.setProfileModel(args.profile, args.model);
          } catch (error) {
            if (!ResolverError.isResolverError(error)) throw error;
            throw new Error(
              `${args.profile} keeps its model: ${JSON.stringify(args.model)} cannot be used.\n${describeResolverError(error)}`,
            );
          }
          const { profile, resolution, previous, runningOnOtherModels: running } = change;
          const answer = {
            profile,
            model: args.model,
            resolvedModel: resolution.model,
            provenance: resolution.provenance,
            previous: previous ?? null,
            runningWorkersOnOtherModels: running.map((w) => ({ id: w.id, model: w.model })),
          };
          activity?.log("info", `set_profile_model ${profile} → ${args.model} (${resolution.model})`);
          return respond(args.format, answer, () =>
            [
              `New ${profile} workers will use ${resolution.model}${args.model === resolution.model ? "" : ` (from "${args.model}")`}; it was ${previous ?? `the profile's own ${orchestra.profiles.resolveProfile(profile).profile.model}`}.`,
              running.length
                ? `Running ${profile} workers keep their model (${running.map((w) => `${w.id}: ${w.model}`).join(", ")}); stop them, or spawn_worker with new=true.`
                : "",
            ]
              .filter(Boolean)
              .join("\n"),
          );
        }),
    }),

    reset_profile_models: tool({
      description:
        "Undo set_profile_model: one profile, or every profile when none is named, goes back to its configured model for later workers. Use when an override is no longer wanted.",
      args: {
        profile: z.string().optional().describe("Only this profile (default: all)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const cleared = orchestra.resetProfileModels(args.profile);
          if (cleared.length)
            activity?.log("info", `reset_profile_models ${cleared.map((c) => c.profile).join(", ")}`);
          return respond(args.format, { cleared }, () =>
            cleared.length === 0
              ? args.profile === undefined
                ? "No profile had a model set; nothing to reset."
                : `${args.profile} had no model set by set_profile_model; nothing to reset.`
              : `Back to their configured models: ${cleared.map((c) => `${c.profile} (was ${c.model})`).join(", ")}.`,
          );
        }),
    }),
  };
}
