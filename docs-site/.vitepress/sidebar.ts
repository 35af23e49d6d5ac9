import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { DefaultTheme } from "vitepress";

/** The site's source root: `docs-site/`, so the generators keep writing where GitHub shows the files. */
export const SRC_DIR = join(import.meta.dirname, "..");

/** The first `# ` heading of a markdown file, without inline code marks; the file name when it has none. */
function pageTitle(file: string): string {
  const heading = /^# (.+)$/m.exec(readFileSync(file, "utf8"));
  return heading?.[1]
    ? heading[1]
        .replace(/`/g, "")
        .replace(/<[^>]+>/g, "")
        .trim()
    : file;
}

function link(file: string): string {
  return `/${relative(SRC_DIR, file)
    .replace(/\\/g, "/")
    .replace(/(^|\/)index\.md$/, "$1")
    .replace(/\.md$/, "")}`;
}

function item(path: string, text?: string): DefaultTheme.SidebarItem {
  const file = join(SRC_DIR, path);
  return { text: text ?? pageTitle(file), link: link(file) };
}

/**
 * A group from a folder: the pages named in `first` in that order, then every other markdown file of the
 * folder by name, so a new page shows up without editing the sidebar.
 */
function folder(dir: string, first: readonly string[]): DefaultTheme.SidebarItem[] {
  const abs = join(SRC_DIR, dir);
  if (!existsSync(abs)) return [];
  const files = readdirSync(abs)
    .filter((name) => name.endsWith(".md"))
    .sort();
  const ordered = [
    ...first.filter((name) => files.includes(name)),
    ...files.filter((name) => !first.includes(name)),
  ];
  return ordered.map((name) => item(join(dir, name)));
}

/** The TypeDoc markdown output (`api/`, built by `typedoc`): its index, then one page per package. */
function apiItems(): DefaultTheme.SidebarItem[] {
  const root = join(SRC_DIR, "api");
  if (!existsSync(join(root, "index.md"))) return [];
  const packages: DefaultTheme.SidebarItem[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      const index = join(path, "index.md");
      if (existsSync(index))
        packages.push({ text: relative(root, path).replace(/\\/g, "/"), link: link(index) });
      else walk(path);
    }
  };
  walk(root);
  return [{ text: "Packages", link: "/api/" }, ...packages];
}

/** The sidebar: Guide, Deep dives, Tools, Configuration, Runbooks and API. */
export function sidebar(): DefaultTheme.SidebarItem[] {
  return [
    {
      text: "Guide",
      items: [item("docs/index.md", "Overview"), item("docs/getting-started.md")],
    },
    {
      text: "Deep dives",
      items: folder("docs/deep-dive", [
        "worker-lifecycle.md",
        "model-resolution.md",
        "communication-protocol.md",
        "memory-system.md",
      ]),
    },
    {
      text: "Tools",
      items: [item("reference/tools.md"), ...folder("reference/tools", []), ...folder("docs/tools", [])],
    },
    {
      text: "Configuration",
      items: [item("reference/configuration.md")],
    },
    {
      text: "Runbooks",
      items: folder("docs/runbooks", [
        "troubleshooting.md",
        "operations.md",
        "doctor.md",
        "migrate-from-v0.2.md",
      ]),
    },
    { text: "API", collapsed: true, items: apiItems() },
  ];
}
