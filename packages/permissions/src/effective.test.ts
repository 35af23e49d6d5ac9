import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { ToolCall } from "./context.js";
import { type EffectivePermissions, fromEffective, isEffectiveInput } from "./effective.js";
import { toOpencodePermission } from "./opencode-permission.js";
import { ctx, profiles } from "./test-fixtures.js";

const bash = (command: string): ToolCall => ({ tool: "bash", args: { command } });
const write = (filePath: string): ToolCall => ({ tool: "write", args: { filePath, content: "x" } });
const read = (filePath: string): ToolCall => ({ tool: "read", args: { filePath } });

/** The effective form of `profiles.coder` (what `@orchestra/profiles` resolves it to). */
const coder: EffectivePermissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "localhost" },
  tools: { bash: { enabled: true, constraints: { deniedFlags: ["--force", "-f", "--hard"] } } },
  paths: { allowed: [], denied: ["**/.env", "~/.ssh/**", "secrets/**"] },
};
const reviewer: EffectivePermissions = {
  categories: { filesystem: "read", execution: "sandboxed", network: "none" },
  tools: {},
  paths: { allowed: [], denied: ["**/.env"] },
};

describe("fromEffective: the resolved shape", () => {
  it("decides exactly as the equivalent config shape does", () => {
    const calls: ToolCall[] = [
      bash("git status && npm test"),
      bash("git push --forc origin main"),
      bash("rm -rf x"),
      bash("cat ~/.ssh/id_rsa"),
      bash("echo hi > .opencode/x"),
      bash("curl http://127.0.0.1:4096/session"),
      bash("curl http://localhost:3000/"),
      write("src/a.ts"),
      write("secrets/key"),
      read(".env"),
      read("/etc/passwd"),
      { tool: "webfetch", args: { url: "http://0x7f.1/" } },
      { tool: "mcp_thing", args: {} },
    ];
    for (const [config, effective] of [
      [profiles.coder, coder],
      [profiles.reviewer, reviewer],
    ] as const) {
      for (const call of calls) {
        const a = check(config, call, ctx);
        const b = check(fromEffective(effective), call, ctx);
        expect({ call, rule: b.rule, decision: b.decision }).toEqual({
          call,
          rule: a.rule,
          decision: a.decision,
        });
        expect(b.reason).toBe(a.reason);
      }
    }
  });

  it("reads paths.allowed as an intersection: a path must match one glob of every list", () => {
    const p = fromEffective({
      ...coder,
      paths: {
        allowed: [
          ["src/**", "docs/**"],
          ["**/*.ts", "**/*.md"],
        ],
        denied: [],
      },
    });
    expect(check(p, write("src/a.ts"), ctx).decision).toBe("allow");
    expect(check(p, write("docs/guide.md"), ctx).decision).toBe("allow");
    const outOfSecond = check(p, write("src/a.json"), ctx);
    expect(outOfSecond).toMatchObject({ decision: "deny", rule: "paths.not-allowed" });
    expect(outOfSecond.reason).toContain("one of (`src/**`, `docs/**`) and one of (`**/*.ts`, `**/*.md`)");
    expect(check(p, write("test/a.ts"), ctx).rule).toBe("paths.not-allowed");
    expect(check(p, bash("cat test/a.ts"), ctx).rule).toBe("paths.not-allowed");
  });

  it("an empty outer list means the project root and below; an empty inner list allows nothing", () => {
    const root = fromEffective(coder);
    expect(check(root, write("/proj/deep/x.ts"), ctx).decision).toBe("allow");
    expect(check(root, write("/elsewhere/x.ts"), ctx).rule).toBe("paths.not-allowed");
    const nothing = fromEffective({ ...coder, paths: { allowed: [[]], denied: [] } });
    const d = check(nothing, read("src/a.ts"), ctx);
    expect(d).toMatchObject({ decision: "deny", rule: "paths.not-allowed" });
    expect(d.reason).toContain("no path at all");
  });

  it("keeps validating: unknown keys, missing levels and bad values deny every call with the path", () => {
    const cases: [unknown, string][] = [
      [{ ...coder, extra: 1 }, "permissions: Unrecognized key"],
      [{ ...coder, categories: { filesystem: "full", execution: "full" } }, "permissions.categories.network"],
      [{ ...coder, categories: { ...coder.categories, fileSystem: "read" } }, "permissions.categories"],
      [{ ...coder, tools: { bash: { enabled: true } } }, "permissions.tools.bash.constraints"],
      [{ ...coder, paths: { allowed: ["src/**"], denied: [] } }, "permissions.paths.allowed[0]"],
      [{ ...coder, tools: { Bash: coder.tools.bash, shell: coder.tools.bash } }, "name the same tool"],
      [null, "permissions"],
    ];
    for (const [value, where] of cases) {
      const d = check(fromEffective(value as EffectivePermissions), bash("ls"), ctx);
      expect(d.rule).toBe("permissions.invalid");
      expect(d.reason).toContain(where);
    }
  });

  it("never weakens the config shape: lists of lists are only accepted through the marker", () => {
    const nested = { ...profiles.coder, paths: { allowed: [["src/**"]] } };
    expect(check(nested, bash("ls"), ctx).rule).toBe("permissions.invalid");
    // The effective object itself, unmarked, is read as config (and fails on the nested list).
    expect(check({ ...coder, paths: { allowed: [["src/**"]], denied: [] } }, bash("ls"), ctx).rule).toBe(
      "permissions.invalid",
    );
  });

  it("returns one marker per object, recognised across package copies", () => {
    expect(fromEffective(coder)).toBe(fromEffective(coder));
    expect(isEffectiveInput(fromEffective(coder))).toBe(true);
    expect(isEffectiveInput(coder)).toBe(false);
    const foreign = { [Symbol.for("@orchestra/permissions.effective")]: reviewer };
    expect(check(foreign, bash("rm x"), ctx).rule).toBe("shell.not-read-only");
  });

  it("compiles to the same OpenCode permission as the config shape", () => {
    const opts = { cwd: "/proj", home: "/home/u" };
    expect(toOpencodePermission(fromEffective(coder), opts)).toEqual(
      toOpencodePermission(profiles.coder, opts),
    );
    expect(() => toOpencodePermission(fromEffective({ ...coder, tools: 1 } as never), opts)).toThrow(
      /permissions\.tools/,
    );
  });

  it("compiles an intersection to its first list (a superset; check enforces the rest)", () => {
    const c = toOpencodePermission(
      fromEffective({ ...coder, paths: { allowed: [["src/**"], ["**/*.ts"]], denied: [] } }),
      { cwd: "/proj", home: "/home/u", worktree: "/proj" },
    );
    expect(c.read).toMatchObject({ src: "allow", "src/*": "allow" });
    expect(Object.keys(c.read as object)).not.toContain("*/*.ts");
  });
});
