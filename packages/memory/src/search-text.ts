/** Most distinct words of a query that are used; the rest are ignored. */
export const MAX_QUERY_TERMS = 32;

/**
 * Split text into search terms the same way for every backend: Unicode compatibility
 * decomposition, accents dropped from Latin, Greek and Cyrillic letters (other scripts keep
 * their marks, e.g. Japanese dakuten), lower-cased, split on anything but letters and digits.
 * Both stores index this normalised text, so a query matches the same memories on each.
 */
export function searchTerms(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, "$1")
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** The normalised, space-separated text a store indexes for `text`. */
export function indexText(text: string): string {
  return searchTerms(text).join(" ");
}

/** Distinct terms of a query, in order, at most {@link MAX_QUERY_TERMS}. */
export function queryTerms(query: string): string[] {
  return [...new Set(searchTerms(query))].slice(0, MAX_QUERY_TERMS);
}
