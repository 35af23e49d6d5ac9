import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { slug } from "github-slugger";
import { defineConfig } from "vitepress";
import { withMermaid } from "vitepress-plugin-mermaid";
import { escapeUnknownHtml } from "./escape-unknown-html.js";
import { repoLinks } from "./repo-links.js";
import { SRC_DIR, sidebar } from "./sidebar.js";

/** The documented release line, shown in the banner above every page. */
export const DOCS_VERSION = "0.3";

// Headings get GitHub's slugs, so a `#anchor` written for GitHub works unchanged in the site.
export default withMermaid(
  defineConfig({
    title: "Open Orchestra",
    description: "An OpenCode plugin that spawns, routes and supervises specialised worker agents.",
    srcDir: SRC_DIR,
    srcExclude: ["README.md", "**/node_modules/**", "scripts/**", "test/**", "public/**", ".artifacts/**"],
    outDir: "./.vitepress/dist",
    cacheDir: "./.vitepress/cache",
    head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
    lastUpdated: false,
    // Files TypeDoc copied from the READMEs (api/_media: fixtures, scripts) are links, not pages: serve them as is.
    buildEnd: (site) => {
      const media = join(SRC_DIR, "api", "_media");
      if (existsSync(media)) cpSync(media, join(site.outDir, "api", "_media"), { recursive: true });
    },
    cleanUrls: false,
    markdown: {
      anchor: { slugify: (text: string) => slug(text) },
      config: (md) => {
        escapeUnknownHtml(md);
        repoLinks(md, SRC_DIR);
      },
    },
    themeConfig: {
      nav: [
        { text: "Guide", link: "/docs/getting-started" },
        { text: "Configuration", link: "/reference/configuration" },
        { text: "Tools", link: "/reference/tools" },
        { text: `v${DOCS_VERSION}`, link: "/docs/runbooks/migrate-from-v0.2" },
      ],
      sidebar: sidebar(),
      search: { provider: "local" },
      editLink: {
        pattern: "https://github.com/0xSero/open-orchestra/edit/main/docs-site/:path",
        text: "Edit this page on GitHub",
      },
      socialLinks: [{ icon: "github", link: "https://github.com/0xSero/open-orchestra" }],
      outline: { level: [2, 3] },
    },
    mermaid: { securityLevel: "strict" },
  }),
);
