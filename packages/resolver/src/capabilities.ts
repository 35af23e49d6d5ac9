import type { CatalogModel, Modality, ModalitySet } from "./catalog.js";
import { MODALITIES } from "./catalog.js";

/**
 * Every {@link ModelKind}, `chat` first (a tuple, so a schema can take it as an enum). Only `chat`
 * models are picked by auto tags or accepted for workers; the others are generators or classifiers
 * that happen to sit in the same catalog.
 */
export const MODEL_KINDS = [
  "chat",
  "embedding",
  "rerank",
  "moderation",
  "transcription",
  "tts",
  "image",
  "video",
  "audio",
] as const;

/** What a model is for (one of {@link MODEL_KINDS}). */
export type ModelKind = (typeof MODEL_KINDS)[number];

/**
 * Where a capability value came from, in precedence order (first wins):
 * `override` (user config) > `catalog` (catalog metadata) > `provider` (a provider query) >
 * `inferred` (model-name patterns) > `default` (nobody said; the safe default was used).
 */
export type CapabilitySource = "override" | "catalog" | "provider" | "inferred" | "default";

/** The precedence of {@link CapabilitySource}s, highest first. */
export const CAPABILITY_PRECEDENCE: readonly CapabilitySource[] = [
  "override",
  "catalog",
  "provider",
  "inferred",
  "default",
];

/** The capability fields whose origin is recorded, e.g. `toolCall` or `input.image`. */
export type CapabilityField =
  | "kind"
  | "attachment"
  | "reasoning"
  | "toolCall"
  | "contextWindow"
  | "maxOutputTokens"
  | `input.${Modality}`
  | `output.${Modality}`;

/** A partial set of capabilities, as one source states them. Unstated fields are unknown. */
export interface CapabilityPatch {
  /** What the model is for. */
  readonly kind?: ModelKind;
  /** Accepts attachments. */
  readonly attachment?: boolean;
  /** Has a reasoning mode. */
  readonly reasoning?: boolean;
  /** Supports tool calls. */
  readonly toolCall?: boolean;
  /** Shorthand for `input.image`: vision means image input. */
  readonly vision?: boolean;
  /** Input modalities. */
  readonly input?: Partial<ModalitySet>;
  /** Output modalities. */
  readonly output?: Partial<ModalitySet>;
  /** Context window in tokens; 0 or `null` means unknown and is ignored. */
  readonly contextWindow?: number | null;
  /** Maximum output tokens; 0 or `null` means unknown and is ignored. */
  readonly maxOutputTokens?: number | null;
}

/** The merged capabilities of one model, with the origin of every field. */
export interface ModelCapabilities {
  /** What the model is for. */
  readonly kind: ModelKind;
  /** Image input (`input.image`). Not the same as `attachment`. */
  readonly vision: boolean;
  /** Accepts attachments. */
  readonly attachment: boolean;
  /** Has a reasoning mode. */
  readonly reasoning: boolean;
  /** Supports tool calls. */
  readonly toolCall: boolean;
  /** Input modalities. */
  readonly input: ModalitySet;
  /** Output modalities. */
  readonly output: ModalitySet;
  /** Context window in tokens, `null` when unknown (never "fits"). */
  readonly contextWindow: number | null;
  /** Maximum output tokens, `null` when unknown. */
  readonly maxOutputTokens: number | null;
  /** Where each field's value came from. */
  readonly sources: Readonly<Record<CapabilityField, CapabilitySource>>;
}

/** One source's statement, for {@link mergeCapabilities}. */
export interface CapabilityLayer {
  /** Which source this is. */
  readonly source: Exclude<CapabilitySource, "default">;
  /** What it states. */
  readonly patch: CapabilityPatch | undefined;
}

// ---------------------------------------------------------------------------------------------
// Name inference
// ---------------------------------------------------------------------------------------------

const KIND_PATTERNS: readonly (readonly [ModelKind, RegExp])[] = [
  ["embedding", /embed/],
  ["rerank", /rerank/],
  ["tts", /(^|[-_/.\s])tts([-_/.\s]|$)|text-to-speech|voice-?(design|clone)/],
  ["transcription", /whisper|transcri|(^|[-_/.\s])(asr|stt)([-_/.\s]|$)/],
  ["moderation", /llama-guard|prompt-guard|shieldgemma|moderation/],
  ["image", /dall-e|imagen-|gpt-image|stable-diffusion|sdxl|(^|[-_/])flux[-._]|seedream|recraft|ideogram/],
  ["video", /(^|[-_/])(sora|veo|kling|seedance|hailuo)([-_.]|\d|$)/],
];

