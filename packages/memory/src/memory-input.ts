import { MemoryError } from "./memory-error.js";
import type {
  MemoryQueryOptions,
  MemoryRef,
  MemoryScope,
  MemorySource,
  PutMemoryInput,
} from "./memory-store.js";
import {
  FULL_LEVELS,
  isLevel,
  MEMORY_LEVEL_CATEGORIES,
  type MemoryLevels,
  type MemoryTrust,
} from "./provenance.js";
import { findSecrets } from "./secret-scan.js";

/** Default of `maxValueChars`, the same as the orchestrator config's `memory.maxValueChars`. */
export const DEFAULT_MAX_VALUE_CHARS = 20_000;
/** Hard ceiling of `maxValueChars`. */
const MAX_VALUE_CHARS_CEILING = 1_000_000;
/** Longest key. */
export const MAX_KEY_LENGTH = 200;
/** Most tags on one memory. */
export const MAX_TAGS = 32;
/** Most inputs of one `putMany`. */
export const MAX_BATCH = 10_000;
/** Most results of one `search` or `recent`. */
export const MAX_LIMIT = 1_000;

const KEY_RE = /^[\p{L}\p{N}_][\p{L}\p{N}_.:/@#+-]*$/u;
const TAG_RE = /^[\p{L}\p{N}_][\p{L}\p{N}_.:/-]*$/u;
const LINK_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;
const SOURCE_FIELDS = ["sessionId", "workerId", "messageId", "profile"] as const;

/** A validated source: `trust` always set, `levels` set for trusted sources. */
interface NormalizedSource extends MemorySource {
  trust: MemoryTrust;
}

/** Validated input of a write, as the stores receive it. */
export interface NormalizedPut {
  scope: MemoryScope;
  key: string;
  value: string;
  tags: string[];
  source: NormalizedSource;
}

/** Validated filters. */
export interface NormalizedQuery {
  scope: MemoryScope | "all";
  tags: string[];
  limit: number;
  /** The reader's levels, when results are filtered for one. */
  readableBy?: MemoryLevels;
}

function invalid(message: string, hint: string): MemoryError {
  return new MemoryError("MEMORY_INVALID_INPUT", message, { hints: [hint] });
}

function checkSecrets(where: string, text: string): void {
  const [first] = findSecrets(text);
  if (first) {
    throw new MemoryError(
      "MEMORY_SECRET_DETECTED",
      `Refused to store the memory: its ${where} contains what looks like a ${first.kind} (at character ${first.index}). Memories are shared with every session and worker, so credentials are never stored.`,
      {
        hints: [
          "remove the secret and store where it lives instead, e.g. 'the deploy token is in the DEPLOY_TOKEN env var'",
        ],
      },
    );
  }
}

/** Validate a scope, or return `fallback` when it is undefined. */
export function normalizeScope(scope: unknown, fallback: MemoryScope): MemoryScope {
  if (scope === undefined) return fallback;
  if (scope === "project" || scope === "global") return scope;
  throw invalid(`Invalid memory scope ${JSON.stringify(scope)}.`, 'use "project" or "global"');
}

/** Validate a key; throws `MEMORY_INVALID_KEY`. */
function normalizeKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new MemoryError("MEMORY_INVALID_KEY", "A memory key must be a non-empty string.", {
      hints: ["use a short, stable name such as 'decision/database' or 'user:preferred-language'"],
    });
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new MemoryError(
      "MEMORY_INVALID_KEY",
      `A memory key is at most ${MAX_KEY_LENGTH} characters (got ${key.length}).`,
      { hints: ["put the long text in the value and keep the key a short name"] },
    );
  }
  if (!KEY_RE.test(key)) {
    throw new MemoryError(
      "MEMORY_INVALID_KEY",
      `Invalid memory key ${JSON.stringify(key.slice(0, 60))}: keys use letters, digits and _ . : / @ # + - (no spaces), starting with a letter, digit or _.`,
      { hints: ["for example 'decision/database' or 'user:preferred-language'"] },
    );
  }
  checkSecrets("key", key);
  return key;
}

