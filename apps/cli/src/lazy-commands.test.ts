import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Issue 13: `orchestra --version`, `--help` and usage errors load only what declares the commands.
 * Each command's work is in `<name>-action.ts`, imported when its action runs; the build splits it
 * into its own chunk. This reads the built command (`dist/main.js`) and the chunks it imports
 * statically, and lists the packages they load before any action runs.
 */
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");

/** The specifiers of a built file's static imports (`import … from "x"` and `import "x"`). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^import\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["'];?$/gm)].map((m) => m[1] ?? "");
}

/** The name in the nearest package.json above `file`. */
function packageName(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
  }
  return undefined;
}

/**
 * The packages a built file holds inlined (the build bundles the dependencies): esbuild heads each
 * inlined module with a comment naming its path, relative to the CLI's directory.
 */
function inlinedPackages(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const paths = [...text.matchAll(/^\/\/ (\.\.\/[^\s]+)$/gm)].map((m) => resolve(dist, "..", m[1] ?? ""));
  return [...new Set(paths.map(packageName))].filter((n): n is string => n !== undefined);
}

/** The packages loaded by `main.js` and, transitively, the chunks it imports statically. */
function packagesAtStartup(): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const name of inlinedPackages(file)) packages.add(name);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier));
      else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier)) packages.add(specifier);
    }
  };
  visit(join(dist, "main.js"));
  return packages;
}

describe("the orchestra command loads its commands' work lazily", () => {
  it("before an action runs, it loads commander, @orchestra/core and the resolver's alias names only", () => {
    // @orchestra/resolver: `orchestra resolve`'s description names the default aliases.
    expect([...packagesAtStartup()].sort()).toEqual(["@orchestra/core", "@orchestra/resolver", "commander"]);
  });

  it("each command's action is a chunk of its own that the build emits", () => {
    const main = readFileSync(join(dist, "main.js"), "utf8");
    const lazy = [...new Set([...main.matchAll(/import\(["'](\.\/[^"']+)["']\)/g)].map((m) => m[1] ?? ""))];
    const names = lazy.map((l) => l.replace(/^\.\/|-[A-Z0-9]+\.js$/g, "")).sort();
    expect(names).toEqual([
      "config-action",
      "doctor-action",
      "jobs-action",
      "migrate-action",
      "permissions-action",
      "profiles-action",
      "resolve-action",
      "suggest-action",
      "usage-action",
      "workers-action",
      "workers-cancel-action",
      "workers-cleanup-action",
      "workers-merge-action",
      "workers-steer-action",
    ]);
    for (const chunk of lazy) expect(staticImports(join(dist, chunk)).length).toBeGreaterThan(0);
  });
});
