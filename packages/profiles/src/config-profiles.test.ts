import { describe, expect, it } from "vitest";
import { profilesFromConfig } from "./config-profiles.js";
import { formatProfileIssue } from "./profile-error.js";

describe("profilesFromConfig", () => {
  it("separates enabled ids, valid definitions and invalid ones", () => {
    const r = profilesFromConfig(
      ["coder", { id: "mine", model: "auto:fast" }, { id: "bad", temperature: 5 }],
      {
        file: "o.json",
      },
    );
    expect(r.enabled).toEqual([{ id: "coder", file: "o.json", path: "profiles[0]" }]);
    expect(r.profiles.map((p) => [p.id, p.definition !== undefined])).toEqual([
      ["mine", true],
      ["bad", false],
    ]);
    expect(formatProfileIssue(r.profiles[1]?.issues[0] as never)).toBe(
      "o.json: profiles[2].temperature: too big (got 5, expected a number <= 2)",
    );
  });

  it("treats an absent array as no profiles and a non-array as an error", () => {
    expect(profilesFromConfig(undefined)).toEqual({ profiles: [], enabled: [], issues: [] });
    expect(formatProfileIssue(profilesFromConfig({ coder: {} }).issues[0] as never)).toBe(
      'profiles: wrong type (got {"coder":{}}, expected an array of profile ids and profile objects)',
    );
  });

  it("reports wrong types inside unions and arrays with their paths", () => {
    const r = profilesFromConfig([{ id: "x", extends: 3, tags: ["ok", ""] }], {
      path: ["orchestrator", "profiles"],
    });
    expect(r.profiles[0]?.issues.map(formatProfileIssue)).toEqual([
      "orchestrator.profiles[0].extends: wrong type (got number 3, expected string or array)",
      'orchestrator.profiles[0].tags[1]: too small (got "", expected at least 1 characters)',
    ]);
  });
});