/** One pass that tells whether any kind pattern can match (most models are chat and fail it fast). */
const ANY_KIND = new RegExp(KIND_PATTERNS.map(([, r]) => `(?:${r.source})`).join("|"));

const VISION =
  /vision|(^|[-_/.])vl([-_/.]|$)|pixtral|llava|gpt-4o|gpt-4\.1|gpt-5|claude-(3|sonnet|opus|haiku)|gemini/;
const REASONING = /(^|[-_/])o[134]([-_]|$)|reason|think|(^|[-_/])r1([-_]|$)|deepseek-r/;

/**
 * Capabilities guessed from the model's id and name. The lowest-precedence source: it only fills
 * what no other source states. `kind` is stated only when a kind pattern matched (a name that says
 * nothing leaves it to the `default` source, so provenance never claims an inference that was not made). Used chiefly to tell embedding, rerank, TTS, transcription,
 * moderation and image/video generators from chat models (the catalog has no "kind" field).
 */
export function inferCapabilitiesFromName(id: string, name = ""): CapabilityPatch {
  return inferFromLowerText(`${id} ${name}`.toLowerCase());
}

/** {@link inferCapabilitiesFromName} on an already lower-cased `"<id> <name>"`. @internal */
export function inferFromLowerText(text: string): CapabilityPatch {
  const out: { kind?: ModelKind; vision?: boolean; reasoning?: boolean } = {};
  if (ANY_KIND.test(text)) {
    for (const [k, pattern] of KIND_PATTERNS) {
      if (pattern.test(text)) {
        out.kind = k;
        break;
      }
    }
  }
  if (VISION.test(text)) out.vision = true;
  if (REASONING.test(text)) out.reasoning = true;
  return out;
}

/**
 * The catalog's statement about a model as a patch. The catalog has no kind field, so `kind` is
 * stated only where the modalities prove it: no text output means an image, video or audio/TTS
 * generator; audio input without text input means transcription. Otherwise kind is left unknown.
 */
export function catalogPatch(model: CatalogModel): CapabilityPatch {
  const caps = model.capabilities;
  const out = caps.output;
  const inp = caps.input;
  const patch: {
    kind?: ModelKind;
    attachment?: boolean;
    reasoning?: boolean;
    toolCall?: boolean;
    input?: Partial<ModalitySet>;
    output?: Partial<ModalitySet>;
    contextWindow?: number | null;
    maxOutputTokens?: number | null;
  } = { contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens };
  if (out !== undefined && out.text === false) {
    if (out.image === true) patch.kind = "image";
    else if (out.video === true) patch.kind = "video";
    else if (out.audio === true) patch.kind = inp?.text === true ? "tts" : "audio";
  } else if (inp !== undefined && inp.text === false && inp.audio === true) {
    patch.kind = "transcription";
  }
  if (caps.attachment !== undefined) patch.attachment = caps.attachment;
  if (caps.reasoning !== undefined) patch.reasoning = caps.reasoning;
  if (caps.toolCall !== undefined) patch.toolCall = caps.toolCall;
  if (inp !== undefined) patch.input = inp;
  if (out !== undefined) patch.output = out;
  return patch;
}

// ---------------------------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------------------------

function known(n: number | null | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n) && n > 0;
}

type Getter = (p: CapabilityPatch) => unknown;

const modalGetter =
  (dir: "input" | "output", m: Modality): Getter =>
  (p) =>
    dir === "input" && m === "image" && p.vision !== undefined ? p.vision : p[dir]?.[m];

/** Every recorded field, its getter and its default, built once. */
const FIELDS: readonly (readonly [CapabilityField, Getter, unknown])[] = [
  ["kind", (p) => p.kind, "chat"],
  ["attachment", (p) => p.attachment, false],
  ["reasoning", (p) => p.reasoning, false],
  ["toolCall", (p) => p.toolCall, false],
  ...MODALITIES.map((m) => [`input.${m}` as CapabilityField, modalGetter("input", m), m === "text"] as const),
  ...MODALITIES.map(
    (m) => [`output.${m}` as CapabilityField, modalGetter("output", m), m === "text"] as const,
  ),
  ["contextWindow", (p) => (known(p.contextWindow) ? p.contextWindow : undefined), null],
  ["maxOutputTokens", (p) => (known(p.maxOutputTokens) ? p.maxOutputTokens : undefined), null],
];

