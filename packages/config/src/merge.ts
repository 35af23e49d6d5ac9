/** Arrays whose items are merged by `id` (a string item's id is itself) instead of replaced. */
export const KEYED_ARRAYS: readonly string[] = ["profiles", "workers"];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function itemId(item: unknown): string | undefined {
  if (typeof item === "string") return item;
  if (isPlainObject(item) && typeof item.id === "string") return item.id;
  return undefined;
}

function mergeKeyed(base: readonly unknown[], over: readonly unknown[]): unknown[] {
  const out = [...base];
  for (const item of over) {
    const id = itemId(item);
    const at = id === undefined ? -1 : out.findIndex((existing) => itemId(existing) === id);
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

/**
 * Merge a later config layer over an earlier one. The rules, documented in the configuration
 * reference:
 * - objects merge key by key, recursively;
 * - scalars and ordinary arrays from the later layer replace the earlier value wholesale
 *   (so a project can shorten `preferredProviders`, not only extend it);
 * - the top-level `profiles` and `workers` arrays merge by `id`: a later entry with the same id
 *   replaces the earlier entry in place, new ids are appended in order.
 */
export function mergeLayers(base: unknown, over: unknown, path: readonly string[] = []): unknown {
  if (over === undefined) return base;
  if (Array.isArray(over)) {
    const key = path.length === 1 ? path[0] : undefined;
    if (key !== undefined && KEYED_ARRAYS.includes(key) && Array.isArray(base)) return mergeKeyed(base, over);
    return [...over];
  }
  if (isPlainObject(over) && isPlainObject(base)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = mergeLayers(base[key], value, [...path, key]);
    return out;
  }
  return over;
}
