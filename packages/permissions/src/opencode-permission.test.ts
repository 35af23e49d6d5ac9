import { posix } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import { toOpencodePermission, toOpencodeRuleset } from "./opencode-permission.js";
import type { OpencodePermission, OpencodeRule } from "./opencode-types.js";
import { profiles } from "./test-fixtures.js";

/** OpenCode 1.18.33's `Wildcard.match`, as bundled in the pinned binary. */
function match(input: string, pattern: string): boolean {
  const s = input.replaceAll("\\", "/");
  let re = pattern
    .replaceAll("\\", "/")
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  if (re.endsWith(" .*")) re = `${re.slice(0, -3)}( .*)?`;
  return new RegExp(`^${re}$`, "s").test(s);
}

/** OpenCode's `evaluate`: the last rule matching both permission and pattern wins; default `ask`. */
function evaluate(rules: readonly OpencodeRule[], permission: string, pattern: string): string {
  return rules.findLast((r) => match(permission, r.permission) && match(pattern, r.pattern))?.action ?? "ask";
}

/** A host agent's rules as OpenCode builds them (defaults allow everything), then the session's. */
const HOST_DEFAULTS: OpencodeRule[] = [
  { permission: "*", pattern: "*", action: "allow" },
  { permission: "external_directory", pattern: "*", action: "ask" },
  { permission: "read", pattern: "*", action: "allow" },
];

interface Where {
  cwd: string;
  worktree: string;
  home: string;
}
const GIT: Where = { cwd: "/proj", worktree: "/proj", home: "/home/u" };
const SUBDIR: Where = { cwd: "/repo/proj", worktree: "/repo", home: "/home/u" };
const NO_GIT: Where = { cwd: "/var/tmp/proj", worktree: "/", home: "/home/u" };

/**
 * What OpenCode decides for a file tool on `file` (absolute): `external_directory` first for a path
 * outside the project and the worktree, then `permission` on the path relative to the worktree.
 */
function fileDecision(
  rules: readonly OpencodeRule[],
  where: Where,
  permission: string,
  file: string,
): string {
  const inside = (dir: string) => file === dir || file.startsWith(dir === "/" ? "/" : `${dir}/`);
  if (!inside(where.cwd) && (where.worktree === "/" || !inside(where.worktree))) {
    const ext = evaluate(rules, "external_directory", posix.join(posix.dirname(file), "*"));
    if (ext !== "allow") return ext;
  }
  return evaluate(rules, permission, posix.relative(where.worktree, file));
}

function compile(permissions: unknown, where: Where): OpencodeRule[] {
  return [...HOST_DEFAULTS, ...toOpencodeRuleset(toOpencodePermission(permissions, where), where)];
}

