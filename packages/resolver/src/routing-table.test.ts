// The routing table: for every auto tag × selection mode × connected set, over the committed catalog
// snapshot, the pick (or the set of acceptable picks) an experienced engineer would sign, with why.
//
// How it was written: the expectations below were written from the catalog data (a small script that
// printed each provider's models with price, date, context, tools, reasoning), before the ranking
// was run against them, except where a cell says REVISED (what changed and why).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AUTO_TAGS, type AutoTag } from "./auto-tags.js";
import { buildCatalogIndex, type CatalogIndex } from "./catalog-index.js";
import { parseCatalogBytes } from "./catalog-io.js";
import type { SelectionMode } from "./ranking.js";
import type { Resolution, ResolverConfig } from "./resolution.js";
import { createResolver } from "./resolver.js";

const bytes = readFileSync(
  fileURLToPath(new URL("../fixtures/opencode-1.18.33-provider.json.gz", import.meta.url)),
);
const everyProvider = parseCatalogBytes(bytes, { connected: [] }).providers.map((p) => p.id);

const SETS = {
  anthropic: ["anthropic"],
  openai: ["openai"],
  google: ["google"],
  openrouter: ["openrouter"],
  "anthropic+openai": ["anthropic", "openai"],
  "github-copilot": ["github-copilot"],
  opencode: ["opencode"],
  everything: everyProvider,
} as const satisfies Record<string, readonly string[]>;
type SetName = keyof typeof SETS;

const indexes = new Map<SetName, CatalogIndex>();
function indexOf(set: SetName): CatalogIndex {
  let index = indexes.get(set);
  if (index === undefined) {
    index = buildCatalogIndex(parseCatalogBytes(bytes, { connected: [...SETS[set]] }));
    indexes.set(set, index);
  }
  return index;
}

/** An expectation: acceptable picks, or a property every acceptable pick has (for large sets), and why. */
type Expect =
  | { readonly oneOf: readonly string[]; readonly why: string }
  | {
      readonly check: (r: Resolution, index: CatalogIndex) => boolean;
      readonly property: string;
      readonly why: string;
    };

/** The five quality tags share the expectation of their mode; `auto:fast` and `auto:cheap` have their own. */
interface ModeRow {
  readonly quality: Expect;
  readonly fast: Expect;
  readonly cheap: Expect;
}

const one = (why: string, ...oneOf: string[]): Expect => ({ oneOf, why });

/** Known price > 0, not free, not preview/stealth, not deprecated, not resold while its first party is connected. */
function sane(r: Resolution, index: CatalogIndex): boolean {
  const e = index.get(r.model);
  if (e === undefined) return false;
  return (
    e.price !== null &&
    e.price > 0 &&
    !e.free &&
    e.preview === undefined &&
    !e.deprecated &&
    (e.origin === undefined || !index.connected.has(e.origin))
  );
}
const released = (r: Resolution, from: string): boolean => (r.releaseDate ?? "") >= from;

