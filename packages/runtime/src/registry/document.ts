import type { z } from "zod";
import { describeIssues } from "./schema.js";

/** How a JSON document with a list of items read from disk turned out. */
export type ParsedDocument<Top, Item> =
  | { kind: "missing" }
  | { kind: "corrupt"; reason: string }
  /** Written by a newer version, in a format this one cannot read (`version` above ours). */
  | { kind: "newer"; version: number }
  | { kind: "ok"; top: Top; items: Item[]; invalid: string[] };

/**
 * Parses `raw` (the file's text, or `undefined` when there is no file) as a JSON document whose
 * `topSchema` holds a list of items under `itemsKey`, then checks each item with `itemSchema`.
 * Unparsable JSON (a truncated write, an empty file) or a wrong top-level shape is `corrupt`;
 * items that fail their schema, or repeat an earlier item's `keyOf`, are listed in `invalid`
 * (one human-readable line each) and left out of `items`. With `currentVersion`, a document whose
 * numeric `version` is higher is `newer`: it is neither parsed nor judged corrupt.
 */
export function parseDocument<TopSchema extends z.ZodType, ItemSchema extends z.ZodType>(
  raw: string | undefined,
  topSchema: TopSchema,
  itemsKey: string,
  itemSchema: ItemSchema,
  keyOf: (item: z.output<ItemSchema>) => string,
  currentVersion?: number,
): ParsedDocument<z.output<TopSchema>, z.output<ItemSchema>> {
  if (raw === undefined) return { kind: "missing" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return {
      kind: "corrupt",
      reason: raw.trim() === "" ? "the file is empty" : `not valid JSON (${(error as Error).message})`,
    };
  }
  const version =
    typeof json === "object" && json !== null ? (json as { version?: unknown }).version : undefined;
  if (currentVersion !== undefined && typeof version === "number" && version > currentVersion)
    return { kind: "newer", version };
  const top = topSchema.safeParse(json);
  if (!top.success) return { kind: "corrupt", reason: `wrong shape: ${describeIssues(top.error)}` };
  const rawItems = (json as Record<string, unknown>)[itemsKey];
  const list = Array.isArray(rawItems) ? rawItems : [];
  const items: z.output<ItemSchema>[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  list.forEach((candidate, index) => {
    const parsed = itemSchema.safeParse(candidate);
    const label = describeItem(candidate, index);
    if (!parsed.success) {
      invalid.push(`${label}: ${describeIssues(parsed.error)}`);
      return;
    }
    const key = keyOf(parsed.data);
    if (seen.has(key)) {
      invalid.push(`${label}: duplicate id "${key}" (the first one is kept)`);
      return;
    }
    seen.add(key);
    items.push(parsed.data);
  });
  return { kind: "ok", top: top.data, items, invalid };
}

function describeItem(candidate: unknown, index: number): string {
  const id =
    typeof candidate === "object" && candidate !== null
      ? (candidate as Record<string, unknown>).id
      : undefined;
  return typeof id === "string" ? `#${index} "${id}"` : `#${index}`;
}