describe("toOpencodePermission: file patterns as OpenCode matches them", () => {
  const coder = profiles.coder;
  it.each([
    ["a git project", GIT],
    ["a project in a subdirectory of a repository", SUBDIR],
    ["a project outside any repository (worktree /)", NO_GIT],
  ])("in %s: control files at the root and below are never editable", (_what, where) => {
    const rules = compile(coder, where);
    const at = (rel: string) => posix.join(where.cwd, rel);
    for (const rel of [
      ".opencode/plugin/x.js",
      ".opencode",
      "opencode.json",
      "opencode.jsonc",
      "orchestrator.json",
      ".opencode/orchestrator.json",
      ".git/config",
      ".git/hooks/pre-commit",
      ".git/commondir",
      ".git/info/attributes",
      ".git",
      ".npmrc",
      "bunfig.toml",
      "sub/pkg/.opencode/plugin/y.ts",
      "sub/opencode.json",
      "sub/.git/hooks/post-checkout",
      ".git/objects/ab/cdef",
      ".git/index",
      "tui.json",
    ])
      expect(fileDecision(rules, where, "edit", at(rel)), rel).toBe("deny");
    for (const rel of ["src/a.ts", "README.md", ".gitignore", "docs/opencode.md"])
      expect(fileDecision(rules, where, "edit", at(rel)), rel).toBe("allow");
    expect(fileDecision(rules, where, "edit", "/home/u/.config/opencode/opencode.json")).toBe("deny");
    // Orchestra's state and catalog cache, at their default places.
    for (const file of [
      "/home/u/.local/share/opencode/orchestra/registry.json",
      "/home/u/.local/share/opencode/orchestra/provider-slots.json",
      "/home/u/.cache/orchestra/catalog/p.json",
    ])
      expect(fileDecision(rules, where, "edit", file), file).toBe("deny");
  });

  it.each([
    ["a git project", GIT],
    ["a project in a subdirectory of a repository", SUBDIR],
    ["a project outside any repository (worktree /)", NO_GIT],
  ])(
    "in %s: denied paths are neither readable nor editable; outside the project is denied",
    (_what, where) => {
      const rules = compile(coder, where);
      const at = (rel: string) => posix.join(where.cwd, rel);
      for (const permission of ["read", "edit"]) {
        for (const rel of [".env", "sub/.env", "secrets/key.pem", "secrets/deep/x"])
          expect(fileDecision(rules, where, permission, at(rel)), `${permission} ${rel}`).toBe("deny");
        expect(fileDecision(rules, where, permission, "/home/u/.ssh/id_rsa")).toBe("deny");
        expect(fileDecision(rules, where, permission, "/etc/passwd")).toBe("deny");
        expect(fileDecision(rules, where, permission, at("src/deep/a.ts"))).toBe("allow");
      }
      expect(fileDecision(rules, where, "read", where.cwd)).toBe("allow");
    },
  );

  it("keeps files of the repository outside the project out of reach", () => {
    const rules = compile(coder, SUBDIR);
    expect(fileDecision(rules, SUBDIR, "read", "/repo/other/file.ts")).toBe("deny");
    expect(fileDecision(rules, SUBDIR, "edit", "/repo/package.json")).toBe("deny");
  });

  it("allows an allowed path outside the project, minus its denied subtree", () => {
    const p = {
      categories: { filesystem: "full" },
      paths: { allowed: ["**", "/data/**", "~/notes/*.md"], denied: ["/data/private/**"] },
    };
    for (const where of [GIT, NO_GIT]) {
      const rules = compile(p, where);
      expect(fileDecision(rules, where, "read", "/data/a/b.csv")).toBe("allow");
      expect(fileDecision(rules, where, "edit", "/home/u/notes/todo.md")).toBe("allow");
      expect(fileDecision(rules, where, "read", "/data/private/k")).toBe("deny");
      expect(evaluate(rules, "external_directory", "/data/private/*")).toBe("deny");
      expect(fileDecision(rules, where, "read", "/etc/hosts")).toBe("deny");
      expect(fileDecision(rules, where, "edit", posix.join(where.cwd, "src/x.ts"))).toBe("allow");
    }
  });

  it("unfolds braces, `**` and classes into patterns that cover at least the glob", () => {
    const p = { categories: { filesystem: "full" }, paths: { denied: ["**/*.{key,pem}", "cfg/[ab].json"] } };
    const rules = compile(p, GIT);
    for (const rel of ["server.key", "a/b/c.pem", "cfg/a.json"])
      expect(fileDecision(rules, GIT, "read", `/proj/${rel}`), rel).toBe("deny");
    expect(fileDecision(rules, GIT, "read", "/proj/keys.txt")).toBe("allow");
  });

  it("under filesystem: read, edit is denied and hidden; reads follow the path rules", () => {
    const c = toOpencodePermission(profiles.reviewer, GIT);
    expect(c.edit).toBe("deny");
    const rules = compile(profiles.reviewer, GIT);
    expect(fileDecision(rules, GIT, "read", "/proj/src/a.ts")).toBe("allow");
    expect(fileDecision(rules, GIT, "read", "/proj/.env")).toBe("deny");
  });
});

