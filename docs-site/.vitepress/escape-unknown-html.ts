import type { MarkdownRenderer } from "vitepress";

/** HTML elements the docs may write inline on purpose; anything else in angle brackets is prose. */
const KNOWN = new Set(
  "a abbr audio b blockquote br center code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p picture pre s samp script section small source span strong style sub summary sup svg table tbody td template th thead tr u ul var video".split(
    " ",
  ),
);

/** The element name of an inline HTML token (`<tag …>`, `</tag>`), or undefined for comments and the like. */
function tagName(html: string): string | undefined {
  return /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(html.trimStart())?.[1];
}

/** True for what Vue may compile as written: a known HTML element, a component (`<Badge>`), a custom element. */
function isMarkup(name: string | undefined): boolean {
  return name === undefined || KNOWN.has(name.toLowerCase()) || /^[A-Z]/.test(name) || name.includes("-");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Renders inline "HTML" that is really prose, such as `auto:<tag>` or `<what to do instead>` in a generated
 * description, as text. Vue compiles every page, and an unknown unclosed element breaks the build.
 */
export function escapeUnknownHtml(md: MarkdownRenderer): void {
  const inline = md.renderer.rules.html_inline;
  md.renderer.rules.html_inline = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (!token) return "";
    if (isMarkup(tagName(token.content)))
      return inline ? inline(tokens, idx, options, env, self) : token.content;
    return escapeHtml(token.content);
  };
  // A line that starts with such prose (`<url> --explain`) opens an HTML block in VitePress.
  const block = md.renderer.rules.html_block;
  md.renderer.rules.html_block = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (!token) return "";
    if (isMarkup(tagName(token.content)))
      return block ? block(tokens, idx, options, env, self) : token.content;
    return `<p>${escapeHtml(token.content.trim())}</p>\n`;
  };
}
