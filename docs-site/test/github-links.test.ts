import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLinks, renderMarkdown } from "./github-markdown.js";

const REPO = join(import.meta.dirname, "..", "..");

/** The root README and every package's and app's README. */
function readmes(): string[] {
  const packages = ["packages", "apps"].flatMap((dir) =>
    readdirSync(join(REPO, dir))
      .map((name) => join(REPO, dir, name, "README.md"))
      .filter((file) => existsSync(file)),
  );
  return [join(REPO, "README.md"), ...packages];
}

/** Every markdown page of the documentation site, as GitHub also shows them. */
function sitePages(): string[] {
  const out: string[] = [];
  for (const dir of ["docs", "reference"]) {
    const walk = (abs: string): void => {
      for (const entry of readdirSync(abs, { withFileTypes: true })) {
        const path = join(abs, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".md")) out.push(path);
      }
    };
    walk(join(REPO, "docs-site", dir));
  }
  return out.sort();
}

function report(broken: ReturnType<typeof checkLinks>["broken"]): string[] {
  return broken.map((b) => `${relative(REPO, b.file)}:${b.line}: ${b.href}: ${b.problem}`);
}

describe("markdown links as GitHub renders them", () => {
  it("gives headings GitHub's slugs and counts explicit anchors", () => {
    const { anchors } = renderMarkdown(join(REPO, "docs-site", "reference", "configuration.md"));
    expect(anchors.has("schema")).toBe(true);
    expect(anchors.has("profiles-id")).toBe(true);
    expect(anchors.has("-schema")).toBe(false);
  });

  it("resolves every relative link and #anchor of the root README and every package README", () => {
    const files = readmes();
    const { checked, broken } = checkLinks(files, REPO);
    console.log(`github-links: ${files.length} READMEs, ${checked} relative links checked`);
    expect(files.length).toBeGreaterThan(10);
    expect(report(broken)).toEqual([]);
  });

  it("has no angle-bracket prose (auto:<tag>) that GitHub would drop, in any README or site page", () => {
    const stray = [...readmes(), ...sitePages()].flatMap((file) =>
      renderMarkdown(file).strayTags.map((t) => `${relative(REPO, file)}:${t.line}: ${t.html}`),
    );
    expect(stray).toEqual([]);
  });

  it("resolves every relative link and #anchor of the site's markdown pages on GitHub", () => {
    const files = sitePages();
    const { checked, broken } = checkLinks(files, REPO);
    console.log(`github-links: ${files.length} site pages, ${checked} relative links checked`);
    expect(report(broken)).toEqual([]);
  });
});
