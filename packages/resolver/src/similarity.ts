/**
 * Levenshtein distance between `a` and `b`, giving up (returning `limit + 1`) once it must exceed
 * `limit`. Case-sensitive; callers lower-case first when they want otherwise.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2 + 1);
    rowB = new Int32Array(b.length * 2 + 1);
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = (prev[j] as number) + 1;
      const ins = (curr[j - 1] as number) + 1;
      const sub = (prev[j - 1] as number) + cost;
      const v = Math.min(del, ins, sub);
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = curr;
    curr = t;
  }
  return prev[b.length] as number;
}

// Two reusable rows: edit distance runs thousands of times per suggestion search.
let rowA = new Int32Array(128);
let rowB = new Int32Array(128);

/** The largest edit distance still called "close" for a word of this length. */
export function closeLimit(length: number): number {
  return Math.max(2, Math.floor(length * 0.34));
}

/**
 * The candidates closest to `target` (case-insensitive edit distance, then lexical), at most `limit`,
 * keeping only those within {@link closeLimit}. Exact matches of `target` itself are never returned.
 */
export function closest(target: string, candidates: Iterable<string>, limit = 5): string[] {
  const t = target.toLowerCase();
  const max = closeLimit(t.length);
  const scored: [number, string][] = [];
  for (const c of candidates) {
    if (c === target) continue;
    const d = editDistance(t, c.toLowerCase(), max);
    if (d <= max) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return scored.slice(0, limit).map((s) => s[1]);
}
