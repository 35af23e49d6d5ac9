// What `webfetch` offers and asks for, apart from the conversion (webfetch-format.ts), so that the
// tool's definition loads without the HTML libraries (a process worker defines it at every start).

/** The formats `webfetch` returns. */
export const WEBFETCH_FORMATS = ["text", "markdown", "html"] as const;
/** One of {@link WEBFETCH_FORMATS}. */
export type WebfetchFormat = (typeof WEBFETCH_FORMATS)[number];

/** The `Accept` header for `format`: the wanted type first, the others as fallbacks. */
export function acceptHeader(format: WebfetchFormat): string {
  switch (format) {
    case "markdown":
      return "text/markdown;q=1.0, text/x-markdown;q=0.9, text/plain;q=0.8, text/html;q=0.7, */*;q=0.1";
    case "text":
      return "text/plain;q=1.0, text/markdown;q=0.9, text/html;q=0.8, */*;q=0.1";
    case "html":
      return "text/html;q=1.0, application/xhtml+xml;q=0.9, text/plain;q=0.8, text/markdown;q=0.7, */*;q=0.1";
  }
}