const RANK: Readonly<Record<CapabilitySource, number>> = {
  override: 0,
  catalog: 1,
  provider: 2,
  inferred: 3,
  default: 4,
};

/**
 * Merge capability statements field by field. Layers may come in any order; precedence is fixed:
 * `override` > `catalog` > `provider` > `inferred`, and a field nobody states takes a safe default
 * (no vision, no tools, no reasoning, text in and out, context unknown) with source `default`.
 *
 * Why this order: the user's override is a deliberate correction and always wins; catalog metadata is
 * curated per model; a provider query (e.g. a `/v1/models` answer) is live but sparse and fills gaps;
 * name patterns are a guess and only fill what nobody else says. `vision` is `input.image`.
 */
export function mergeCapabilities(layers: readonly CapabilityLayer[]): ModelCapabilities {
  const ordered: CapabilityPatch[] = [];
  const origin: CapabilitySource[] = [];
  for (const rank of [0, 1, 2, 3]) {
    for (const layer of layers) {
      if (layer.patch !== undefined && RANK[layer.source] === rank) {
        ordered.push(layer.patch);
        origin.push(layer.source);
      }
    }
  }
  const v: unknown[] = new Array(FIELDS.length);
  const src: CapabilitySource[] = new Array(FIELDS.length);
  for (let f = 0; f < FIELDS.length; f++) {
    const [, get, fallback] = FIELDS[f] as (typeof FIELDS)[number];
    let value: unknown;
    let source: CapabilitySource = "default";
    for (let l = 0; l < ordered.length; l++) {
      value = get(ordered[l] as CapabilityPatch);
      if (value !== undefined) {
        source = origin[l] as CapabilitySource;
        break;
      }
    }
    src[f] = source;
    v[f] = value === undefined ? fallback : value;
  }
  const b = (i: number) => v[i] as boolean;
  const input = modalitySet(b(4), b(5), b(6), b(7), b(8));
  const output = modalitySet(b(9), b(10), b(11), b(12), b(13));
  return {
    kind: v[0] as ModelKind,
    vision: input.image,
    attachment: b(1),
    reasoning: b(2),
    toolCall: b(3),
    input,
    output,
    contextWindow: v[14] as number | null,
    maxOutputTokens: v[15] as number | null,
    sources: sourcesOf(src),
  };
}

// Most models share the same modality sets and source maps: intern them (frozen) to save memory and time.
const MODAL_SETS = new Map<number, ModalitySet>();
function modalitySet(
  text: boolean,
  image: boolean,
  audio: boolean,
  video: boolean,
  pdf: boolean,
): ModalitySet {
  const key = +text | (+image << 1) | (+audio << 2) | (+video << 3) | (+pdf << 4);
  let set = MODAL_SETS.get(key);
  if (set === undefined) {
    set = Object.freeze({ text, image, audio, video, pdf });
    MODAL_SETS.set(key, set);
  }
  return set;
}

const SOURCE_CODE: Readonly<Record<CapabilitySource, string>> = {
  override: "o",
  catalog: "c",
  provider: "p",
  inferred: "i",
  default: "d",
};
const SOURCE_MAPS = new Map<string, Readonly<Record<CapabilityField, CapabilitySource>>>();
function sourcesOf(src: readonly CapabilitySource[]): Readonly<Record<CapabilityField, CapabilitySource>> {
  let key = "";
  for (const s of src) key += SOURCE_CODE[s];
  let map = SOURCE_MAPS.get(key);
  if (map === undefined) {
    const out = {} as Record<CapabilityField, CapabilitySource>;
    FIELDS.forEach(([field], i) => {
      out[field] = src[i] as CapabilitySource;
    });
    map = Object.freeze(out);
    SOURCE_MAPS.set(key, map);
  }
  return map;
}

/**
 * `true` for a model auto tags may pick and workers may use: kind `chat`, text output and text input.
 * (Deprecation is a catalog status, checked separately.)
 */
export function isChatModel(caps: ModelCapabilities): boolean {
  return caps.kind === "chat" && caps.output.text && caps.input.text;
}
