// How `webfetch` turns a fetched body into what the model reads, the same way OpenCode's built-in
// tool does: HTML becomes Markdown (turndown, atx headings, fenced code) or plain text (script and
// style contents dropped); any other body is passed through as text.
import { Parser } from "htmlparser2";
import TurndownService from "turndown";

/** The formats `webfetch` returns. */
export const WEBFETCH_FORMATS = ["text", "markdown", "html"] as const;
/** One of {@link WEBFETCH_FORMATS}. */
export type WebfetchFormat = (typeof WEBFETCH_FORMATS)[number];

const SKIPPED = new Set(["script", "style", "noscript", "iframe", "object", "embed"]);

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

/** HTML as Markdown (scripts, styles, meta and link elements removed). */
export function htmlToMarkdown(html: string): string {
  const turndown = new TurndownService({
    headingStyle: "atx",
    hr: "---",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
    emDelimiter: "*",
  });
  turndown.remove(["script", "style", "meta", "link"]);
  return turndown.turndown(html);
}

/** The text of an HTML document, without the contents of scripts, styles and embedded objects. */
export function htmlToText(html: string): string {
  let text = "";
  let skipping = 0;
  const parser = new Parser({
    onopentag(name) {
      if (skipping > 0 || SKIPPED.has(name)) skipping++;
    },
    ontext(chunk) {
      if (skipping === 0) text += chunk;
    },
    onclosetag() {
      if (skipping > 0) skipping--;
    },
  });
  parser.write(html);
  parser.end();
  return text.trim();
}

/** `body` in `format`: HTML is converted for `markdown` and `text`; everything else is returned as is. */
export function formatBody(body: string, contentType: string, format: WebfetchFormat): string {
  if (!contentType.includes("text/html")) return body;
  if (format === "markdown") return htmlToMarkdown(body);
  if (format === "text") return htmlToText(body);
  return body;
}
