import { describe, expect, it } from "vitest";
import { resolve } from "./test-registry.js";

const parent = {
  id: "parent",
  model: "auto:code",
  systemPrompt: "parent prompt",
  permissions: {
    categories: { filesystem: "full", execution: "sandboxed", network: "localhost" },
    tools: {
      bash: { enabled: true, constraints: { allowedCommands: ["git", "npm"], deniedFlags: ["--force"] } },
    },
    paths: { allowed: ["src/**", "test/**"], denied: ["**/.env"] },
  },
};

describe("extends: category levels", () => {
  it("narrows a level silently (no widening recorded)", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { categories: { execution: "none" } } }],
      "child",
    );
    expect(r.profile.permissions.categories.execution).toBe("none");
    expect(r.provenance.widenings).toEqual([]);
    expect(r.provenance.fields["permissions.categories.execution"]).toEqual({ from: ["child"], rule: "own" });
  });

  it("widens a level only explicitly, and records the widening in provenance", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { categories: { network: "full" } } }],
      "child",
    );
    expect(r.profile.permissions.categories.network).toBe("full");
    expect(r.provenance.widenings).toEqual([
      { path: "permissions.categories.network", by: "child", from: "localhost", to: "full" },
    ]);
  });

  it("inherits unset levels from the parent, credited to the parent", () => {
    const r = resolve([parent, { id: "child", extends: "parent" }], "child");
    expect(r.profile.permissions.categories).toEqual(parent.permissions.categories);
    expect(r.provenance.fields["permissions.categories.filesystem"]).toEqual({
      from: ["parent"],
      rule: "inherited",
    });
    expect(r.provenance.fields.model).toEqual({ from: ["parent"], rule: "inherited" });
    expect(r.profile.name).toBe("child");
  });

  it("keeps the original ancestor in provenance through a chain", () => {
    const r = resolve([parent, { id: "mid", extends: "parent" }, { id: "leaf", extends: "mid" }], "leaf");
    expect(r.provenance.fields.systemPrompt).toEqual({ from: ["parent"], rule: "inherited" });
    expect(r.provenance.ancestors).toEqual(["parent", "mid", "leaf"]);
  });
});

describe("extends: denied flags and denied paths accumulate", () => {
  it("adds the child's denied flags to the parent's", () => {
    const r = resolve(
      [
        parent,
        {
          id: "child",
          extends: "parent",
          permissions: { tools: { bash: { enabled: true, constraints: { deniedFlags: ["--hard"] } } } },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash?.constraints.deniedFlags).toEqual(["--force", "--hard"]);
    expect(r.provenance.fields["permissions.tools.bash.deniedFlags"]).toEqual({
      from: ["parent", "child"],
      rule: "combined",
    });
  });

  it("an empty child list does not clear the parent's denied flags or paths", () => {
    const r = resolve(
      [
        parent,
        {
          id: "child",
          extends: "parent",
          permissions: {
            tools: { bash: { enabled: true, constraints: { deniedFlags: [] } } },
            paths: { denied: [] },
          },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash?.constraints.deniedFlags).toEqual(["--force"]);
    expect(r.profile.permissions.paths.denied).toEqual(["**/.env"]);
  });

  it("adds the child's denied paths to the parent's", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { paths: { denied: ["secrets/**"] } } }],
      "child",
    );
    expect(r.profile.permissions.paths.denied).toEqual(["**/.env", "secrets/**"]);
  });
});

