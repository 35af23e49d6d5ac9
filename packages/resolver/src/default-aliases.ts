// Default aliases (`sonnet`, `gpt-mini`, `gemini-flash`, …): a family name that resolves, at resolve
// time, to the newest current model of that family among the connected providers.
import type { IndexedModel } from "./catalog-index.js";

/** Every default alias, in documentation order (a tuple, so a schema or a CLI can list them). */
export const DEFAULT_ALIASES = [
  "sonnet",
  "opus",
  "haiku",
  "gpt",
  "gpt-mini",
  "gemini",
  "gemini-flash",
  "gemini-pro",
] as const;

/** One of {@link DEFAULT_ALIASES}. */
export type DefaultAlias = (typeof DEFAULT_ALIASES)[number];

/** A model family a default alias stands for. */
export interface Family {
  /** In words: `Claude Sonnet`. */
  readonly label: string;
  /** The first-party providers (the maker's own APIs), best first. */
  readonly makers: readonly string[];
  /** A cheap test before the patterns: the normalised id contains this. */
  readonly keyword: string;
  /** Vendor prefixes gateways put before the maker's id (`anthropic/`, `us.anthropic.`). */
  readonly vendor: RegExp;
  /** Normalised ids of the family; groups: 1 major, 2 minor (optional), 3 snapshot date or preview. */
  readonly patterns: readonly RegExp[];
}

const CLAUDE_VENDOR = /^(?:(?:us|eu|apac|au|jp|global)\.)?anthropic[./]/;
const claude = (tier: string): Family => ({
  label: `Claude ${tier[0]?.toUpperCase()}${tier.slice(1)}`,
  makers: ["anthropic"],
  keyword: tier,
  vendor: CLAUDE_VENDOR,
  patterns: [
    new RegExp(`^claude-${tier}-(\\d+)(?:[.-](\\d{1,2}))?(?:-(\\d{8}))?$`),
    new RegExp(`^claude-(\\d+)(?:[.-](\\d{1,2}))?-${tier}(?:-(\\d{8}|latest))?$`),
  ],
});
const gpt = (suffix: string, label: string): Family => ({
  label,
  makers: ["openai"],
  keyword: "gpt-",
  vendor: /^openai\//,
  patterns: [new RegExp(`^gpt-(\\d+)(?:\\.(\\d+))?o?${suffix}(?:-(\\d{4}-\\d{2}-\\d{2}))?$`)],
});
const gemini = (tier: string): Family => ({
  label: `Gemini ${tier[0]?.toUpperCase()}${tier.slice(1)}`,
  makers: ["google", "google-vertex"],
  keyword: `-${tier}`,
  vendor: /^google\//,
  patterns: [new RegExp(`^gemini-(\\d+)(?:\\.(\\d+))?-${tier}(-preview(?:-\\d{2}-\\d{2})?)?$`)],
});

/**
 * The families. Each pattern admits the family's plain model and its dated snapshots only: a flagship's
 * `-fast` variant, `-lite`, `-image`, `-tts`, `:thinking`, `-free`, `stealth/…` and other products
 * built on the family are not the family's model. `gemini` is Gemini Pro, the flagship.
 */
const FAMILIES: Readonly<Record<DefaultAlias, Family>> = {
  sonnet: claude("sonnet"),
  opus: claude("opus"),
  haiku: claude("haiku"),
  gpt: gpt("", "GPT"),
  "gpt-mini": gpt("-mini", "GPT mini"),
  gemini: gemini("pro"),
  "gemini-flash": gemini("flash"),
  "gemini-pro": gemini("pro"),
};

/** The family a default alias stands for. */
export function familyOf(name: DefaultAlias): Family {
  return FAMILIES[name];
}

/** `true` when `name` is a default alias. */
export function isDefaultAlias(name: string): name is DefaultAlias {
  return Object.hasOwn(FAMILIES, name);
}

/** What a default alias stands for, in words (for `orchestra resolve --list-aliases`). */
export function describeDefaultAlias(name: DefaultAlias): string {
  const f = familyOf(name);
  return `the newest ${f.label} of the connected providers (${f.makers.join(", ")} first)`;
}

/** A family member: its entry and its sort keys. */
export interface Member {
  readonly entry: IndexedModel;
  readonly major: number;
  readonly minor: number;
  /** The version as written, `5` or `4.5`. */
  readonly version: string;
  /** A dated snapshot or a preview (the plain id of the same version is preferred). */
  readonly qualified: boolean;
}

/** The entry as a member of the family, or `undefined` when its id is not one of the family's. */
export function familyMember(f: Family, e: IndexedModel): Member | undefined {
  const raw = e.model.id.toLowerCase();
  if (!raw.includes(f.keyword)) return undefined;
  const id = raw
    .replace(f.vendor, "")
    .replace(/@.*$/, "")
    .replace(/-v\d+(:\d+)?$/, "");
  for (const p of f.patterns) {
    const m = p.exec(id);
    if (m !== null) {
      return {
        entry: e,
        major: Number(m[1]),
        minor: m[2] === undefined ? 0 : Number(m[2]),
        version: m[2] === undefined ? `${Number(m[1])}` : `${Number(m[1])}.${Number(m[2])}`,
        qualified: m[3] !== undefined,
      };
    }
  }
  return undefined;
}