describe("toOpencodePermission: tools and shell", () => {
  it("starts from deny-all and opens only what the categories allow", () => {
    const c = toOpencodePermission(profiles.reviewer, GIT);
    expect(Object.keys(c)[0]).toBe("*");
    expect(c["*"]).toBe("deny");
    expect(c.webfetch).toBe("deny");
    expect(c.task).toBe("deny");
    const rules = compile(profiles.reviewer, GIT);
    expect(evaluate(rules, "bash", "git status")).toBe("allow");
    expect(evaluate(rules, "bash", "rm -rf x")).toBe("deny");
    expect(evaluate(rules, "my_mcp_tool", "*")).toBe("deny");
    expect(evaluate(rules, "spawn_worker", "*")).toBe("deny");
    expect(evaluate(rules, "invalid", "*")).toBe("allow");
  });

  it("compiles allowedCommands, never-allowed commands and denied flags (last match wins)", () => {
    const rules = compile(profiles.coder, GIT);
    expect(evaluate(rules, "bash", "npm test")).toBe("allow");
    expect(evaluate(rules, "bash", "sudo ls")).toBe("deny");
    expect(evaluate(rules, "bash", "git push --force")).toBe("deny");
    expect(evaluate(rules, "bash", "git checkout --force-with-lease")).toBe("deny");
    expect(evaluate(rules, "bash", "npx cowsay")).toBe("deny");
    expect(evaluate(rules, "bash", "node -e 1")).toBe("deny");
    const g = compile(profiles.gitOnly, GIT);
    expect(evaluate(g, "bash", "git status")).toBe("allow");
    expect(evaluate(g, "bash", "curl x")).toBe("deny");
    expect(evaluate(g, "bash", "gitx status")).toBe("deny");
    expect(evaluate(g, "bash", "bash -c 'git status'")).toBe("deny");
  });

  it("fits OpenCode 1.18.33's permission schema: action-only keys get an action", () => {
    for (const p of Object.values(profiles)) {
      const c = toOpencodePermission(p, GIT);
      for (const key of ["todowrite", "question", "webfetch", "websearch", "doom_loop"])
        if (key in c) expect(typeof c[key], `${key}`).toBe("string");
    }
  });

  it("allows OpenCode's repeat-call check (doom_loop) for every profile: denied, it failed the step and hid its usage", () => {
    for (const p of Object.values(profiles)) expect(toOpencodePermission(p, GIT).doom_loop).toBe("allow");
  });

  it("denies the shell under execution: none even when the tool is enabled", () => {
    const c = toOpencodePermission(
      { categories: { execution: "none" }, tools: { bash: { enabled: true } } },
      GIT,
    );
    expect(c.bash).toBe("deny");
  });

  it("allows explicitly enabled custom tools and task", () => {
    const c = toOpencodePermission(
      { tools: { my_mcp_tool: { enabled: true }, task: { enabled: true } } },
      GIT,
    );
    expect(c.my_mcp_tool).toBe("allow");
    expect(c.task).toBe("allow");
  });

  it("throws a typed error for invalid permissions", () => {
    try {
      toOpencodePermission({ categories: { fileSystem: "full" } }, GIT);
      expect.unreachable();
    } catch (error) {
      expect(OrchestraError.isInstance(error)).toBe(true);
      expect((error as OrchestraError).code).toBe("PERMISSIONS_INVALID");
      expect((error as Error).message).toContain("permissions.categories");
    }
  });
});

describe("toOpencodeRuleset", () => {
  it("flattens a config in key order as OpenCode's fromConfig does, expanding ~ and $HOME", () => {
    const config: OpencodePermission = {
      "*": "deny",
      read: { "*": "deny", "~/notes/*": "allow" },
      bash: "ask",
    };
    expect(toOpencodeRuleset(config, { home: "/home/u" })).toEqual([
      { permission: "*", pattern: "*", action: "deny" },
      { permission: "read", pattern: "*", action: "deny" },
      { permission: "read", pattern: "/home/u/notes/*", action: "allow" },
      { permission: "bash", pattern: "*", action: "ask" },
    ]);
  });

  it("refuses a value that is not an action", () => {
    expect(() => toOpencodeRuleset({ read: { "*": "maybe" } })).toThrow(/not an OpenCode permission action/);
    expect(() => toOpencodeRuleset({ read: 1 })).toThrow(/permission\.read/);
  });
});
