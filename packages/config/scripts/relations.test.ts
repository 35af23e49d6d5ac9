import { describe, expect, it } from "vitest";
import { configRelations, configRules, relatedKeys } from "../src/schema-relations.js";
import { buildArtifacts, keyAnchor, referenceEntries, ruleAnchor } from "./artifacts.js";

const keys = new Set(referenceEntries().map((e) => e.path));
const reference = (await buildArtifacts()).find((a) => a.path === "docs-site/reference/configuration.md");
const markdown = reference?.content ?? "";

describe("related options and cross-key rules of the configuration reference", () => {
  it("names only keys that exist in the schema", () => {
    const named = [...configRelations, ...configRules].flatMap((g) => g.keys);
    expect(named.filter((key) => !keys.has(key))).toEqual([]);
  });

  it("has groups of two or more distinct keys and rules of one or more", () => {
    for (const group of configRelations) {
      expect(group.keys.length, group.why).toBeGreaterThanOrEqual(2);
      expect(new Set(group.keys).size, group.why).toBe(group.keys.length);
    }
    for (const rule of configRules) expect(rule.keys.length, rule.rule).toBeGreaterThanOrEqual(1);
  });

  it("links only anchors that exist in the generated reference", () => {
    const anchors = new Set([...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const links = [...markdown.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(keys.size);
    expect(links.filter((href) => !anchors.has(href))).toEqual([]);
  });

  it("gives every related key its Related options line and lists every rule with its anchor", () => {
    for (const key of keys) {
      const related = relatedKeys(key, [...keys]);
      const section = markdown.split(`### <a id="${keyAnchor(key)}"></a>`)[1]?.split("\n### ")[0] ?? "";
      expect(section.includes("**Related options:**"), key).toBe(related.length > 0);
      for (const other of related) expect(section, key).toContain(`](#${keyAnchor(other)})`);
    }
    configRules.forEach((rule, i) => {
      expect(markdown).toContain(`<a id="${ruleAnchor(i + 1)}"></a>**Rule ${i + 1}.** ${rule.rule}`);
    });
  });
});
