import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_REFERENCE, toolNames, toolReference } from "./tool-reference.js";

const repo = join(import.meta.dirname, "..", "..", "..");
const src = join(import.meta.dirname, "..", "src");

describe("the tool reference", () => {
  it("is up to date with the tool definitions (run `pnpm --filter @orchestra/plugin run docs`)", () => {
    expect(readFileSync(join(repo, TOOL_REFERENCE), "utf8") === toolReference()).toBe(true);
  });

  it("documents when to use every tool", () => {
    const names = toolNames();
    expect(names.length).toBeGreaterThanOrEqual(25);
    for (const name of names) expect(toolReference()).toContain(`### \`${name}\``);
  });

  it("has every tool called by the scripted model in an end-to-end test", () => {
    const e2e = readdirSync(src)
      .filter((f) => f.endsWith(".e2e.test.ts"))
      .map((f) => readFileSync(join(src, f), "utf8"))
      .join("\n");
    const untested = toolNames().filter((name) => !new RegExp(`callTool\\(\\s*"${name}"`).test(e2e));
    expect(untested).toEqual([]);
  });
});
