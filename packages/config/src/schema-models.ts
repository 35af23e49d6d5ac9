/** Model selection and capability overrides (the enums are the resolver's own). */
import { MODALITIES, MODEL_KINDS, SELECTION_MODES } from "@orchestra/resolver";
import { z } from "zod";

export const modelSelectionSchema = z
  .strictObject({
    mode: z
      .enum(SELECTION_MODES)
      .default("performance")
      .describe(
        "`performance` picks the best capability match, `balanced` trades capability against price, `economical` the cheapest qualifying model.",
      )
      .meta({ examples: ["balanced"] }),
    maxCostPer1kTokens: z
      .number()
      .min(0)
      .max(1_000)
      .optional()
      .describe(
        "Cap on the input (prompt) price in USD per 1k tokens (the catalog's per-1M price divided by 1000). Models of unknown price never pass a cap.",
      )
      .meta({ "x-default": "unset (no cap)", examples: [0.01] }),
    preferredProviders: z
      .array(z.string().min(1).max(100))
      .max(50)
      .default([])
      .describe(
        "An ordered filter with fallback: pick from the first listed provider that has a qualifying model; other connected providers only when none does.",
      )
      .meta({ examples: [["anthropic", "openai"]] }),
    allowFree: z
      .boolean()
      .default(false)
      .describe(
        "Let auto tags pick free models (`:free` / `-free` variants, a provider's free tier): they are rate-limited and may log prompts, so they are opt-in. A price of 0 without a free marker is treated as unknown, not free.",
      )
      .meta({ examples: [true] }),
    allowPreview: z
      .boolean()
      .default(false)
      .describe(
        "Let auto tags pick preview models: catalog status alpha or beta, `alpha`/`beta` in the id, and stealth models (unnamed vendors, prompts may be logged). Opt-in.",
      )
      .meta({ examples: [true] }),
    allowDeprecated: z
      .boolean()
      .default(false)
      .describe(
        "Accept a deprecated model when it is named explicitly (provider/model, an alias). Auto tags never pick deprecated models.",
      )
      .meta({ examples: [true] }),
    fallbackCooldownMs: z
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .default(60_000)
      .describe(
        "After a worker's model fails at run time (429, 5xx, overloaded, quota or auth errors) and the worker falls back to the next model of its profile's list, asks keep to the fallback for this long (ms); the next ask after it tries the first model again.",
      )
      .meta({ examples: [300_000] }),
    maxConcurrent: z
      .record(z.string().min(1).max(100), z.number().int().min(1).max(1_000))
      .default({})
      .describe(
        "The most asks in flight at once per provider id, across every process of the user (every orchestrator and every `orchestra workers ask` share one queue in the data dir, beside the device registry). Asks beyond the cap wait their turn (first in, first out) and say so in their progress; providers not listed have no cap.",
      )
      .meta({ examples: [{ anthropic: 4, openai: 8 }] }),
  })
  .prefault({})
  .describe("Cost-aware model selection (seed §2.3).")
  .meta({ examples: [{ mode: "economical", maxCostPer1kTokens: 0.005 }] });

const flag = (what: string, example: boolean) =>
  z
    .boolean()
    .optional()
    .describe(what)
    .meta({ "x-default": "unset (the catalog's value)", examples: [example] });

const modalityOverrideSchema = (direction: "input" | "output", example: Record<string, boolean>) =>
  z
    .strictObject(
      Object.fromEntries(
        MODALITIES.map((m) => [
          m,
          flag(`Whether the model ${direction === "input" ? "accepts" : "produces"} ${m}.`, m !== "audio"),
        ]),
      ) as Record<(typeof MODALITIES)[number], ReturnType<typeof flag>>,
    )
    .optional()
    .describe(
      `${direction === "input" ? "Input" : "Output"} modalities to correct; modalities not named keep the catalog's value.`,
    )
    .meta({ "x-default": "unset (the catalog's modalities)", examples: [example] });

const tokenLimit = (what: string, example: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .optional()
    .describe(what)
    .meta({
      "x-default": "unset (the catalog's value; a catalog value of 0 means unknown)",
      examples: [example],
    });

export const capabilityOverrideSchema = z
  .strictObject({
    kind: z
      .enum(MODEL_KINDS)
      .optional()
      .describe("What the model is for. Only `chat` models are picked by `auto:*` tags.")
      .meta({ "x-default": "unset (the catalog's value, else inferred from the name)", examples: ["chat"] }),
    vision: flag("Image input (shorthand for `input.image`). Vision is image input, not attachments.", true),
    toolCall: flag("Supports tool calls (every worker is an agent and needs them).", true),
    reasoning: flag("Has a reasoning mode.", true),
    attachment: flag("Accepts file attachments (not the same as vision).", false),
    input: modalityOverrideSchema("input", { image: true, pdf: true }),
    output: modalityOverrideSchema("output", { text: true }),
    contextWindow: tokenLimit("Context window in tokens.", 200_000),
    maxOutputTokens: tokenLimit("Maximum output tokens.", 32_000),
  })
  .describe("Corrections for one model; every field is optional and wins over the catalog.");
