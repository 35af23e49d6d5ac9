import { suggestions } from "@orchestra/core";
import type { AutoTag } from "./auto-tags.js";
import { AUTO_TAGS, parseAutoTag } from "./auto-tags.js";
import { type DefaultAlias, isDefaultAlias } from "./default-aliases.js";
import { ResolverError } from "./resolver-error.js";

/** Aliases from config: short name → model reference (which may itself be an alias or a tag). */
export type ModelAliases = Readonly<Record<string, string>>;

/** What a reference is, decided from its text and the alias table alone (no catalog needed). */
export type ClassifiedReference =
  | {
      /** `auto`, `auto:*` or a `node:*` synonym. */
      readonly kind: "tag";
      /** The canonical tag. */
      readonly tag: AutoTag;
      /** As written (e.g. `node:vision`). */
      readonly written: string;
    }
  | {
      /** An alias from `modelAliases`. */
      readonly kind: "alias";
      /** The alias names followed, then the final target: `["fast", "quick", "auto:fast"]`. */
      readonly chain: readonly string[];
      /** The final non-alias target, classified. */
      readonly target: Exclude<ClassifiedReference, { kind: "alias" }>;
    }
  | {
      /** A default alias (`sonnet`, `gpt-mini`, …) that no user alias of the same name overrides. */
      readonly kind: "default-alias";
      readonly alias: DefaultAlias;
      readonly written: string;
    }
  | {
      /** `provider/model`: split at the first `/`; the model id may contain `/`, `:` and `@`. */
      readonly kind: "explicit";
      readonly providerId: string;
      readonly modelId: string;
      readonly written: string;
    }
  | {
      /** No `/`, not a tag, not an alias: a model id without its provider. */
      readonly kind: "bare";
      readonly modelId: string;
      readonly written: string;
    };

/** Longer than any provider's model id; a longer one cannot even be listed by OpenCode (its URL). */
const MAX_REFERENCE_LENGTH = 512;
/** Whitespace or a control character (C0, DEL, C1): no model id has one, and a terminal would act on it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
const INNER_SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

const TAG_WORDS = [...AUTO_TAGS, "node", ...AUTO_TAGS.slice(1).map((t) => t.replace("auto:", "node:"))];

function hasOwn(aliases: ModelAliases, key: string): boolean {
  return Object.hasOwn(aliases, key);
}

function classifyTarget(ref: string): Exclude<ClassifiedReference, { kind: "alias" }> {
  const tag = parseAutoTag(ref);
  if (tag === "unknown") {
    throw new ResolverError("RESOLVER_UNKNOWN_TAG", `"${ref}" is not an auto tag.`, {
      input: ref,
      suggestions: suggestions(ref, TAG_WORDS, 3),
      hints: [`Auto tags are: ${AUTO_TAGS.join(", ")} (node:* are synonyms).`],
    });
  }
  if (tag !== null) return { kind: "tag", tag, written: ref };
  if (isDefaultAlias(ref)) return { kind: "default-alias", alias: ref, written: ref };
  const slash = ref.indexOf("/");
  if (slash > 0 && slash < ref.length - 1) {
    return { kind: "explicit", providerId: ref.slice(0, slash), modelId: ref.slice(slash + 1), written: ref };
  }
  return { kind: "bare", modelId: ref, written: ref };
}

/**
 * Classify a model reference: tag first, then user alias (followed to its end; alias → alias is
 * allowed), then default alias (`sonnet`, `gpt-mini`, … unless a user alias has the name), then
 * `provider/model` (split at the first `/`), else a bare model id. Surrounding spaces are trimmed.
 *
 * @throws {ResolverError} `RESOLVER_INVALID_REFERENCE` (empty, over 512 characters, or with whitespace or a
 *   control character inside), `RESOLVER_UNKNOWN_TAG` (`auto:visoin`),
 *   `RESOLVER_ALIAS_CYCLE` (an alias that leads back to itself).
 *
 * @example
 * ```ts
 * classifyReference("synthetic/hf:MiniMaxAI/MiniMax-M3");
 * // { kind: "explicit", providerId: "synthetic", modelId: "hf:MiniMaxAI/MiniMax-M3", ... }
 * ```
 */
export function classifyReference(input: string, aliases: ModelAliases = {}): ClassifiedReference {
  const ref = typeof input === "string" ? input.trim() : "";
  const why =
    ref === "" || ref.startsWith("/") || ref.endsWith("/")
      ? ""
      : ref.length > MAX_REFERENCE_LENGTH
        ? ` (${ref.length} characters; one has at most ${MAX_REFERENCE_LENGTH})`
        : INNER_SPACE_OR_CONTROL.test(ref)
          ? " (it contains whitespace or a control character)"
          : undefined;
  if (why !== undefined) {
    const shown = ref.length > 80 ? `${JSON.stringify(ref.slice(0, 80))}…` : JSON.stringify(input);
    throw new ResolverError("RESOLVER_INVALID_REFERENCE", `${shown} is not a model reference${why}.`, {
      ...(typeof input === "string" ? { input } : {}),
      hints: ["Write `auto`, `auto:<tag>`, an alias from modelAliases, or `provider/model`."],
    });
  }
  if (parseAutoTag(ref) !== null || !hasOwn(aliases, ref)) return classifyTarget(ref);
  const chain = [ref];
  const seen = new Set(chain);
  let current = ref;
  while (hasOwn(aliases, current) && parseAutoTag(current) === null) {
    const next = String(aliases[current] ?? "").trim();
    if (seen.has(next)) {
      throw new ResolverError("RESOLVER_ALIAS_CYCLE", `Alias cycle: ${[...chain, next].join(" → ")}.`, {
        input: ref,
        hints: [`Point one of the aliases ${chain.map((c) => `"${c}"`).join(", ")} at a real model or tag.`],
      });
    }
    if (next === "") {
      throw new ResolverError(
        "RESOLVER_INVALID_REFERENCE",
        `Alias "${current}" points at an empty reference.`,
        {
          input: ref,
          hints: [`Set modelAliases["${current}"] to \`provider/model\` or an auto tag.`],
        },
      );
    }
    chain.push(next);
    seen.add(next);
    current = next;
  }
  return { kind: "alias", chain, target: classifyTarget(current) };
}
