import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "./builtins.js";
import { findProfile, stem } from "./discovery.js";

const top = (task: string) => findProfile(task, BUILTIN_PROFILES, { limit: 1 })[0];

describe("findProfile", () => {
  it.each([
    ["analyze this image and extract text", "vision"],
    ["write a REST API endpoint", "coder"],
    ["review this PR for security issues", "architect"],
  ])("seed example %j → %s", (task, id) => {
    const best = top(task);
    expect(best?.profile.id).toBe(id);
    expect(best?.confidence).toBeGreaterThan(0.5);
  });

  it("explains a match with the tags that matched", () => {
    expect(top("analyze this image and extract text")?.reasons).toEqual(
      expect.arrayContaining(['tag "extract text"', 'tag "image"']),
    );
  });

  it("ranks best first, confidences in [0, 1], and honours limit", () => {
    const all = findProfile("review the design of this screenshot", BUILTIN_PROFILES, { limit: 6 });
    expect(all).toHaveLength(6);
    for (let i = 1; i < all.length; i++)
      expect(all[i - 1]?.confidence).toBeGreaterThanOrEqual(all[i]?.confidence ?? 0);
    for (const m of all) {
      expect(m.confidence).toBeGreaterThanOrEqual(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
    }
    expect(findProfile("fix the bug", BUILTIN_PROFILES)).toHaveLength(3);
    expect(findProfile("fix the bug", BUILTIN_PROFILES, { limit: 0 })).toEqual([]);
  });

  it("gives zero confidence when nothing matches, and says so", () => {
    const best = top("hello there");
    expect(best?.confidence).toBe(0);
    expect(best?.reasons).toEqual(["no keyword or tag matched"]);
  });

  it("lowers confidence when evidence points at two profiles", () => {
    const clear = top("fix the failing unit test")?.confidence ?? 0;
    const mixed = top("fix the screenshot")?.confidence ?? 0;
    expect(mixed).toBeLessThan(clear);
  });

  it("works on user profiles and their tags", () => {
    const profiles = [
      ...BUILTIN_PROFILES,
      { id: "db-admin", purpose: "Runs database migrations", tags: ["postgres", "sql"] },
    ];
    expect(findProfile("tune this slow postgres sql query", profiles, { limit: 1 })[0]?.profile.id).toBe(
      "db-admin",
    );
  });

  it("does not credit a profile for words in its negative clauses", () => {
    const profiles = [
      { id: "a", whenToUse: "Use for diagrams. Not for writing code." },
      { id: "b", purpose: "Writes code." },
    ];
    const [best, second] = findProfile("writing code", profiles, { limit: 2 });
    expect(best?.profile.id).toBe("b");
    expect(second?.confidence).toBe(0);
  });

  it("is deterministic and order-stable on ties", () => {
    expect(findProfile("", BUILTIN_PROFILES, { limit: 6 }).map((m) => m.profile.id)).toEqual(
      BUILTIN_PROFILES.map((p) => p.id),
    );
  });
});

describe("stem", () => {
  it.each([
    ["images", "imag"],
    ["image", "imag"],
    ["imaging", "imag"],
    ["parsing", "pars"],
    ["parses", "pars"],
    ["coding", "code"],
    ["notes", "note"],
    ["fixes", "fix"],
    ["planning", "plan"],
    ["classes", "class"],
    ["analysis", "analysis"],
    ["prs", "pr"],
  ])("%s → %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});
