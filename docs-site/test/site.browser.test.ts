import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sidebar } from "../.vitepress/sidebar.js";
import { chromiumPath } from "./chromium.js";
import { type StaticSite, serveStatic } from "./serve-static.js";

const SITE = join(import.meta.dirname, "..");
const DIST = join(SITE, ".vitepress", "dist");
const ARTIFACTS = join(SITE, ".artifacts");
const REPO = join(SITE, "..");
/** Pages whose Mermaid diagrams must all render (an SVG each, no syntax error). */
const DIAGRAM_PAGES = [
  "/docs/deep-dive/worker-lifecycle.html",
  "/docs/deep-dive/model-resolution.html",
  "/docs/deep-dive/memory-system.html",
  "/docs/runbooks/troubleshooting.html",
];

interface SidebarLink {
  text?: string;
  link?: string;
  items?: SidebarLink[];
}

function sidebarLinks(items: readonly SidebarLink[]): string[] {
  return items.flatMap((item) => [...(item.link ? [item.link] : []), ...sidebarLinks(item.items ?? [])]);
}

/**
 * Every tool name, from the generated tool reference (`reference/tools.md` and its category pages under
 * `reference/tools/`): each tool's `### \`name\`` heading or its row in the index table.
 */
function toolNames(): string[] {
  const dir = join(SITE, "reference", "tools");
  const files = [
    join(SITE, "reference", "tools.md"),
    ...(existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []),
  ].filter((file) => file.endsWith(".md"));
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^### `([a-z_]+)`$|^\| \[`([a-z_]+)`\]\(/gm)) names.add(m[1] ?? m[2] ?? "");
  }
  return [...names].sort();
}

/** Every top-level key of orchestrator.json, from the generated JSON Schema. */
function topLevelKeys(): string[] {
  const schema = JSON.parse(readFileSync(join(REPO, "schema", "orchestrator.schema.json"), "utf8")) as {
    properties: Record<string, unknown>;
  };
  return Object.keys(schema.properties);
}

/** A page's URL path as the site serves it: `/docs/x` → `/docs/x.html`, `/api/` stays. */
function pagePath(link: string): string {
  const [path = "/"] = link.split("#");
  return path.endsWith("/") || path.endsWith(".html") ? path : `${path}.html`;
}

interface Visit {
  status: number;
  errors: string[];
  ids: Set<string>;
  links: string[];
}

let browser: Browser;
let site: StaticSite;
const visits = new Map<string, Visit>();

