/** Input modalities OpenCode's config schema accepts. */
export type Modality = "text" | "audio" | "image" | "video" | "pdf";

/** A fake model the scripted server declares, with the capabilities OpenCode will see. */
export interface FakeModel {
  /** Model id (what clients send as `model`). */
  id: string;
  /** Display name (default: the id). */
  name?: string;
  /** Supports tool calls (default true). */
  toolCall?: boolean;
  /** Accepts images: sets `attachment: true` and adds `image` to the input modalities. */
  vision?: boolean;
  /** Accepts file attachments (default: same as `vision`). */
  attachment?: boolean;
  /** A reasoning model. */
  reasoning?: boolean;
  /** Input modalities (default `["text"]`, plus `image` with `vision`). */
  input?: Modality[];
  /** Price in USD per 1M tokens (cache prices optional). Leave undefined for "unknown cost". */
  cost?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** Context window in tokens (default 128000). */
  context?: number;
  /** Maximum output tokens (default 8192). */
  output?: number;
  /** Release date, `YYYY-MM-DD`. */
  releaseDate?: string;
  /** Catalog status. */
  status?: "alpha" | "beta" | "deprecated";
}

/** One model entry of an OpenCode `provider.<id>.models` block (field names as in OpenCode's config schema). */
export interface OpencodeModelConfig {
  /** Display name. */
  name: string;
  /** Supports tool calls. */
  tool_call: boolean;
  /** Accepts attachments. */
  attachment?: boolean;
  /** Reasoning model. */
  reasoning?: boolean;
  /** Input and output modalities. */
  modalities?: { input: Modality[]; output: Modality[] };
  /** USD per 1M tokens. */
  cost?: { input: number; output: number; cache_read?: number; cache_write?: number };
  /** Token limits. */
  limit: { context: number; output: number };
  /** Release date. */
  release_date?: string;
  /** Catalog status. */
  status?: "alpha" | "beta" | "deprecated";
}

/** An OpenCode `provider.<id>` block for an OpenAI-compatible endpoint. */
export interface OpencodeProviderConfig {
  /** Always `@ai-sdk/openai-compatible` (bundled in the OpenCode binary, no install). */
  npm: "@ai-sdk/openai-compatible";
  /** Display name. */
  name: string;
  /** Where OpenCode sends requests. */
  options: { baseURL: string; apiKey: string };
  /** The declared models. */
  models: Record<string, OpencodeModelConfig>;
}

/**
 * Ready-made fake models with distinct capabilities, for routing tests.
 * `fake-fast` is cheap and tool-capable, `fake-vision` takes images, `fake-reasoner` reasons and
 * costs more, `fake-no-tools` cannot call tools, `fake-unpriced` has no cost.
 */
export const presetModels: readonly FakeModel[] = [
  { id: "fake-fast", name: "Fake Fast", cost: { input: 0.1, output: 0.4 }, context: 128_000, output: 8_192 },
  {
    id: "fake-vision",
    name: "Fake Vision",
    vision: true,
    cost: { input: 1, output: 4 },
    context: 200_000,
    output: 16_384,
  },
  {
    id: "fake-reasoner",
    name: "Fake Reasoner",
    reasoning: true,
    cost: { input: 5, output: 25 },
    context: 400_000,
    output: 64_000,
  },
  { id: "fake-no-tools", name: "Fake No Tools", toolCall: false, cost: { input: 0.05, output: 0.1 } },
  { id: "fake-unpriced", name: "Fake Unpriced" },
];

/** The OpenCode model entry for a fake model. */
export function toOpencodeModel(model: FakeModel): OpencodeModelConfig {
  const vision = model.vision ?? false;
  const input: Modality[] = model.input ?? (vision ? ["text", "image"] : ["text"]);
  const attachment = model.attachment ?? vision;
  const entry: OpencodeModelConfig = {
    name: model.name ?? model.id,
    tool_call: model.toolCall ?? true,
    limit: { context: model.context ?? 128_000, output: model.output ?? 8_192 },
    modalities: { input, output: ["text"] },
  };
  if (attachment) entry.attachment = true;
  if (model.reasoning) entry.reasoning = true;
  if (model.cost)
    entry.cost = {
      input: model.cost.input,
      output: model.cost.output,
      ...(model.cost.cacheRead === undefined ? {} : { cache_read: model.cost.cacheRead }),
      ...(model.cost.cacheWrite === undefined ? {} : { cache_write: model.cost.cacheWrite }),
    };
  if (model.releaseDate) entry.release_date = model.releaseDate;
  if (model.status) entry.status = model.status;
  return entry;
}

/** The OpenCode provider block for a set of fake models served at `baseURL` (ending in `/v1`). */
export function toOpencodeProvider(
  baseURL: string,
  models: readonly FakeModel[],
  name = "Scripted",
): OpencodeProviderConfig {
  return {
    npm: "@ai-sdk/openai-compatible",
    name,
    options: { baseURL, apiKey: "x" },
    models: Object.fromEntries(models.map((m) => [m.id, toOpencodeModel(m)])),
  };
}
