/**
 * `orchestra migrate` on v0.2.3's documented configs (migrate-fixtures/): the defaults of v0.2.3's
 * loader, the examples of its README and docs/configuration.md, and every built-in profile as v0.2.3
 * shipped it, with its `tools` map (the long system prompts are left out: migration never touches them).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { looksLikeV02, migrateV02, validateConfig } from "@orchestra/config";
import { describe, expect, it } from "vitest";

const dir = join(dirname(fileURLToPath(import.meta.url)), "migrate-fixtures");
const FIXTURES = readdirSync(dir).filter((f) => f.endsWith(".json"));

function load(fixture: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, fixture), "utf8")) as Record<string, unknown>;
}

/** Every leaf of a document as `[path, value]`, paths written as migrate writes them (`a.b[0].c`). */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [[path, value]];
    return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [[path, value]];
    return entries.flatMap(([k, v]) =>
      leaves(v, /^[A-Za-z_$][\w$]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`),
    );
  }
  return [[path, value]];
}

const under = (path: string, at: string): boolean =>
  path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);

describe("orchestra migrate on v0.2.3's documented configs", () => {
  it("has the fixtures: defaults, documented examples and every v0.2.3 built-in profile", () => {
    expect(FIXTURES.sort()).toEqual([
      "builtin-profiles.json",
      "defaults.json",
      "full-example.json",
      "profile-properties.json",
      "quick-start.json",
    ]);
    const builtins = load("builtin-profiles.json").profiles as { id: string; tools?: unknown }[];
    expect(builtins.map((p) => p.id)).toEqual(["vision", "docs", "coder", "architect", "explorer", "memory"]);
    expect(builtins.filter((p) => p.tools !== undefined).map((p) => p.id)).toEqual([
      "docs",
      "architect",
      "explorer",
    ]);
  });

  for (const fixture of FIXTURES) {
    describe(fixture, () => {
      const raw = load(fixture);
      const result = migrateV02(raw);

      it("migrates with every key placed, into a config that validates and no longer looks like v0.2", () => {
        expect(result.ok).toBe(true);
        expect(result.output["//migrate"]).toBeUndefined();
        const checked = validateConfig(result.output);
        expect(checked.ok ? [] : checked.issues).toEqual([]);
        expect(looksLikeV02(result.output)).toBe(false);
      });

      it("drops nothing silently: each input value is in the output at its path, or a change names it", () => {
        const out = new Map(leaves(result.output));
        for (const [path, value] of leaves(raw)) {
          if (out.has(path) && JSON.stringify(out.get(path)) === JSON.stringify(value)) continue;
          const named = result.changes.some(
            (c) => (c.action !== "kept" || c.to !== undefined) && under(path, c.path),
          );
          expect(named, `${path} changed without a note`).toBe(true);
        }
      });

      it("is stable: migrating the output again changes nothing", () => {
        expect(migrateV02(result.output).output).toEqual(result.output);
      });
    });
  }
});
