import { dirname, join, relative, sep } from "node:path";
import type { MarkdownRenderer } from "vitepress";

/** Where the repository's files are shown, for links that leave the site (package READMEs, sources). */
const REPO_BLOB = "https://github.com/0xSero/open-orchestra/blob/main";

/**
 * The same relative link works on GitHub and in the site: a link from a page to a file outside the site's
 * source folder (`../../packages/memory/README.md`) is rewritten to that file on GitHub.
 */
export function repoLinks(md: MarkdownRenderer, srcDir: string): void {
  const repoRoot = dirname(srcDir);
  const fallback = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = token?.attrGet("href");
    const page = (env as { path?: string }).path;
    if (token && href && page && !/^[a-z][a-z0-9+.-]*:|^#|^\//i.test(href)) {
      const [path = "", hash] = href.split("#");
      const target = join(dirname(page), decodeURIComponent(path));
      const fromSite = relative(srcDir, target);
      if (fromSite.startsWith(`..${sep}`) || fromSite === "..") {
        const inRepo = relative(repoRoot, target).split(sep).join("/");
        token.attrSet("href", `${REPO_BLOB}/${inRepo}${hash === undefined ? "" : `#${hash}`}`);
        token.attrSet("target", "_blank");
        token.attrSet("rel", "noreferrer");
      }
    }
    return fallback ? fallback(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
}