/** Validate a ref against the store's default scope. */
export function normalizeRef(ref: MemoryRef, defaultScope: MemoryScope): Required<MemoryRef> {
  if (typeof ref !== "object" || ref === null) {
    throw invalid(
      "A memory reference must be an object { scope?, key }.",
      "pass { key: 'name' } or { scope, key }",
    );
  }
  return { scope: normalizeScope(ref.scope, defaultScope), key: normalizeKey(ref.key) };
}

function normalizeTag(tag: unknown): string {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > 64 || !TAG_RE.test(tag)) {
    throw invalid(
      `Invalid tag ${JSON.stringify(typeof tag === "string" ? tag.slice(0, 60) : tag)}: tags are 1–64 letters, digits or _ . : / -.`,
      "use tags like 'decision', 'db', 'worker:coder'",
    );
  }
  return tag.toLowerCase();
}

/** Validate tags: lower-cased, sorted, deduplicated. */
function normalizeTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalid("Tags must be an array of strings.", "pass tags: ['decision']");
  if (tags.length > MAX_TAGS)
    throw invalid(`At most ${MAX_TAGS} tags (got ${tags.length}).`, "keep the tags few");
  return [...new Set(tags.map(normalizeTag))].sort();
}

/** Validate permission levels (of a source or a reader); `where` names them in errors. */
function normalizeLevels(levels: unknown, where: string): MemoryLevels {
  const bad = (): MemoryError =>
    invalid(
      `${where} must be { filesystem: none|read|full, execution: none|sandboxed|full, network: none|localhost|full } (got ${JSON.stringify(levels)}).`,
      `pass the profile's category levels, e.g. { filesystem: "read", execution: "none", network: "none" }`,
    );
  if (typeof levels !== "object" || levels === null) throw bad();
  const l = levels as Record<string, unknown>;
  if (Object.keys(l).some((k) => !(MEMORY_LEVEL_CATEGORIES as readonly string[]).includes(k))) throw bad();
  const { filesystem, execution, network } = l;
  if (
    !isLevel("filesystem", filesystem) ||
    !isLevel("execution", execution) ||
    !isLevel("network", network)
  ) {
    throw bad();
  }
  return { filesystem, execution, network };
}

function normalizeSource(source: unknown): NormalizedSource {
  if (source === undefined) return { trust: "untrusted" };
  if (typeof source !== "object" || source === null) {
    throw invalid(
      "The source must be an object { sessionId?, workerId?, messageId?, profile?, trust?, levels? }.",
      "omit it or pass ids",
    );
  }
  const given = source as Record<string, unknown>;
  const out: NormalizedSource = { trust: "untrusted" };
  for (const field of SOURCE_FIELDS) {
    const v = given[field];
    if (v === undefined) continue;
    if (typeof v !== "string" || v.length === 0 || v.length > 200) {
      throw invalid(
        `source.${field} must be a string of 1–200 characters.`,
        `omit source.${field} or pass an id`,
      );
    }
    out[field] = v;
  }
  const { trust, levels } = given;
  if (trust !== undefined && trust !== "trusted" && trust !== "untrusted") {
    throw invalid(
      `source.trust must be "trusted" or "untrusted" (got ${JSON.stringify(trust)}).`,
      'omit it (untrusted), or pass "trusted" only for the user\'s own session',
    );
  }
  if (levels !== undefined) out.levels = normalizeLevels(levels, "source.levels");
  if (trust === "trusted") {
    const full = out.levels === undefined || MEMORY_LEVEL_CATEGORIES.every((c) => out.levels?.[c] === "full");
    if (!full || out.workerId !== undefined) {
      throw invalid(
        "A trusted source is the user's own session: it has every category at full and no worker.",
        "record a worker's memory as trust: \"untrusted\" with its profile's levels",
      );
    }
    out.trust = "trusted";
    out.levels = FULL_LEVELS;
  }
  return out;
}

