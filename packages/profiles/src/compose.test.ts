import { describe, expect, it } from "vitest";
import { resolve } from "./test-registry.js";

describe("compose: the most restrictive result", () => {
  const a = {
    id: "a",
    model: "auto:code",
    systemPrompt: "A",
    permissions: {
      categories: { filesystem: "full", execution: "full", network: "none" },
      tools: {
        bash: {
          enabled: true,
          constraints: { allowedCommands: ["git", "npm", "ls"], deniedFlags: ["--force"] },
        },
        mcp_x: { enabled: true },
      },
      paths: { allowed: ["src/**"], denied: ["**/.env"] },
    },
  };
  const b = {
    id: "b",
    model: "auto:docs",
    systemPrompt: "B",
    permissions: {
      categories: { filesystem: "read", execution: "sandboxed", network: "full" },
      tools: {
        bash: { enabled: true, constraints: { allowedCommands: ["git", "ls"], deniedFlags: ["--hard"] } },
      },
      paths: { allowed: ["src/**", "docs/**"], denied: ["secrets/**"] },
    },
  };

  it("takes the minimum level of each category", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    expect(r.profile.permissions.categories).toEqual({
      filesystem: "read",
      execution: "sandboxed",
      network: "none",
    });
    expect(r.provenance.fields["permissions.categories.network"]).toEqual({ from: ["a"], rule: "combined" });
  });

  it("ANDs enabled: a member that does not enable an uncovered tool (MCP) denies it", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    expect(r.profile.permissions.tools.mcp_x?.enabled).toBe(false);
    const only = resolve([a, { id: "aa", compose: ["a"] }], "aa");
    expect(only.profile.permissions.tools.mcp_x?.enabled).toBe(true);
  });

  it("ANDs enabled: a member that does not mention a category tool adds no constraint", () => {
    const c = { id: "c", permissions: { categories: { filesystem: "full" } } };
    const r = resolve([a, c, { id: "ac", compose: ["a", "c"] }], "ac");
    expect(r.profile.permissions.tools.bash?.enabled).toBe(true);
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git", "npm", "ls"]);
    expect(r.profile.permissions.categories.execution).toBe("none");
  });

  it("intersects allowedCommands, and an explicit empty list means nothing", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git", "ls"]);
    const empty = {
      id: "e",
      permissions: { tools: { bash: { enabled: true, constraints: { allowedCommands: [] } } } },
    };
    const r2 = resolve([a, empty, { id: "ae", compose: ["a", "e"] }], "ae");
    expect(r2.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual([]);
  });

  it("unions deniedFlags and denied paths", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    expect(r.profile.permissions.tools.bash?.constraints.deniedFlags).toEqual(["--force", "--hard"]);
    expect(r.profile.permissions.paths.denied).toEqual(["**/.env", "secrets/**"]);
  });

  it("requires a path to be allowed by every member that lists allowed paths", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    // ["src/**"] implies ["docs/**", "src/**"], so one list is enough.
    expect(r.profile.permissions.paths.allowed).toEqual([["src/**"]]);
    const c = { id: "c", permissions: { paths: { allowed: ["lib/**"] } } };
    const r2 = resolve([a, c, { id: "ac", compose: ["a", "c"] }], "ac");
    expect(r2.profile.permissions.paths.allowed).toEqual([["src/**"], ["lib/**"]]);
  });

  it("treats fields beside compose as one more member: they narrow, never widen", () => {
    const narrow = resolve(
      [
        a,
        b,
        {
          id: "ab",
          compose: ["a", "b"],
          permissions: { categories: { execution: "none" }, paths: { denied: ["tmp/**"] } },
        },
      ],
      "ab",
    );
    expect(narrow.profile.permissions.categories.execution).toBe("none");
    expect(narrow.profile.permissions.paths.denied).toContain("tmp/**");
    const wide = resolve(
      [
        a,
        b,
        {
          id: "ab",
          compose: ["a", "b"],
          permissions: {
            categories: { filesystem: "full", network: "full" },
            tools: { mcp_x: { enabled: true } },
          },
        },
      ],
      "ab",
    );
    expect(wide.profile.permissions.categories).toEqual({
      filesystem: "read",
      execution: "sandboxed",
      network: "none",
    });
    expect(wide.profile.permissions.tools.mcp_x?.enabled).toBe(false);
    expect(wide.provenance.widenings).toEqual([]);
  });

  it("side fields override non-permission fields; otherwise members combine", () => {
    const r = resolve([a, b, { id: "ab", compose: ["a", "b"], model: "auto:reasoning" }], "ab");
    expect(r.profile.model).toBe("auto:reasoning");
    expect(r.provenance.fields.model).toEqual({ from: ["ab"], rule: "own" });
    expect(r.profile.systemPrompt).toBe("A\n\nB");
    const plain = resolve([a, b, { id: "ab", compose: ["a", "b"] }], "ab");
    expect(plain.profile.model).toBe("auto:code");
    expect(plain.provenance.fields.model).toEqual({ from: ["a"], rule: "own" });
    expect(plain.provenance.ancestors).toEqual(["a", "b", "ab"]);
  });
});
