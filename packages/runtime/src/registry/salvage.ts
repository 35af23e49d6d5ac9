import { type RegistryEntry, RegistryEntrySchema } from "./schema.js";

/**
 * The `{ … }` spans of `text` whose braces balance, outermost and nested alike, found by a scan
 * that skips braces inside JSON strings. A truncated or garbled document still has its complete
 * objects: these are the candidates to parse one by one.
 */
function balancedObjects(text: string): string[] {
  const found: string[] = [];
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") open.push(i);
    else if (c === "}") {
      const start = open.pop();
      if (start !== undefined) found.push(text.slice(start, i + 1));
    }
  }
  return found;
}

/**
 * The registry entries that can still be read from a corrupt registry file (a truncated write,
 * garbage after the entries, a broken top level): every complete JSON object in `text` that is
 * a valid {@link RegistryEntry}, first occurrence of an id kept, in file order.
 *
 * @example salvageEntries('{"version":1,"entries":[{…entry…},{"id":"cod') // [entry]
 */
export function salvageEntries(text: string): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const seen = new Set<string>();
  for (const candidate of balancedObjects(text)) {
    let json: unknown;
    try {
      json = JSON.parse(candidate);
    } catch {
      continue;
    }
    const parsed = RegistryEntrySchema.safeParse(json);
    if (!parsed.success || seen.has(parsed.data.id)) continue;
    seen.add(parsed.data.id);
    entries.push(parsed.data);
  }
  return entries;
}
