import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { RuleId } from "./rules.js";
import type { Permissions } from "./schema.js";
import { makeTree, type TestTree } from "./test-tree.js";

let t: TestTree;
let reviewer: Permissions;

beforeAll(() => {
  t = makeTree(
    {
      ".env": "SECRET",
      "config/server.key": "KEY",
      "config/app.json": "{}",
      "src/a.ts": "// TODO",
      "src/lib/b.ts": "// TODO",
      "README.md": "readme",
      "secrets/token.txt": "TOKEN",
      "secrets/notes.md": "# secret notes",
      ".git/config": "[core]",
    },
    {},
    { "src/env-link": "../.env" },
  );
  reviewer = {
    categories: { filesystem: "read", execution: "none", network: "none" },
    paths: { denied: ["**/.env", "**/*.key", "**/.git/**", "secrets/**"] },
  };
});
afterAll(() => t.remove());

type Row = [args: Record<string, unknown>, rule: RuleId];

describe("OpenCode's grep tool is judged on every file ripgrep would search", () => {
  it.each<Row>([
    [{ pattern: "x" }, "paths.denied"],
    [{ pattern: "x", path: "." }, "paths.denied"],
    [{ pattern: "x", path: "config" }, "paths.denied"],
    [{ pattern: "x", path: "README.md" }, "paths.denied"],
    [{ pattern: "x", include: "*" }, "paths.denied"],
    [{ pattern: "x", include: "*.{json,key}" }, "paths.denied"],
    [{ pattern: "x", include: "[a-z]*" }, "paths.denied"],
    [{ pattern: "x", include: "src/**" }, "paths.denied"],
    [{ pattern: "x", path: "src" }, "allowed"],
    [{ pattern: "x", path: "src/a.ts" }, "allowed"],
    [{ pattern: "x", include: "*.ts" }, "allowed"],
    // a denied directory blocks only the files the include lets through (issue 11 review)
    [{ pattern: "x", include: "*.json" }, "allowed"],
    [{ pattern: "x", include: "*.txt" }, "paths.denied"],
    [{ pattern: "x", include: "*.{ts,md}" }, "paths.denied"],
    [{ pattern: "x", path: "config", include: "*.json" }, "allowed"],
  ])("%j → %s", (args, rule) => {
    const d = check(reviewer, { tool: "grep", args }, t.ctx);
    expect(d.rule, d.reason).toBe(rule);
  });

  it("skips .git like ripgrep's --glob=!**/.git/** and does not follow links (no --follow)", () => {
    const d = check(reviewer, { tool: "grep", args: { pattern: "x", include: "*.ts" } }, t.ctx);
    expect(d.decision, d.reason).toBe("allow");
  });

  it("names the denied file and what to do instead", () => {
    const d = check(reviewer, { tool: "grep", args: { pattern: "x", path: "README.md" } }, t.ctx);
    expect(d.reason).toContain("OpenCode searches its whole directory");
    expect(d.reason).toMatch(/including `(\.env|config\/server\.key)`/);
    expect(d.reason).toContain("Allowed instead: `path` set to a directory that holds no denied file");
  });

  it("leaves glob and list alone: they return names, not bytes", () => {
    for (const call of [
      { tool: "glob", args: { pattern: "**/*" } },
      { tool: "list", args: { path: "." } },
    ]) {
      expect(check(reviewer, call, t.ctx).decision).toBe("allow");
    }
  });
});