describe("extends: tool settings deep-merge", () => {
  it("re-enabling a tool without constraints keeps the parent's constraints", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { tools: { BASH: { enabled: true } } } }],
      "child",
    );
    expect(r.profile.permissions.tools.bash).toEqual({
      enabled: true,
      constraints: { allowedCommands: ["git", "npm"], deniedFlags: ["--force"] },
    });
    expect(r.provenance.widenings).toEqual([]);
  });

  it("a child's narrower allowedCommands replaces the list without a widening", () => {
    const r = resolve(
      [
        parent,
        {
          id: "child",
          extends: "parent",
          permissions: { tools: { bash: { enabled: true, constraints: { allowedCommands: ["git"] } } } },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git"]);
    expect(r.provenance.widenings).toEqual([]);
  });

  it("a child's wider allowedCommands replaces the list and is recorded as a widening", () => {
    const r = resolve(
      [
        parent,
        {
          id: "child",
          extends: "parent",
          permissions: {
            tools: { shell: { enabled: true, constraints: { allowedCommands: ["git", "curl"] } } },
          },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git", "curl"]);
    expect(r.provenance.widenings).toEqual([
      {
        path: "permissions.tools.bash.allowedCommands",
        by: "child",
        from: '["git","npm"]',
        to: '["git","curl"]',
      },
    ]);
  });

  it("disabling a tool narrows; re-enabling a disabled tool is an explicit widening", () => {
    const off = resolve(
      [parent, { id: "off", extends: "parent", permissions: { tools: { bash: { enabled: false } } } }],
      "off",
    );
    expect(off.profile.permissions.tools.bash?.enabled).toBe(false);
    expect(off.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git", "npm"]);
    expect(off.provenance.widenings).toEqual([]);
    const on = resolve(
      [
        parent,
        { id: "off", extends: "parent", permissions: { tools: { bash: { enabled: false } } } },
        { id: "on", extends: "off", permissions: { tools: { bash: { enabled: true } } } },
      ],
      "on",
    );
    expect(on.profile.permissions.tools.bash?.enabled).toBe(true);
    expect(on.provenance.widenings.map((w) => w.path)).toEqual(["permissions.tools.bash.enabled"]);
  });

  it("enabling a tool no category covers (MCP) is recorded as a widening", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { tools: { mcp_github: { enabled: true } } } }],
      "child",
    );
    expect(r.provenance.widenings).toEqual([
      { path: "permissions.tools.mcp_github.enabled", by: "child", from: "unset (denied)", to: "true" },
    ]);
  });
});

describe("extends: a partial tool entry (no `enabled`) merges into the parent's", () => {
  const narrowOnly = {
    id: "child",
    extends: "parent",
    permissions: { tools: { bash: { constraints: { allowedCommands: ["git"] } } } },
  };

  it("a child that only narrows allowedCommands is valid and keeps the parent's switch and flags", () => {
    const r = resolve([parent, narrowOnly], "child");
    expect(r.profile.permissions.tools.bash).toEqual({
      enabled: true,
      constraints: { allowedCommands: ["git"], deniedFlags: ["--force"] },
    });
    expect(r.provenance.widenings).toEqual([]);
    expect(r.provenance.fields["permissions.tools.bash.enabled"]).toEqual({
      from: ["parent"],
      rule: "inherited",
    });
    expect(r.provenance.fields["permissions.tools.bash.allowedCommands"]).toEqual({
      from: ["child"],
      rule: "own",
    });
  });

  it("a silent `enabled` never re-enables a tool the parent disables", () => {
    const r = resolve(
      [
        parent,
        { id: "off", extends: "parent", permissions: { tools: { bash: { enabled: false } } } },
        {
          id: "child",
          extends: "off",
          permissions: { tools: { bash: { constraints: { deniedFlags: ["-f"] } } } },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash).toEqual({
      enabled: false,
      constraints: { allowedCommands: ["git", "npm"], deniedFlags: ["--force", "-f"] },
    });
    expect(r.provenance.widenings).toEqual([]);
  });

  it("an explicit wider list in a partial entry still widens, and says so", () => {
    const r = resolve(
      [
        parent,
        {
          id: "child",
          extends: "parent",
          permissions: { tools: { bash: { constraints: { allowedCommands: ["git", "curl"] } } } },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git", "curl"]);
    expect(r.provenance.widenings.map((w) => w.path)).toEqual(["permissions.tools.bash.allowedCommands"]);
  });

  it("with no parent entry, a category tool falls under its category and takes the constraints", () => {
    const r = resolve(
      [
        { id: "base", permissions: { categories: { execution: "sandboxed", filesystem: "full" } } },
        {
          id: "child",
          extends: "base",
          permissions: { tools: { Shell: { constraints: { allowedCommands: ["ls"] } } } },
        },
      ],
      "child",
    );
    expect(r.profile.permissions.tools.bash).toEqual({
      enabled: true,
      constraints: { allowedCommands: ["ls"], deniedFlags: [] },
    });
    expect(r.provenance.widenings).toEqual([]);
  });

  it("with no parent entry, a tool no category covers (MCP) stays denied", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { tools: { mcp_github: {} } } }],
      "child",
    );
    expect(r.profile.permissions.tools.mcp_github?.enabled).toBe(false);
    expect(r.provenance.widenings).toEqual([]);
  });

  it("a root profile's entry without `enabled` behaves as its category says", () => {
    const r = resolve(
      [
        {
          id: "root",
          permissions: { tools: { bash: { constraints: { deniedFlags: ["--force"] } }, mcp_x: {} } },
        },
      ],
      "root",
    );
    expect(r.profile.permissions.tools.bash?.enabled).toBe(true);
    expect(r.profile.permissions.tools.mcp_x?.enabled).toBe(false);
    expect(r.provenance.fields["permissions.tools.bash.enabled"]).toEqual({
      from: ["root"],
      rule: "default",
    });
  });

  it("beside `compose`, a partial entry constrains without voting on `enabled`", () => {
    const r = resolve(
      [
        parent,
        {
          id: "c",
          compose: ["parent"],
          permissions: { tools: { bash: { constraints: { allowedCommands: ["git", "curl"] } } } },
        },
      ],
      "c",
    );
    expect(r.profile.permissions.tools.bash?.enabled).toBe(true);
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git"]);
  });
});

describe("extends: allowed paths never widen", () => {
  it("a child's allowed list must also match (narrowing works)", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { paths: { allowed: ["src/**"] } } }],
      "child",
    );
    expect(r.profile.permissions.paths.allowed).toEqual([["src/**"]]);
  });

  it("a child's wider allowed list cannot widen: both lists must match", () => {
    const r = resolve(
      [parent, { id: "child", extends: "parent", permissions: { paths: { allowed: ["**"] } } }],
      "child",
    );
    expect(r.profile.permissions.paths.allowed).toEqual([["**"], ["src/**", "test/**"]]);
  });
});

describe("extends: several parents combine the compose way first", () => {
  it("takes the most restrictive of the parents, then applies the child", () => {
    const other = {
      id: "other",
      permissions: {
        categories: { filesystem: "read", execution: "full", network: "full" },
        paths: { allowed: ["src/**"] },
      },
    };
    const r = resolve([parent, other, { id: "child", extends: ["parent", "other"] }], "child");
    expect(r.profile.permissions.categories).toEqual({
      filesystem: "read",
      execution: "sandboxed",
      network: "localhost",
    });
    expect(r.profile.permissions.paths.allowed).toEqual([["src/**"]]);
    expect(r.provenance.fields["permissions.categories.filesystem"]?.from).toEqual(["other"]);
    expect(r.provenance.widenings).toEqual([]);
  });
});
