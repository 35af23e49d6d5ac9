/** Levenshtein distance between two strings. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The candidate closest to `input`: a case-insensitive match first, then a prefix match, else the nearest by edit
 * distance within a third of the input's length (at least 1, at most 3); undefined if none is close.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const caseOnly = candidates.find((c) => c.toLowerCase() === lower);
  if (caseOnly !== undefined) return caseOnly;
  // "readonly" → "read", "exec" → "execution": one is a prefix of the other.
  const prefix = candidates
    .filter((c) => Math.min(c.length, lower.length) >= 3)
    .filter((c) => lower.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(lower))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix !== undefined) return prefix;
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of [...candidates].sort()) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
