import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatIssue } from "./issue.js";
import { issuesFromZod } from "./zod-issues.js";

const schema = z.strictObject({
  name: z.string().min(2),
  mode: z.enum(["performance", "balanced", "economical"]).optional(),
  retries: z.number().int().max(5).optional(),
  tools: z.record(z.string(), z.boolean()).optional(),
  model: z.union([z.string(), z.strictObject({ id: z.string() })]).optional(),
});
const keys = ["name", "mode", "retries", "tools", "model"];

function issuesOf(input: unknown, options: Parameters<typeof issuesFromZod>[2] = {}) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected issues");
  return issuesFromZod(parsed.error.issues, input, {
    keysAt: (path) => (path.length === 0 ? keys : []),
    ...options,
  });
}

describe("issuesFromZod", () => {
  it("names the path, the bad value, what was expected and a close spelling", () => {
    const issues = issuesOf({ name: "x", mode: "perf", retrys: 3 }, { file: "orchestrator.json" });
    expect(issues.map((i) => formatIssue(i))).toEqual([
      'name: too small (got "x", expected at least 2 characters)',
      'mode: invalid value (got "perf", expected one of "performance", "balanced", "economical"); did you mean "performance"?',
      'retrys: unknown key (got "retrys", expected one of "name", "mode", "retries", "tools", "model"); did you mean "retries"?',
    ]);
    expect(issues.every((i) => i.file === "orchestrator.json")).toBe(true);
    expect(issues.map((i) => i.kind)).toEqual(["too_small", "invalid_value", "unrecognized_keys"]);
  });

  it("reports wrong and missing types, with the kind of value found", () => {
    const issues = issuesOf({ retries: "3" });
    expect(issues.map((i) => formatIssue(i))).toEqual([
      "name: missing required value (got nothing, expected string)",
      'retries: wrong type (got string "3", expected number)',
    ]);
  });

  it("reports a union against the branch of the value's shape, and prefixes paths", () => {
    const byShape = issuesOf({ name: "ok", model: { id: 4 } }, { prefix: ["profiles", 2] });
    expect(byShape.map((i) => formatIssue(i))).toEqual([
      "profiles[2].model.id: wrong type (got number 4, expected string)",
    ]);
    expect(byShape[0]?.at).toEqual(["model", "id"]);
    const neither = issuesOf({ name: "ok", model: 4 });
    expect(neither.map((i) => formatIssue(i))).toEqual([
      "model: wrong type (got number 4, expected string or object)",
    ]);
  });

  it("flattens record values and names odd keys as JSON", () => {
    const issues = issuesOf({ name: "ok", tools: { "my tool": "yes" } });
    expect(issues.map((i) => formatIssue(i))).toEqual([
      'tools["my tool"]: wrong type (got string "yes", expected boolean)',
    ]);
  });
});
