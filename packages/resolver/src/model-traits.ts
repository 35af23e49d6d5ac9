// What a model's id, name and catalog entry say about it beyond capabilities: its size words, whether
// it is a speed/compute variant of another model, free, preview (alpha, beta, stealth), special-purpose,
// and which first party it comes from. Pure functions of one entry (plus its provider's other ids).
import type { CatalogModel } from "./catalog.js";

/** A size class from the family and size words (see `sizeOf`). */
export type SizeHint = "small" | "medium" | "large";

/** Size words, in the quality order `nano < mini/lite/haiku < flash < base/sonnet < pro/opus`. */
const SMALL_WORDS = new Set([
  "nano",
  "tiny",
  "micro",
  "mini",
  "lite",
  "haiku",
  "small",
  "air",
  "instant",
  "flash",
]);
const LARGE_WORDS = new Set(["opus", "pro", "ultra", "max", "large"]);

/** Split an id or name into lower-case words (`claude-opus-4-5` → claude, opus, 4, 5). */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[-_/.\s:@]+/)
    .filter(Boolean);
}

/**
 * The size class from the words of the id (not the display name): any small word makes it small
 * (`flash-lite`, `gpt-5-mini`, `claude-haiku`), else any large word makes it large (`opus`, `pro`),
 * else medium. A parameter count counts too: ≤ 15b small, ≥ 100b large. `fast` is NOT a size word:
 * `claude-opus-5-fast` is a flagship served faster (see {@link variantBase}).
 */
export function sizeOf(id: string): SizeHint {
  let large = false;
  for (const w of wordsOf(id)) {
    if (SMALL_WORDS.has(w)) return "small";
    if (LARGE_WORDS.has(w)) large = true;
    const params = /^(\d+(?:\.\d+)?)b$/.exec(w);
    if (params) {
      const b = Number(params[1]);
      if (b <= 15) return "small";
      if (b >= 100) large = true;
    }
  }
  return large ? "large" : "medium";
}

/** Suffixes that make a speed or compute variant of a base model the same provider offers. */
const VARIANT_SUFFIXES = ["-fast", "-pro", "-max", "-priority", "-highspeed", "-turbo"] as const;

/**
 * The base model id when `id` is a speed/compute variant of a model the provider also offers
 * (`gpt-5.5-pro` → `gpt-5.5`, `claude-opus-5-fast` → `claude-opus-5`), else `undefined`.
 */
export function variantBase(id: string, providerHas: (id: string) => boolean): string | undefined {
  for (const s of VARIANT_SUFFIXES) {
    if (id.endsWith(s)) {
      const base = id.slice(0, -s.length);
      if (providerHas(base)) return base;
    }
  }
  return undefined;
}

/** The catalog or provider says the model is free: a `:free`/`-free` variant or "free" in the name. */
export function isKnownFree(model: CatalogModel): boolean {
  return /[:-]free$/i.test(model.id) || /\bfree\b/i.test(model.name);
}

