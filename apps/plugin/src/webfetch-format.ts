// How `webfetch` turns a fetched body into what the model reads, the same way OpenCode's built-in
// tool does: HTML becomes Markdown (turndown, atx headings, fenced code) or plain text (script and
// style contents dropped); any other body is passed through as text.
import { Parser } from "htmlparser2";
import TurndownService from "turndown";
import type { WebfetchFormat } from "./webfetch-accept.js";

const SKIPPED = new Set(["script", "style", "noscript", "iframe", "object", "embed"]);

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