const ROUTES: Readonly<Record<Exclude<SetName, "opencode">, Readonly<Record<SelectionMode, ModeRow>>>> = {
  anthropic: {
    performance: {
      quality: one(
        "the newest top tier: Fable 5.1 ($10/1M input) above Opus 5.5 ($4)",
        "anthropic/claude-fable-5-1",
      ),
      fast: one(
        "haiku is the small family; never claude-opus-5-5-fast ($8, a flagship served faster)",
        "anthropic/claude-haiku-4-5",
        "anthropic/claude-haiku-4-5-20251001",
      ),
      cheap: one(
        "haiku is the cheapest known price",
        "anthropic/claude-haiku-4-5",
        "anthropic/claude-haiku-4-5-20251001",
      ),
    },
    balanced: {
      quality: one(
        "a current flagship at a fair price: Opus 5.5 ($4/$20) or Sonnet 5 ($2/$10), not Fable ($10/$50)",
        "anthropic/claude-opus-5-5",
        "anthropic/claude-sonnet-5",
      ),
      fast: one("haiku", "anthropic/claude-haiku-4-5", "anthropic/claude-haiku-4-5-20251001"),
      cheap: one("haiku", "anthropic/claude-haiku-4-5", "anthropic/claude-haiku-4-5-20251001"),
    },
    economical: {
      quality: one(
        "haiku is the cheapest and meets every tag (200k context, reasoning, vision)",
        "anthropic/claude-haiku-4-5",
        "anthropic/claude-haiku-4-5-20251001",
      ),
      fast: one("haiku", "anthropic/claude-haiku-4-5", "anthropic/claude-haiku-4-5-20251001"),
      cheap: one("haiku", "anthropic/claude-haiku-4-5", "anthropic/claude-haiku-4-5-20251001"),
    },
  },
  openai: {
    performance: {
      quality: one(
        "GPT-6 Astra is the newest top tier ($10); not luna-pro ($0.1) nor an older gpt-5.x-pro",
        "openai/gpt-6-astra",
        "openai/gpt-6-astra-pro",
      ),
      fast: one("the small family of the current generation", "openai/gpt-6-luna", "openai/gpt-6-luna-pro"),
      cheap: one("gpt-5-nano: $0.05/$0.4, the cheapest known price", "openai/gpt-5-nano"),
    },
    balanced: {
      quality: one("GPT-6 Sol: the current mid tier ($2/$10)", "openai/gpt-6-sol", "openai/gpt-6-sol-pro"),
      fast: one("GPT-6 Luna", "openai/gpt-6-luna", "openai/gpt-6-luna-pro"),
      cheap: one("gpt-5-nano", "openai/gpt-5-nano"),
    },
    economical: {
      quality: one(
        "gpt-5-nano meets every tag (400k context, reasoning, vision) at the lowest price",
        "openai/gpt-5-nano",
      ),
      fast: one("gpt-5-nano is small and the cheapest", "openai/gpt-5-nano"),
      cheap: one("gpt-5-nano", "openai/gpt-5-nano"),
    },
  },
  google: {
    performance: {
      quality: one(
        "Gemini 3.1 Pro is the only current pro (deep-research, computer-use and customtools are special-purpose); not gemma at $0 (unknown price)",
        "google/gemini-3.1-pro-preview",
      ),
      fast: one("the newest flash or flash-lite", "google/gemini-3.8-flash", "google/gemini-3.5-flash-lite"),
      cheap: one(
        "gemini-2.5-flash-lite: $0.1/$0.4, the cheapest known price (gemma's $0 is unknown)",
        "google/gemini-2.5-flash-lite",
      ),
    },
    balanced: {
      quality: one(
        "the newest flash at $0.75, or the pro",
        "google/gemini-3.8-flash",
        "google/gemini-3.1-pro-preview",
      ),
      fast: one("the newest flash", "google/gemini-3.8-flash", "google/gemini-3.5-flash-lite"),
      cheap: one("gemini-2.5-flash-lite", "google/gemini-2.5-flash-lite"),
    },
    economical: {
      quality: one(
        "gemini-2.5-flash-lite meets every tag (1M context, reasoning, vision) at the lowest price",
        "google/gemini-2.5-flash-lite",
      ),
      fast: one("gemini-2.5-flash-lite", "google/gemini-2.5-flash-lite"),
      cheap: one("gemini-2.5-flash-lite", "google/gemini-2.5-flash-lite"),
    },
  },
  openrouter: {
    performance: {
      quality: one(
        "the top tier resold (no first party connected): Fable 5.1 or GPT-6 Astra; never a stealth or :free model",
        "openrouter/anthropic/claude-fable-5.1",
        "openrouter/openai/gpt-6-astra",
        "openrouter/openai/gpt-6-astra-pro",
      ),
      fast: {
        check: (r, i) => sane(r, i) && (i.get(r.model)?.tierPrice ?? 99) <= 1 && released(r, "2026-08-01"),
        property:
          "a small (≤ $1/1M input), current (released ≥ 2026-08), known-priced, non-free, non-preview model",
        why: "many current small families; any of them, never a :free variant or a stealth model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out, not :free, not stealth",
        why: "the cheapest known price; :free variants and stealth/space-bunny-alpha ($0) are opt-in",
      },
    },
    balanced: {
      quality: {
        check: (r, i) => sane(r, i) && released(r, "2026-06-01"),
        property: "known price, current (≥ 2026-06), not free, not preview",
        why: "a current model at a fair price; $0 no longer counts as cheapest",
      },
      fast: {
        check: (r, i) => sane(r, i) && (i.get(r.model)?.tierPrice ?? 99) <= 1,
        property: "small, known price",
        why: "a small model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out",
        why: "auto:cheap ranks by known price in every mode",
      },
    },
    economical: {
      quality: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.2,
        property: "known price ≤ $0.2/1M in+out, not :free, not stealth",
        why: "the issue's economical auto:vision picked stealth/space-bunny-alpha and auto:code a :free variant",
      },
      fast: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.2,
        property: "known price ≤ $0.2/1M in+out",
        why: "cheapest small model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out",
        why: "cheapest known price",
      },
    },
  },
  "anthropic+openai": {
    performance: {
      quality: one(
        "the two newest top tiers are both $10/1M input; either",
        "anthropic/claude-fable-5-1",
        "openai/gpt-6-astra",
        "openai/gpt-6-astra-pro",
      ),
      fast: one(
        "a current small model",
        "openai/gpt-6-luna",
        "openai/gpt-6-luna-pro",
        "anthropic/claude-haiku-4-5",
      ),
      cheap: one("gpt-5-nano", "openai/gpt-5-nano"),
    },
    balanced: {
      quality: one(
        "a current mid tier",
        "openai/gpt-6-sol",
        "openai/gpt-6-sol-pro",
        "anthropic/claude-sonnet-5",
        "anthropic/claude-opus-5-5",
      ),
      fast: one(
        "a current small model",
        "openai/gpt-6-luna",
        "openai/gpt-6-luna-pro",
        "anthropic/claude-haiku-4-5",
      ),
      cheap: one("gpt-5-nano", "openai/gpt-5-nano"),
    },
    economical: {
      quality: one("gpt-5-nano", "openai/gpt-5-nano"),
      fast: one("gpt-5-nano", "openai/gpt-5-nano"),
      cheap: one("gpt-5-nano", "openai/gpt-5-nano"),
    },
  },
  "github-copilot": {
    performance: {
      quality: one(
        "the top tier copilot offers",
        "github-copilot/claude-fable-5.1",
        "github-copilot/gpt-6-astra",
      ),
      fast: one(
        "a current small model",
        "github-copilot/gpt-6-luna",
        "github-copilot/gemini-3.8-flash",
        "github-copilot/claude-haiku-4.5",
      ),
      cheap: one("gpt-6-luna: $0.1/$0.5", "github-copilot/gpt-6-luna"),
    },
    balanced: {
      quality: one(
        "a current mid tier",
        "github-copilot/gpt-6-sol",
        "github-copilot/claude-sonnet-5",
        "github-copilot/claude-opus-5.5",
        "github-copilot/gemini-3.8-flash",
        "github-copilot/grok-4.7",
      ),
      fast: one("a current small model", "github-copilot/gpt-6-luna", "github-copilot/gemini-3.8-flash"),
      cheap: one("gpt-6-luna", "github-copilot/gpt-6-luna"),
    },
    economical: {
      quality: one("gpt-6-luna meets every tag at the lowest price", "github-copilot/gpt-6-luna"),
      fast: one("gpt-6-luna", "github-copilot/gpt-6-luna"),
      cheap: one("gpt-6-luna", "github-copilot/gpt-6-luna"),
    },
  },
  everything: {
    performance: {
      quality: one(
        "a first-party top tier; never a gateway copy (kilo/openai/… once beat openai/… on spelling), never gitlab's $0 subscription product",
        "anthropic/claude-fable-5-1",
        "openai/gpt-6-astra",
        "openai/gpt-6-astra-pro",
      ),
      fast: {
        check: (r, i) => sane(r, i) && (i.get(r.model)?.tierPrice ?? 99) <= 1 && released(r, "2026-08-01"),
        property: "small, current, known price, first party when connected",
        why: "a small current model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out",
        why: "cheapest known price",
      },
    },
    balanced: {
      quality: {
        check: (r, i) => sane(r, i) && released(r, "2026-06-01") && !r.model.startsWith("gitlab/"),
        property: "known price, current, not gitlab/duo-chat-* ($0 subscription)",
        why: "the issue's balanced pick was gitlab/duo-chat-opus-5-5 because $0 looked cheapest",
      },
      fast: {
        check: (r, i) => sane(r, i) && (i.get(r.model)?.tierPrice ?? 99) <= 1,
        property: "small, known price",
        why: "a small model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out",
        why: "cheapest known price",
      },
    },
    economical: {
      quality: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.2,
        property: "known price ≤ $0.2/1M in+out; not a $0 beta code-max of an unknown provider",
        why: "the cheapest known price",
      },
      fast: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.2,
        property: "known price ≤ $0.2/1M in+out",
        why: "cheapest small model",
      },
      cheap: {
        check: (r, i) => sane(r, i) && (r.cost?.input ?? 99) + (r.cost?.output ?? 99) <= 0.1,
        property: "known price ≤ $0.1/1M in+out",
        why: "cheapest known price",
      },
    },
  },
};