/** Preview: catalog status alpha/beta, `alpha`/`beta` words in the id, or a stealth model. */
export function previewKind(model: CatalogModel): "alpha" | "beta" | "stealth" | undefined {
  if (/(^|\/)stealth\//i.test(model.id) || /\bstealth\b/i.test(model.name)) return "stealth";
  if (model.status === "alpha" || model.status === "beta") return model.status;
  const w = wordsOf(model.id);
  if (w.includes("alpha")) return "alpha";
  if (w.includes("beta")) return "beta";
  return undefined;
}

const SPECIAL =
  /deep-research|computer-use|realtime|(^|[-_/])live([-_]|$)|customtools|(^|[-_/])image([-_]|$)|audio|translate|(^|[-_/])search([-_]|$)/;

/**
 * A special-purpose chat model (deep research agent, computer use, realtime/live voice, image
 * generation with text output, custom-tools variant…): usable when named, never picked by an auto tag.
 */
export function specialPurpose(id: string): string | undefined {
  return SPECIAL.exec(id.toLowerCase())?.[0].replace(/^[-_/]|[-_]$/g, "");
}

/** A name with no version number (`gpt-daybreak-red-latest`, `big-pickle`): a codename or floating alias. */
export function unversioned(id: string): boolean {
  return !/\d/.test(id.slice(id.lastIndexOf("/") + 1));
}

/** Id prefixes of resold models (`anthropic/claude-…` on openrouter) → the first party's provider id. */
const PREFIX_ORIGIN: Readonly<Record<string, string>> = {
  anthropic: "anthropic",
  openai: "openai",
  google: "google",
  "x-ai": "xai",
  xai: "xai",
  mistralai: "mistral",
  mistral: "mistral",
  deepseek: "deepseek",
  moonshotai: "moonshotai",
  "z-ai": "zai",
  "zai-org": "zai",
  minimax: "minimax",
};

/**
 * Family words → the first party, found at the start of the id or after a vendor word
 * (`github-copilot/claude-opus-5`, `venice/openai-gpt-6-astra`, `amazon-bedrock/us.anthropic.claude-…`).
 */
const FAMILY_ORIGIN: readonly (readonly [RegExp, string])[] = [
  [/(^|[-_/.:])claude-/, "anthropic"],
  [/(^|[-_/.:])(gpt-\d|chatgpt-)|^o[134](-|$)/, "openai"],
  [/(^|[-_/.:])(gemini-|gemma-)/, "google"],
  [/(^|[-_/.:])grok-/, "xai"],
  [/(^|[-_/.:])mimo-/, "xiaomi"],
  [/(^|[-_/.:])glm-?\d/, "zai"],
  [/(^|[-_/.:])kimi-/, "moonshotai"],
  [/(^|[-_/.:])(qwen\d|qwen-|qwq-)/, "alibaba"],
  [/(^|[-_/.:])deepseek-/, "deepseek"],
  [/(^|[-_/.:])(mistral-|ministral-|magistral-|devstral-|codestral-|pixtral-)/, "mistral"],
  [/(^|[-_/.:])minimax-/, "minimax"],
  [/(^|[-_/.:])command-/, "cohere"],
];

/** Where the family word starts in a lower-case id, and its first party. */
function familyMatch(id: string): { at: number; origin: string } | undefined {
  for (const [re, origin] of FAMILY_ORIGIN) {
    const m = re.exec(id);
    if (m) return { at: m.index + (m[1]?.length ?? 0), origin };
  }
  return undefined;
}

/**
 * The first party that makes the model, when the id says so: a known prefix (`anthropic/claude-…`)
 * or a family word (`claude-`, `gpt-`, `gemini-`, `grok-`, `mimo-`, `glm-`, `kimi-`, `qwen`, `deepseek-`,
 * `mistral-`…, `minimax-`, `command-`). `undefined` when unknown.
 */
export function originOf(model: CatalogModel): string | undefined {
  const id = model.id.toLowerCase().replace(/^~/, "");
  const slash = id.indexOf("/");
  if (slash > 0) {
    const origin = PREFIX_ORIGIN[id.slice(0, slash)];
    if (origin !== undefined) return origin;
  }
  return familyMatch(id)?.origin;
}

/**
 * The model's identity across providers: the id from its family word on (else without a vendor
 * prefix), dots as dashes, lower case, no date suffix (`anthropic/claude-sonnet-4.6`,
 * `venice/claude-sonnet-4-6` and `claude-sonnet-4-6` are the same model).
 */
export function sameModelKey(id: string): string {
  const lower = id.toLowerCase();
  const family = familyMatch(lower);
  const from = family !== undefined ? family.at : lower.lastIndexOf("/") + 1;
  return lower
    .slice(from)
    .replace(/[.]/g, "-")
    .replace(/-\d{8}$/, "");
}

/** Providers that resell other vendors' models (besides any provider whose ids carry a vendor prefix). */
export const GATEWAY_PROVIDERS: ReadonlySet<string> = new Set([
  "openrouter",
  "kilo",
  "github-copilot",
  "vercel",
  "requesty",
  "helicone",
  "cloudflare-ai-gateway",
  "llmgateway",
  "zenmux",
  "orcarouter",
  "fastrouter",
  "aihubmix",
  "302ai",
  "nano-gpt",
  "poe",
  "amazon-bedrock",
  "azure",
  "google-vertex-anthropic",
]);
