import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tool } from "@opencode-ai/plugin";
import { describe, expect, it } from "vitest";
import { TOOL_CATEGORIES } from "../src/tools/reference.js";
import { TOOL_MODULES, TOOL_REFERENCES } from "../src/tools/references.js";
import { errorFamilyCodes, moduleGraph, raisableCodes } from "./tool-errors.js";
import { argSchema, toolDefinitions, toolNames, toolReferencePages, whenToUse } from "./tool-reference.js";

const repo = join(import.meta.dirname, "..", "..", "..");
const src = join(import.meta.dirname, "..", "src");

/** The elements every tool's reference must have. */
const ELEMENTS = ["description", "when to use", "parameters", "returns", "example", "errors"] as const;

function elementsOf(name: string): Record<(typeof ELEMENTS)[number], boolean> {
  const def = toolDefinitions()[name];
  const ref = TOOL_REFERENCES[name];
  if (!def || !ref)
    return {
      description: false,
      "when to use": false,
      parameters: false,
      returns: false,
      example: false,
      errors: false,
    };
  const { properties } = argSchema(def);
  return {
    description: def.description.trim().length > 20,
    "when to use": whenToUse(def, ref).length > 10,
    // Every parameter is typed and described (defaults and bounds are read from the same schema).
    parameters: Object.values(properties).every(
      (p) => (p.type !== undefined || p.enum !== undefined) && (p.description ?? "").length > 0,
    ),
    returns: ref.returns.trim().length > 10,
    // The example's arguments are valid for the tool's own schema, and it shows an answer.
    example:
      tool.schema.object(def.args).safeParse(ref.example.args).success &&
      ref.example.output.trim().length > 0,
    errors: Object.values(ref.errors).every((when) => when.trim().length > 0),
  };
}

describe("the tool reference", () => {
  it("is up to date with the tool definitions (run `pnpm --filter @orchestra/plugin run docs`)", () => {
    const pages = toolReferencePages();
    expect(Object.keys(pages).sort()).toEqual(
      [
        "docs-site/reference/tools.md",
        ...TOOL_CATEGORIES.map((c) => `docs-site/reference/tools/${c}.md`),
      ].sort(),
    );
    for (const [path, text] of Object.entries(pages)) {
      expect(existsSync(join(repo, path)), path).toBe(true);
      expect(readFileSync(join(repo, path), "utf8") === text, `${path} is stale`).toBe(true);
    }
    const generated = readdirSync(join(repo, "docs-site", "reference", "tools")).map(
      (f) => `docs-site/reference/tools/${f}`,
    );
    expect(generated.filter((p) => !(p in pages))).toEqual([]);
  });

  it("has a reference entry for every tool and none for a tool that does not exist", () => {
    expect(Object.keys(TOOL_REFERENCES).sort()).toEqual(toolNames());
  });

  it("is complete: every tool has every element (tools × elements)", () => {
    const names = toolNames();
    const missing = names.flatMap((name) =>
      Object.entries(elementsOf(name))
        .filter(([, ok]) => !ok)
        .map(([element]) => `${name}: ${element}`),
    );
    console.log(
      `tool reference: ${names.length} tools × ${ELEMENTS.length} elements, ${names.length * ELEMENTS.length - missing.length} present`,
    );
    expect(missing).toEqual([]);
    expect(names.length).toBeGreaterThanOrEqual(37);
  });

  it("documents only error codes of the error family that the tool's module graph can raise", () => {
    const family = errorFamilyCodes();
    expect(family.size).toBeGreaterThan(50);
    const wrong: string[] = [];
    let checked = 0;
    for (const [name, ref] of Object.entries(TOOL_REFERENCES)) {
      const module = TOOL_MODULES[name];
      expect(module, name).toBeDefined();
      const raisable = raisableCodes(moduleGraph(join(src, "tools", module as string)));
      for (const code of Object.keys(ref.errors)) {
        checked++;
        if (!family.has(code)) wrong.push(`${name}: ${code} is not a code of the error family`);
        else if (!raisable.has(code)) wrong.push(`${name}: ${code} is raised nowhere in ${module}'s imports`);
      }
    }
    console.log(`tool reference: ${checked} documented error codes, each in the family and raisable`);
    expect(wrong).toEqual([]);
  });

  it("tells a family code from a made-up one, and a module graph that cannot raise a code", () => {
    expect(errorFamilyCodes().has("MEMORY_NOT_FOUND")).toBe(true);
    expect(errorFamilyCodes().has("MEMORY_MADE_UP")).toBe(false);
    // The usage tool's module reaches the job journal but not the workflow runner.
    const usage = raisableCodes(moduleGraph(join(src, "tools", "usage.ts")));
    expect(usage.has("JOB_JOURNAL_UNAVAILABLE")).toBe(true);
    expect(usage.has("PLUGIN_WORKFLOW_NOT_FOUND")).toBe(false);
  });

  it("has every tool called by the scripted model in an end-to-end test", () => {
    const e2e = readdirSync(src)
      .filter((f) => f.endsWith(".e2e.test.ts"))
      .map((f) => readFileSync(join(src, f), "utf8"))
      .join("\n");
    // callTool("name", …), callToolIn(target, "name", …), host("name", …), or a helper callName(…).
    const called = (name: string) =>
      new RegExp(`(callTool|callToolIn|host)\\((?:[^,()]+,\\s*)?"${name}"`).test(e2e) ||
      e2e.includes(`call${name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}(`);
    const untested = toolNames().filter((name) => !called(name));
    expect(untested).toEqual([]);
  });
});
