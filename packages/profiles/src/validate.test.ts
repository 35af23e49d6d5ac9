import { describe, expect, it } from "vitest";
import { formatProfileIssue } from "./profile-error.js";
import { validateProfileDefinition } from "./validate.js";

const at = { file: "reviewer.md", path: [] };
const issuesOf = (def: unknown, location: { file?: string; path?: (string | number)[] } = at) => {
  const v = validateProfileDefinition(def, location);
  if (v.ok) throw new Error("expected issues");
  return v.issues;
};

describe("validateProfileDefinition (markdown profiles; config entries are validated by the config loader)", () => {
  it("reports a misspelt key with its JSON path and a did-you-mean (keys are case-sensitive)", () => {
    expect(issuesOf({ id: "x", permissions: { categories: { fileSystem: "read" } } })[0]).toMatchObject({
      code: "PROFILE_UNKNOWN_KEY",
      file: "reviewer.md",
      path: "permissions.categories.fileSystem",
      didYouMean: "filesystem",
    });
  });

  it("reports a misspelt constraint key deep inside tools, under the location's path prefix", () => {
    const def = {
      id: "x",
      permissions: { tools: { bash: { enabled: true, constraints: { allowedComands: [] } } } },
    };
    expect(issuesOf(def, { path: ["profiles", 3] })[0]).toMatchObject({
      code: "PROFILE_UNKNOWN_KEY",
      path: "profiles[3].permissions.tools.bash.constraints.allowedComands",
      didYouMean: "allowedCommands",
    });
  });

  it("checks the schema's cross-field rules: extends with compose, one tool named twice through an alias", () => {
    const both = issuesOf({ id: "both", extends: "p", compose: ["p"] });
    expect(both.map((i) => [i.code, i.path])).toEqual([["PROFILE_CONFLICT", "compose"]]);
    expect(formatProfileIssue(both[0] as never)).toContain(
      "reviewer.md: compose: `extends` and `compose` cannot be combined",
    );
    const twice = issuesOf({
      id: "twice",
      permissions: { tools: { bash: { enabled: false }, Shell: { enabled: true } } },
    });
    expect(twice.map((i) => [i.code, i.path])).toEqual([
      ["PROFILE_DUPLICATE_TOOL", "permissions.tools.Shell"],
    ]);
  });

  it("reports wrong types inside unions and arrays with their paths", () => {
    expect(issuesOf({ id: "x", extends: 3, tags: ["ok", ""] }, {}).map(formatProfileIssue)).toEqual([
      "extends: wrong type (got number 3, expected string or array)",
      'tags[1]: too small (got "", expected at least 1 characters)',
    ]);
  });
});