const MODES: readonly SelectionMode[] = ["performance", "balanced", "economical"];
const rowFor = (tag: AutoTag): keyof ModeRow =>
  tag === "auto:fast" ? "fast" : tag === "auto:cheap" ? "cheap" : "quality";

function resolveCell(set: SetName, mode: SelectionMode, tag: AutoTag, extra: Partial<ResolverConfig> = {}) {
  return createResolver(indexOf(set), {
    ...extra,
    modelSelection: { mode, ...extra.modelSelection },
  }).tryResolve(tag);
}

const cells = Object.entries(ROUTES).flatMap(([set, modes]) =>
  MODES.flatMap((mode) =>
    AUTO_TAGS.map((tag) => ({ set: set as SetName, mode, tag, want: modes[mode][rowFor(tag)] })),
  ),
);

describe("routing table over the committed snapshot", () => {
  it.each(cells)("$set · $mode · $tag", ({ set, mode, tag, want }) => {
    const out = resolveCell(set, mode, tag);
    if (!out.ok) throw new Error(`${set} ${mode} ${tag}: ${out.error.message}`);
    const r = out.resolution;
    const beat = r.reasons.find((x) => x.startsWith("beat ")) ?? r.reasons.join(" / ");
    const detail = `${set} ${mode} ${tag} picked ${r.model} (${beat}); expected: ${want.why}`;
    if ("oneOf" in want) expect(want.oneOf, detail).toContain(r.model);
    else expect(want.check(r, indexOf(set)), `${detail}; property: ${want.property}`).toBe(true);
    // The deciding signal is shown, and a pick between different models is never decided by spelling.
    expect(r.reasons.some((x) => x.startsWith("mode "))).toBe(true);
    const runnerUp = r.rejected[0];
    const w = indexOf(set).get(r.model);
    const ru = runnerUp === undefined ? undefined : indexOf(set).get(runnerUp.model);
    if (w !== undefined && ru !== undefined && beat.includes("tie broken by id")) {
      expect(
        [w.price, w.tierPrice, w.model.family, w.releaseKey],
        `${detail}: spelling decided between different models`,
      ).toEqual([ru.price, ru.tierPrice, ru.model.family, ru.releaseKey]);
    }
  });

  it.each(MODES.flatMap((mode) => AUTO_TAGS.map((tag) => ({ mode, tag }))))(
    "opencode · $mode · $tag: only free models, so nothing without allowFree, and a free pick with it",
    ({ mode, tag }) => {
      const refused = resolveCell("opencode", mode, tag);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.hints.join(" ")).toContain("modelSelection.allowFree");
      const allowed = resolveCell("opencode", mode, tag, {
        modelSelection: { mode, allowFree: true, allowPreview: true },
      });
      if (!allowed.ok) throw new Error(allowed.error.message);
      expect(allowed.resolution.model.startsWith("opencode/")).toBe(true);
      expect(allowed.resolution.warnings.join(" ")).toMatch(/free/);
    },
  );
});
