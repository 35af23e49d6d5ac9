import { OrchestraError } from "@orchestra/errors";
import { describe, expect, it } from "vitest";
import { toOpencodePermission } from "./opencode-permission.js";
import { profiles } from "./test-fixtures.js";

/**
 * OpenCode 1.18.33's matcher (`Wildcard.match`): `\\` becomes `/` in both the input and the pattern,
 * `*` crosses `/`, a trailing ` *` is optional; last matching rule wins.
 */
function evaluate(
  config: ReturnType<typeof toOpencodePermission>,
  permission: string,
  input: string,
): string {
  const match = (raw: string, pattern: string) => {
    const s = raw.replaceAll("\\", "/");
    let re = pattern
      .replaceAll("\\", "/")
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    if (re.endsWith(" .*")) re = `${re.slice(0, -3)}( .*)?`; // a trailing " *" is optional
    return new RegExp(`^${re}$`, "s").test(s);
  };
  let result = "ask";
  for (const [key, rule] of Object.entries(config)) {
    if (!match(permission, key)) continue;
    if (typeof rule === "string") result = rule;
    else for (const [pattern, action] of Object.entries(rule)) if (match(input, pattern)) result = action;
  }
  return result;
}

describe("toOpencodePermission", () => {
  it("starts from deny-all and opens only what the categories allow", () => {
    const c = toOpencodePermission(profiles.reviewer, { cwd: "/proj", home: "/home/u" });
    expect(c["*"]).toBe("deny");
    expect(Object.keys(c)[0]).toBe("*");
    expect(c.edit).toBe("deny");
    expect(c.webfetch).toBe("deny");
    expect(c.task).toBe("deny");
    expect(evaluate(c, "read", "/proj/src/a.ts")).toBe("allow");
    expect(evaluate(c, "read", "/proj/.env")).toBe("deny");
    expect(evaluate(c, "read", "/etc/passwd")).toBe("deny");
    expect(evaluate(c, "bash", "git status")).toBe("allow");
    expect(evaluate(c, "bash", "rm -rf x")).toBe("deny");
    expect(evaluate(c, "my_mcp_tool", "x")).toBe("deny");
  });

  it("compiles allowedCommands, never-allowed commands and denied flags (last match wins)", () => {
    const c = toOpencodePermission(profiles.coder, { cwd: "/proj", home: "/home/u" });
    expect(evaluate(c, "bash", "npm test")).toBe("allow");
    expect(evaluate(c, "bash", "sudo ls")).toBe("deny");
    expect(evaluate(c, "bash", "git push --force")).toBe("deny");
    expect(evaluate(c, "bash", "git checkout --force-with-lease")).toBe("deny");
    expect(evaluate(c, "bash", "npx cowsay")).toBe("deny");
    expect(evaluate(c, "bash", "node -e 1")).toBe("deny");
    expect(evaluate(c, "edit", "/proj/src/a.ts")).toBe("allow");
    expect(evaluate(c, "edit", "src/a.ts")).toBe("allow");
    expect(evaluate(c, "edit", "/proj/opencode.json")).toBe("deny");
    expect(evaluate(c, "edit", "/proj/.opencode/x")).toBe("deny");
    expect(evaluate(c, "edit", "/proj/.env")).toBe("deny");
    expect(evaluate(c, "read", "/home/u/.ssh/id_rsa")).toBe("deny");
    // OpenCode takes no URL patterns for webfetch: hosts are left to `check` under `localhost`.
    expect(c.webfetch).toBe("allow");
    const g = toOpencodePermission(profiles.gitOnly);
    expect(evaluate(g, "bash", "git status")).toBe("allow");
    expect(evaluate(g, "bash", "curl x")).toBe("deny");
  });

  it("fits OpenCode 1.18.33's permission schema: action-only keys get an action", () => {
    for (const p of Object.values(profiles)) {
      const c = toOpencodePermission(p, { cwd: "/proj", home: "/home/u" });
      for (const key of ["todowrite", "question", "webfetch", "websearch", "doom_loop"])
        if (key in c) expect(typeof c[key], `${key}`).toBe("string");
    }
  });

  it("lets ordinary project paths through (no rule reads as `*/*`)", () => {
    for (const p of [profiles.coder, profiles.reviewer]) {
      const c = toOpencodePermission(p, { cwd: "/proj", home: "/home/u" });
      expect(evaluate(c, "read", "/proj/src/deep/a.ts")).toBe("allow");
      expect(evaluate(c, "read", "src/a.ts")).toBe("allow");
      expect(evaluate(c, "list", "/proj/src")).toBe("allow");
    }
  });

  it("denies the shell under execution: none even when the tool is enabled", () => {
    const c = toOpencodePermission({ categories: { execution: "none" }, tools: { bash: { enabled: true } } });
    expect(c.bash).toBe("deny");
  });

  it("allows explicitly enabled custom tools and task", () => {
    const c = toOpencodePermission({ tools: { my_mcp_tool: { enabled: true }, task: { enabled: true } } });
    expect(c.my_mcp_tool).toBe("allow");
    expect(c.task).toBe("allow");
  });

  it("throws a typed error for invalid permissions", () => {
    try {
      toOpencodePermission({ categories: { fileSystem: "full" } });
      expect.unreachable();
    } catch (error) {
      expect(OrchestraError.isInstance(error)).toBe(true);
      expect((error as OrchestraError).code).toBe("PERMISSIONS_INVALID");
      expect((error as Error).message).toContain("permissions.categories");
    }
  });
});
