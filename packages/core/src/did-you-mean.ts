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
      const v = Math.min(
        (prev[j] as number) + 1,
        (curr[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] as number;
}

// Two reusable rows: edit distance runs thousands of times per suggestion search over a catalog.
let rowA = new Int32Array(128);
let rowB = new Int32Array(128);

/** The largest edit distance still called "close" for a word of this length: 1 up to 3 characters, then about a third (at least 2). */
export function closeLimit(length: number): number {
  return length <= 3 ? 1 : Math.max(2, Math.floor(length * 0.34));
}

/** How close a candidate is: lower is closer. `undefined` when it is not close at all. */
function rank(input: string, candidate: string): number | undefined {
  const a = input.toLowerCase();
  const b = candidate.toLowerCase();
  if (a === b) return 0;
  // "retries" → "maxRetries", "readonly" → "read", "exec" → "execution": one name inside the other.
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.includes(short)) {
    return 1 + (long.startsWith(short) ? 0 : 0.5) + (long.length - short.length) / 1000;
  }
  const limit = closeLimit(a.length);
  const d = editDistance(a, b, limit);
  return d <= limit ? 2 + d : undefined;
}

/**
 * The candidates close to `input`, closest first, at most `limit`; never `input` itself. The one
 * rule of every layer (config keys, profile ids and levels, model references), so the same typo
 * gets the same suggestion everywhere:
 *
 * 1. the same name in another case (`fileSystem` → `filesystem`);
 * 2. a name containing the other, 3 characters or more, prefixes first, then the nearest in length
 *    (`retries` → `maxRetries`, `readonly` → `read`);
 * 3. a case-insensitive edit distance within {@link closeLimit} of the input's length, nearest first
 *    (`modle` → `mode`).
 *
 * Ties go to the lexically first candidate.
 */
export function suggestions(input: string, candidates: Iterable<string>, limit = 5): string[] {
  const scored: [number, string][] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === input) continue;
    const r = rank(input, candidate);
    if (r !== undefined) scored.push([r, candidate]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return scored.slice(0, limit).map(([, c]) => c);
}

/** The closest candidate to `input` by the rule of {@link suggestions}, or undefined if none is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  return suggestions(input, candidates, 1)[0];
}