/** Validate the input of `put`. Throws {@link MemoryError}; nothing is written when it throws. */
export function normalizePut(
  input: PutMemoryInput,
  defaultScope: MemoryScope,
  maxValueChars: number,
): NormalizedPut {
  if (typeof input !== "object" || input === null) {
    throw invalid("put() takes an object { scope?, key, value, tags?, source? }.", "pass { key, value }");
  }
  const scope = normalizeScope(input.scope, defaultScope);
  const key = normalizeKey(input.key);
  const { value } = input;
  if (typeof value !== "string" || value.trim().length === 0) {
    throw invalid("A memory value must be a non-empty string.", "use forget() to remove a memory");
  }
  if (value.length > maxValueChars) {
    throw new MemoryError(
      "MEMORY_VALUE_TOO_LARGE",
      `The value of memory ${JSON.stringify(key)} has ${value.length} characters; the limit is ${maxValueChars}. Nothing was stored.`,
      { hints: ["store a summary, or split it into several memories linked with link()"] },
    );
  }
  if (value.includes("\u0000")) throw invalid("A memory value cannot contain NUL characters.", "remove them");
  checkSecrets("value", value);
  const tags = normalizeTags(input.tags);
  for (const tag of tags) checkSecrets("tags", tag);
  return { scope, key, value, tags, source: normalizeSource(input.source) };
}

/** Validate the inputs of `putMany`; throws on the first bad one, naming its index. */
export function normalizeBatch(
  inputs: readonly PutMemoryInput[],
  defaultScope: MemoryScope,
  maxValueChars: number,
): NormalizedPut[] {
  if (!Array.isArray(inputs))
    throw invalid("putMany() takes an array of memories.", "pass [{ key, value }, …]");
  if (inputs.length > MAX_BATCH) {
    throw invalid(`putMany() takes at most ${MAX_BATCH} memories (got ${inputs.length}).`, "split the batch");
  }
  return inputs.map((input, i) => {
    try {
      return normalizePut(input, defaultScope, maxValueChars);
    } catch (error) {
      const e = error as MemoryError;
      throw new MemoryError(e.code, `putMany() item ${i}: ${e.message} Nothing in the batch was stored.`, {
        cause: e.cause,
        hints: e.hints,
      });
    }
  });
}

/** Validate a link type: lower-case letters, digits and `_`, starting with a letter, at most 64. */
export function normalizeLinkType(type: unknown): string {
  if (typeof type !== "string" || !LINK_TYPE_RE.test(type.toLowerCase())) {
    throw invalid(
      `Invalid link type ${JSON.stringify(type)}: use 1–64 letters, digits or _, starting with a letter.`,
      "for example 'relates_to', 'supersedes', 'derived_from'",
    );
  }
  return type.toLowerCase();
}

/** Validate the filters of `search` and `recent`. */
export function normalizeQuery(options: MemoryQueryOptions | undefined): NormalizedQuery {
  const o = options ?? {};
  const scope = o.scope === undefined || o.scope === "all" ? "all" : normalizeScope(o.scope, "project");
  const limit = o.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(
      `limit must be an integer from 1 to ${MAX_LIMIT} (got ${String(limit)}).`,
      "pass limit: 10",
    );
  }
  const query: NormalizedQuery = { scope, tags: normalizeTags(o.tags), limit };
  if (o.readableBy !== undefined) query.readableBy = normalizeLevels(o.readableBy, "readableBy");
  return query;
}

/** Validate `maxValueChars`. */
export function normalizeMaxValueChars(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_VALUE_CHARS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_VALUE_CHARS_CEILING) {
    throw new MemoryError(
      "MEMORY_CONFIG_INVALID",
      `maxValueChars must be an integer from 1 to ${MAX_VALUE_CHARS_CEILING} (got ${String(value)}).`,
      { hints: [`omit it to use ${DEFAULT_MAX_VALUE_CHARS}`] },
    );
  }
  return value;
}

/** A clock whose readings strictly increase within one store, so `recent` order is exact. */
export function monotonicClock(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return last;
  };
}
