/** Small JSON-path helpers over parsed documents (plain objects and arrays). */
import type { PathSegment } from "@orchestra/core";

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value found by {@link findAll}: its concrete path and the value. */
interface Found {
  readonly path: PathSegment[];
  readonly value: unknown;
}

/**
 * Every value at `pattern` in `doc`. A `"*"` segment stands for each item of an array;
 * other segments are object keys. Missing keys are skipped.
 */
export function findAll(doc: unknown, pattern: readonly string[]): Found[] {
  let at: Found[] = [{ path: [], value: doc }];
  for (const segment of pattern) {
    const next: Found[] = [];
    for (const { path, value } of at) {
      if (segment === "*") {
        if (Array.isArray(value))
          value.forEach((item, i) => {
            next.push({ path: [...path, i], value: item });
          });
      } else if (isRecord(value) && Object.hasOwn(value, segment)) {
        next.push({ path: [...path, segment], value: value[segment] });
      }
    }
    at = next;
  }
  return at;
}

/** The value at `path`, or `undefined`. */
export function getIn(doc: unknown, path: readonly PathSegment[]): unknown {
  let value = doc;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isRecord(value) && typeof segment === "string" && Object.hasOwn(value, segment))
      value = value[segment];
    else return undefined;
  }
  return value;
}

/** Set `path` to `value`, creating missing objects on the way (appended after existing keys). */
export function setIn(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = doc;
  for (const segment of path.slice(0, -1)) {
    const next = at[segment];
    if (isRecord(next)) at = next;
    else {
      const created: Record<string, unknown> = {};
      at[segment] = created;
      at = created;
    }
  }
  at[path.at(-1) as string] = value;
}

/** Delete the key or array item at `path`; an object left empty by it is deleted too, up to the root. */
export function deleteIn(doc: unknown, path: readonly PathSegment[]): void {
  const parentPath = path.slice(0, -1);
  const parent = getIn(doc, parentPath);
  const last = path.at(-1);
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else if (isRecord(parent) && typeof last === "string") {
    delete parent[last];
    if (Object.keys(parent).length === 0 && parentPath.length > 0 && typeof parentPath.at(-1) === "string")
      deleteIn(doc, parentPath);
  }
}