async function visit(page: Page, path: string): Promise<Visit> {
  const known = visits.get(path);
  if (known) return known;
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === "error") errors.push(message.text());
  };
  const onPageError = (error: Error) => errors.push(error.message);
  const onResponse = (response: { status(): number; url(): string }) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} for ${response.url()}`);
  };
  page.on("response", onResponse);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  const response = await page.goto(`${site.origin}${path}`, { waitUntil: "load" });
  await page.waitForSelector("#app .VPContent, #app .VPHome, #app .VPDoc, #app .NotFound", {
    state: "attached",
  });
  const found = await page.evaluate(() => ({
    ids: [...document.querySelectorAll("[id]")].map((el) => el.id),
    links: [...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href),
  }));
  page.off("console", onConsole);
  page.off("pageerror", onPageError);
  page.off("response", onResponse);
  const result = { status: response?.status() ?? 0, errors, ids: new Set(found.ids), links: found.links };
  visits.set(path, result);
  return result;
}

/**
 * A page that no sidebar page is (an API page a link leads to), read as served: its HTTP status and
 * the ids of its server-rendered HTML, which are the ids the browser shows after hydration.
 */
async function served(path: string): Promise<Pick<Visit, "status" | "ids">> {
  const response = await fetch(`${site.origin}${path}`);
  const html = await response.text();
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeHtml(m[1] ?? "")));
  return { status: response.status, ids };
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`the site is not built (${DIST} has no index.html): run \`pnpm docs:build\` first`);
  }
  site = await serveStatic(DIST);
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox"] });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe("the documentation site in a real browser (Debian's Chromium, headless)", () => {
  const pages = [...new Set(["/", ...sidebarLinks(sidebar() as SidebarLink[]).map(pagePath)])];

  it("has the six sidebar groups", () => {
    expect(sidebar().map((group) => group.text)).toEqual([
      "Guide",
      "Deep dives",
      "Tools",
      "Configuration",
      "Runbooks",
      "API",
    ]);
  });

  it("serves every sidebar page with HTTP 200 and no console errors", async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    for (const path of pages) {
      const result = await visit(page, path);
      if (result.status !== 200) failures.push(`${path}: HTTP ${result.status}`);
      for (const error of result.errors) failures.push(`${path}: console error: ${error}`);
    }
    await page.close();
    console.log(`site: ${pages.length} sidebar pages visited`);
    expect(pages.length).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  }, 600_000);

  it("resolves every internal link and #anchor to a page and an element", async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    const checked = new Set<string>();
    for (const from of pages) {
      const source = await visit(page, from);
      for (const href of source.links) {
        const url = new URL(href);
        if (url.origin !== site.origin || checked.has(`${url.pathname}${url.hash}`)) continue;
        checked.add(`${url.pathname}${url.hash}`);
        const target = visits.get(url.pathname) ?? (await served(url.pathname));
        if (target.status !== 200) {
          failures.push(`${from}: link ${url.pathname}: HTTP ${target.status}`);
          continue;
        }
        const id = decodeURIComponent(url.hash.slice(1));
        if (id !== "" && !target.ids.has(id))
          failures.push(`${from}: link ${url.pathname}${url.hash}: no element #${id}`);
      }
    }
    await page.close();
    console.log(
      `site: ${checked.size} internal links (with their #anchors) checked from ${pages.length} pages`,
    );
    expect(checked.size).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 600_000);

  /**
   * Open the local search box. The search button is in the server-rendered HTML before Vue has
   * hydrated the page and attached its handler; on a loaded machine a click can land before that
   * and do nothing, so it is clicked again until the box is there.
   */
  async function openSearch(page: Page): Promise<Locator> {
    const input = page.locator("#localsearch-input");
    for (let attempt = 1; ; attempt++) {
      await page.locator(".VPNavBarSearch button").first().click();
      try {
        await input.waitFor({ state: "visible", timeout: 5_000 });
        return input;
      } catch (error) {
        if (attempt === 12) throw error;
      }
    }
  }

  it("finds each tool name and each top-level config key with the local search", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    const queries = [...toolNames(), ...topLevelKeys()];
    const missing: string[] = [];
    for (const query of queries) {
      await page.keyboard.press("Escape");
      const input = await openSearch(page);
      await input.fill(query);
      const wanted = query.replace(/^\$/, "");
      const hit = page.locator(".VPLocalSearchBox .results li", { hasText: wanted }).first();
      try {
        await hit.waitFor({ state: "visible", timeout: 10_000 });
      } catch {
        missing.push(query);
      }
    }
    await page.close();
    console.log(`site: search checked for ${queries.length} names (tools and top-level keys)`);
    expect(toolNames().length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  }, 600_000);

  it("renders every Mermaid diagram without a syntax error and saves screenshots of the home page and a deep dive", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.origin}/`);
    await expect(page.locator(".version-banner").textContent()).resolves.toContain("0.3");
    await page.screenshot({ path: join(ARTIFACTS, "home.png"), fullPage: true });
    const diagrams: string[] = [];
    for (const path of DIAGRAM_PAGES) {
      await page.goto(`${site.origin}${path}`);
      // Every diagram drawn as an SVG, and none as Mermaid's "Syntax error in text" (.error-icon, .error-text).
      const drawn = await page
        .waitForFunction(
          () => {
            const all = [...document.querySelectorAll(".mermaid")];
            return (
              all.length > 0 &&
              all.every(
                (el) =>
                  el.querySelector("svg") !== null && el.querySelector(".error-icon, .error-text") === null,
              )
            );
          },
          undefined,
          { timeout: 30_000 },
        )
        .then(() => true)
        .catch(() => false);
      diagrams.push(drawn ? "ok" : `${path}: a diagram is missing or does not parse`);
    }
    expect(diagrams.filter((d) => d !== "ok")).toEqual([]);
    await page.goto(`${site.origin}/docs/deep-dive/worker-lifecycle.html`);
    await page.locator(".mermaid svg").first().waitFor({ state: "visible", timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, "deep-dive-worker-lifecycle.png"), fullPage: true });
    await page.close();
    expect(existsSync(join(ARTIFACTS, "home.png"))).toBe(true);
    expect(existsSync(join(ARTIFACTS, "deep-dive-worker-lifecycle.png"))).toBe(true);
  }, 120_000);
});
