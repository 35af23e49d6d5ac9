import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: true });

/** One link found in a markdown file, as GitHub renders it. */
interface MarkdownLink {
  readonly file: string;
  readonly line: number;
  readonly href: string;
}

/** What GitHub makes of a markdown file: the links it shows and the anchors a `#fragment` can reach. */
export interface RenderedMarkdown {
  readonly links: MarkdownLink[];
  readonly anchors: Set<string>;
  /** Angle-bracket prose outside code (`auto:<tag>`) that GitHub drops as an unknown tag: line and text. */
  readonly strayTags: { line: number; html: string }[];
}

/** Elements GitHub keeps (and the docs use on purpose); any other `<name …>` outside code is dropped. */
const GITHUB_ELEMENTS = new Set(
  "a abbr b blockquote br code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li ol p picture pre s samp source span strong sub summary sup table tbody td th thead tr ul var".split(
    " ",
  ),
);

function strayTag(html: string): boolean {
  const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(html.trimStart())?.[1];
  return name !== undefined && !GITHUB_ELEMENTS.has(name.toLowerCase());
}

const ID_ATTR = /<[a-z][^>]*\s(?:id|name)\s*=\s*["']([^"']+)["']/gi;
const HREF_ATTR = /<a\s[^>]*href\s*=\s*["']([^"']+)["']/gi;

/**
 * Parse a markdown file the way GitHub renders it: headings get GitHub's slugs (github-slugger, with `-1`,
 * `-2` for repeats), explicit `<a id>`/`<a name>` anchors count, and links inside code are not links.
 */
export function renderMarkdown(file: string): RenderedMarkdown {
  const tokens = md.parse(readFileSync(file, "utf8"), {});
  const slugger = new GithubSlugger();
  const links: MarkdownLink[] = [];
  const anchors = new Set<string>();
  const strayTags: { line: number; html: string }[] = [];
  let line = 1;
  tokens.forEach((token, i) => {
    if (token.map) line = token.map[0] + 1;
    if (token.type === "heading_open") {
      const inline = tokens[i + 1];
      const text = (inline?.children ?? [])
        .filter((child) => child.type === "text" || child.type === "code_inline")
        .map((child) => child.content)
        .join("");
      anchors.add(slugger.slug(text));
    }
    const html = token.type === "html_block" ? [token.content] : [];
    if (token.type === "html_block" && strayTag(token.content)) {
      strayTags.push({ line, html: token.content.split("\n")[0] ?? "" });
    }
    for (const child of token.children ?? []) {
      if (child.type === "link_open") {
        const href = child.attrGet("href");
        if (typeof href === "string" && href !== "") links.push({ file, line, href });
      }
      if (child.type === "image") {
        const src = child.attrGet("src");
        if (typeof src === "string" && src !== "") links.push({ file, line, href: src });
      }
      if (child.type === "html_inline") html.push(child.content);
      if (child.type === "html_inline" && strayTag(child.content))
        strayTags.push({ line, html: child.content });
    }
    for (const chunk of html) {
      for (const match of chunk.matchAll(ID_ATTR)) if (match[1]) anchors.add(match[1]);
      for (const match of chunk.matchAll(HREF_ATTR)) if (match[1]) links.push({ file, line, href: match[1] });
    }
  });
  return { links, anchors, strayTags };
}

/** A broken link: where it is and why it does not resolve. */
export interface BrokenLink extends MarkdownLink {
  readonly problem: string;
}

/**
 * Check the relative links of markdown files as GitHub resolves them: the target file or folder exists inside
 * the repository, and a `#fragment` names a heading or explicit anchor of the target markdown file.
 * Absolute URLs (https:, mailto:) are not fetched.
 */
export function checkLinks(
  files: readonly string[],
  repoRoot: string,
): { checked: number; broken: BrokenLink[] } {
  const cache = new Map<string, RenderedMarkdown>();
  const render = (file: string): RenderedMarkdown => {
    let rendered = cache.get(file);
    if (!rendered) {
      rendered = renderMarkdown(file);
      cache.set(file, rendered);
    }
    return rendered;
  };
  const broken: BrokenLink[] = [];
  let checked = 0;
  for (const file of files) {
    for (const link of render(file).links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.href) || link.href.startsWith("//")) continue;
      checked += 1;
      const [rawPath = "", fragment] = link.href.split("#");
      const path = decodeURIComponent(rawPath.split("?")[0] ?? "");
      const target =
        path === "" ? file : path.startsWith("/") ? join(repoRoot, path) : join(dirname(file), path);
      if (relative(repoRoot, target).startsWith("..")) {
        broken.push({ ...link, problem: `points outside the repository (${target})` });
        continue;
      }
      if (!existsSync(target)) {
        broken.push({ ...link, problem: `no such file: ${relative(repoRoot, target)}` });
        continue;
      }
      if (fragment === undefined || fragment === "") continue;
      if (statSync(target).isDirectory() || !target.endsWith(".md")) {
        broken.push({ ...link, problem: `#${fragment} on a file GitHub does not render as markdown` });
        continue;
      }
      const anchor = decodeURIComponent(fragment);
      if (!render(target).anchors.has(anchor)) {
        broken.push({ ...link, problem: `no heading or anchor #${anchor} in ${relative(repoRoot, target)}` });
      }
    }
  }
  return { checked, broken };
}
