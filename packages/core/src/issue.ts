/** One segment of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * One problem found in a document (a config file, a profile, a model reference…), located by the
 * JSON path of the bad value. Packages add their own fields (a profile issue adds its `code`).
 */
export interface Issue {
  /** The file the issue is in, when known. */
  file?: string;
  /** JSON path of the bad value, e.g. `profiles[0].permissions.categories.filesystem`; `(root)` for the document. */
  path: string;
  /** What is wrong, e.g. `too small`. */
  problem: string;
  /** The bad value, rendered as JSON (shortened). */
  got?: string;
  /** What was expected instead. */
  expected?: string;
  /** A close valid spelling, for unknown keys and enum values. */
  didYouMean?: string;
}

/** Render a path as `a.b[0]["odd key"]`; the empty path is `(root)`. Symbols are skipped. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment !== "string") continue;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || "(root)";
}

/**
 * Parse a path rendered by {@link formatPath} back into its segments: `a.b[0]["odd key"]` gives
 * `["a", "b", 0, "odd key"]`; `(root)` gives `[]`. Throws a `TypeError` for text `formatPath` never writes.
 */
export function parsePath(text: string): PathSegment[] {
  if (text === "(root)") return [];
  const segments: PathSegment[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < text.length) {
    const at = token.lastIndex;
    const m = token.exec(text);
    if (m === null || (at === 0 && text.startsWith("."))) {
      throw new TypeError(`not a path written by formatPath: ${JSON.stringify(text)} (at ${at})`);
    }
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3] as string) as string);
  }
  return segments;
}

/** Render a value for an error line: JSON, shortened to 60 characters; `nothing` for undefined. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Render an issue as `path: what is wrong (got X, expected Y); did you mean "Z"?`, prefixed by
 * `file: ` when `options.file` is true and the issue names one.
 */
export function formatIssue(issue: Issue, options: { file?: boolean } = {}): string {
  const detail = [
    issue.got === undefined ? "" : `got ${issue.got}`,
    issue.expected ? `expected ${issue.expected}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const hint = issue.didYouMean === undefined ? "" : `; did you mean "${issue.didYouMean}"?`;
  const where = options.file === true && issue.file ? `${issue.file}: ` : "";
  return `${where}${issue.path}: ${issue.problem}${detail ? ` (${detail})` : ""}${hint}`;
}
