import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { CheckContext, ToolCall } from "./context.js";
import type { RuleId } from "./rules.js";
import { ctx, type ProfileName, profiles } from "./test-fixtures.js";

type Row = [profile: ProfileName, call: ToolCall, rule: RuleId];

function table(name: string, rows: readonly Row[], context: CheckContext = ctx): void {
  describe(name, () => {
    it.each(rows)("%s: %j → %s", (profile, call, rule) => {
      const d = check(profiles[profile], call, context);
      expect(d.rule, d.reason).toBe(rule);
      expect(d.decision).toBe(rule === "allowed" ? "allow" : "deny");
    });
  });
}

const read = (filePath: string): ToolCall => ({ tool: "read", args: { filePath } });
const write = (filePath: string): ToolCall => ({ tool: "write", args: { filePath, content: "x" } });

table("categories and tool names", [
  ["empty", read("src/a.ts"), "filesystem.none"],
  ["empty", { tool: "bash", args: { command: "ls" } }, "execution.none"],
  ["empty", { tool: "webfetch", args: { url: "http://localhost/" } }, "network.none"],
  ["reviewer", read("src/a.ts"), "allowed"],
  ["reviewer", { tool: "READ", args: { filePath: "src/a.ts" } }, "allowed"],
  ["reviewer", write("src/a.ts"), "filesystem.read-only"],
  [
    "reviewer",
    { tool: "edit", args: { filePath: "src/a.ts", oldString: "a", newString: "b" } },
    "filesystem.read-only",
  ],
  [
    "reviewer",
    { tool: "Patch", args: { patchText: "*** Begin Patch\n*** Add File: a\n+x\n*** End Patch" } },
    "filesystem.read-only",
  ],
  ["reviewer", { tool: "glob", args: { pattern: "**/*.ts" } }, "allowed"],
  ["reviewer", { tool: "grep", args: { pattern: "foo", path: "src" } }, "allowed"],
  ["reviewer", { tool: "list", args: {} }, "allowed"],
  ["noFiles", { tool: "list", args: {} }, "filesystem.none"],
  ["noFiles", { tool: "glob", args: { pattern: "*" } }, "filesystem.none"],
  ["coder", write("src/a.ts"), "allowed"],
  ["coder", { tool: "multiedit", args: { filePath: "src/a.ts", edits: [] } }, "allowed"],
  ["coder", { tool: "todowrite", args: { todos: [] } }, "allowed"],
  ["coder", { tool: "my_mcp_tool", args: {} }, "tools.uncovered"],
  ["coder", { tool: "task", args: { prompt: "x", subagent_type: "general" } }, "tools.task-not-enabled"],
  ["coder", { tool: "subagent", args: {} }, "tools.task-not-enabled"],
  ["coder", { tool: "websearch", args: { query: "x" } }, "network.full-only"],
  ["open", { tool: "websearch", args: { query: "x" } }, "allowed"],
  ["coder", { tool: "read", args: {} }, "call.invalid"],
  ["coder", { tool: "read", args: "nope" }, "call.invalid"],
  ["coder", { tool: "", args: {} }, "call.invalid"],
  ["coder", { tool: "shell", args: { command: "git status" } }, "allowed"],
  ["coder", { tool: "bash", args: { command: "ls", workdir: "/etc" } }, "paths.not-allowed"],
  ["coder", { tool: "bash", args: { command: "cat a.ts", workdir: "src" } }, "allowed"],
]);

table("paths: normalisation, symlinks, globs, control files", [
  ["coder", read("/proj/src/../src/a.ts"), "allowed"],
  ["coder", read("src/../../etc/passwd"), "paths.not-allowed"],
  ["coder", read("~/.ssh/id_rsa"), "paths.denied"],
  ["coder", read("$HOME/.ssh/id_rsa"), "paths.denied"],
  ["coder", read("~u/.ssh/id_rsa"), "paths.denied"],
  ["coder", read("~root/.bashrc"), "paths.unresolvable"],
  ["coder", read(".env"), "paths.denied"],
  ["coder", read("deep/nested/.env"), "paths.denied"],
  ["coder", read("secrets/key.pem"), "paths.denied"],
  ["coder", read("src\\..\\..\\etc"), "paths.backslash"],
  ["coder", read("link-out/passwd"), "paths.not-allowed"],
  ["coder", read("link-in/a.ts"), "allowed"],
  ["coder", read("loop-a/x"), "paths.unresolvable"],
  ["coder", read(".git/config"), "allowed"],
  ["coder", write(".git/config"), "paths.control-file"],
  ["coder", write(".git/hooks/pre-commit"), "paths.control-file"],
  ["coder", write(".git/index"), "paths.control-file"],
  ["coder", write("opencode.json"), "paths.control-file"],
  ["coder", write("sub/opencode.jsonc"), "paths.control-file"],
  ["coder", write(".opencode/orchestrator.json"), "paths.control-file"],
  ["coder", write("cfg/plugin/x.js"), "paths.control-file"],
  ["coder", write("/home/u/.config/opencode/orchestrator.json"), "paths.control-file"],
  ["coder", write(".npmrc"), "paths.control-file"],
  ["coder", write("bunfig.toml"), "paths.control-file"],
  ["coder", { tool: "glob", args: { pattern: "/etc/**" } }, "paths.not-allowed"],
  ["coder", { tool: "glob", args: { pattern: "../../**/*" } }, "paths.not-allowed"],
  ["coder", { tool: "grep", args: { pattern: "x", path: "~/.ssh" } }, "paths.denied"],
  [
    "coder",
    {
      tool: "apply_patch",
      args: {
        patchText:
          "*** Begin Patch\n*** Update File: src/a.ts\n*** Move to: opencode.json\n@@\n-a\n+b\n*** End Patch",
      },
    },
    "paths.control-file",
  ],
  [
    "coder",
    {
      tool: "apply_patch",
      args: {
        patchText:
          "*** Begin Patch\n*** Update File: src/a.ts\n@@\n-a\n+b\n*** Move to: opencode.json\n*** End Patch",
      },
    },
    "patch.unparsable",
  ],
  [
    "coder",
    {
      tool: "apply_patch",
      args: { patchText: "*** Begin Patch\n*** Add File: src/new.ts\n+x\n*** End Patch" },
    },
    "allowed",
  ],
  ["coder", { tool: "apply_patch", args: { patchText: "no headers" } }, "patch.unparsable"],
]);

// The project is the home directory (OpenCode started in ~): orchestra's state and catalog cache are
// inside the project, and still control files for every tool (a worker could forge the registry,
// block every ask through the provider slots, or choose later workers' models through the cache).
table(
  "orchestra's state and catalog cache, also when the project is the home directory",
  [
    ["coder", write("/home/u/.local/share/opencode/orchestra/registry.json"), "paths.control-file"],
    ["coder", write(".local/share/opencode/orchestra/provider-slots.json"), "paths.control-file"],
    ["coder", write(".cache/orchestra/catalog/p.json"), "paths.control-file"],
    [
      "coder",
      { tool: "bash", args: { command: "echo x > .cache/orchestra/catalog/p.json" } },
      "paths.control-file",
    ],
    ["coder", write(".config/opencode/orchestrator.json"), "paths.control-file"],
    ["coder", write(".local/share/notes.txt"), "allowed"],
    ["coder", write(".cache/other/x"), "allowed"],
  ],
  { ...ctx, cwd: "/home/u", symlinks: {} },
);

describe("case-insensitive filesystems", () => {
  const ci: CheckContext = { ...ctx, caseInsensitiveFs: true };
  it("matches denied globs and control files without regard to case", () => {
    expect(check(profiles.coder, read("SECRETS/key"), ci).rule).toBe("paths.denied");
    expect(check(profiles.coder, write("OpenCode.JSON"), ci).rule).toBe("paths.control-file");
    expect(check(profiles.coder, write(".OPENCODE/x"), ci).rule).toBe("paths.control-file");
  });
  it("is case-sensitive otherwise", () => {
    expect(check(profiles.coder, read("SECRETS/key"), ctx).rule).toBe("allowed");
  });
});

describe("custom allowed paths", () => {
  const p = {
    categories: { filesystem: "full" },
    paths: { allowed: ["src/**", "~/notes/**"], denied: ["src/private/**"] },
  } as const;
  it.each([
    ["src/a.ts", "allowed"],
    ["src/.hidden/x", "allowed"],
    ["src/private/x", "paths.denied"],
    ["lib/a.ts", "paths.not-allowed"],
    ["~/notes/today.md", "allowed"],
    ["/home/u/notes/x/y.md", "allowed"],
  ] as const)("%s → %s", (path, rule) => {
    expect(check(p, read(path), ctx).rule).toBe(rule);
  });
  it("* does not cross /", () => {
    const star = { categories: { filesystem: "full" }, paths: { allowed: ["src/*"] } } as const;
    expect(check(star, read("src/a.ts"), ctx).rule).toBe("allowed");
    expect(check(star, read("src/a/b.ts"), ctx).rule).toBe("paths.not-allowed");
  });
});

describe("invalid permissions fail closed with the JSON path", () => {
  it.each([
    [{ categories: { fileSystem: "full" } }, "permissions.categories"],
    [{ categories: { filesystem: "write" } }, "permissions.categories.filesystem"],
    [{ tools: { bash: { enabled: "yes" } } }, "permissions.tools.bash.enabled"],
    [
      { tools: { bash: { enabled: true, constraints: { deniedflags: [] } } } },
      "permissions.tools.bash.constraints",
    ],
    [{ Paths: {} }, "permissions"],
    [{ tools: { Bash: { enabled: true }, shell: { enabled: false } } }, "permissions.tools"],
    ["nope", "permissions"],
  ])("%j", (permissions, path) => {
    const d = check(permissions, read("src/a.ts"), ctx);
    expect(d.decision).toBe("deny");
    expect(d.rule).toBe("permissions.invalid");
    expect(d.reason).toContain(path);
  });
});

describe("invalid context", () => {
  it("denies a relative cwd", () => {
    const d = check(profiles.coder, read("a"), { ...ctx, cwd: "proj" });
    expect(d.rule).toBe("context.invalid");
    expect(d.reason).toContain("context.cwd");
  });
  it("denies unknown context keys", () => {
    const d = check(profiles.coder, read("a"), { ...ctx, symLinks: {} } as unknown as CheckContext);
    expect(d.rule).toBe("context.invalid");
  });
});

describe("tool entries narrow, never widen", () => {
  it("enabled: true does not lift execution: none", () => {
    const p = {
      categories: { execution: "none" },
      tools: { bash: { enabled: true, constraints: { allowedCommands: ["git"] } } },
    } as const;
    expect(check(p, { tool: "bash", args: { command: "git status" } }, ctx).rule).toBe("execution.none");
  });
  it("enabled: false disables a covered tool", () => {
    const p = { categories: { filesystem: "full" }, tools: { Write: { enabled: false } } } as const;
    expect(check(p, write("src/a.ts"), ctx).rule).toBe("tools.disabled");
    expect(check(p, read("src/a.ts"), ctx).rule).toBe("allowed");
  });
  it("constraints named for Bash apply to shell", () => {
    expect(check(profiles.gitOnly, { tool: "shell", args: { command: "ls" } }, ctx).rule).toBe(
      "shell.not-allowed-command",
    );
  });
  it("an enabled custom tool passes", () => {
    const p = { tools: { my_mcp_tool: { enabled: true }, task: { enabled: true } } } as const;
    expect(check(p, { tool: "my_mcp_tool", args: {} }, ctx).decision).toBe("allow");
    expect(check(p, { tool: "task", args: {} }, ctx).decision).toBe("allow");
  });
});

describe("batch", () => {
  it("checks call by call and names the failing call", () => {
    const d = check(
      profiles.reviewer,
      {
        tool: "batch",
        args: {
          tool_calls: [
            { tool: "read", parameters: { filePath: "a" } },
            { tool: "write", parameters: { filePath: "b", content: "" } },
          ],
        },
      },
      ctx,
    );
    expect(d.rule).toBe("filesystem.read-only");
    expect(d.reason).toContain("Batch call #2");
  });
  it("allows a batch of allowed calls", () => {
    const d = check(
      profiles.reviewer,
      {
        tool: "batch",
        args: {
          tool_calls: [
            { tool: "read", parameters: { filePath: "a" } },
            { tool: "bash", parameters: { command: "git status" } },
          ],
        },
      },
      ctx,
    );
    expect(d.decision).toBe("allow");
  });
  it("denies nested and malformed batches", () => {
    expect(
      check(
        profiles.coder,
        { tool: "batch", args: { tool_calls: [{ tool: "batch", parameters: { tool_calls: [] } }] } },
        ctx,
      ).rule,
    ).toBe("batch.invalid");
    expect(check(profiles.coder, { tool: "batch", args: {} }, ctx).rule).toBe("batch.invalid");
  });
});

describe("webfetch", () => {
  it.each([
    ["http://localhost:3000/x", "allowed"],
    ["https://127.0.0.1/", "allowed"],
    ["http://[::1]:8080/", "allowed"],
    ["http://127.255.255.254/", "allowed"],
    ["http://localhost:4096/", "network.reserved-port"],
    ["http://LOCALHOST/", "allowed"],
    ["http://LOCALHOST./", "network.not-localhost"],
    ["http://localhost./", "network.not-localhost"],
    ["http://127.0.0.1.nip.io/", "network.not-localhost"],
    ["http://0x7f000001/", "network.not-localhost"],
    ["http://017700000001/", "network.not-localhost"],
    ["http://127.000.000.001/", "network.not-localhost"],
    ["http://[::ffff:7f00:1]/", "network.not-localhost"],
    ["http://[0:0:0:0:0:0:0:1]/", "network.not-localhost"],
    ["http://0.0.0.0/", "network.not-localhost"],
    ["http://user:pw@localhost/", "network.invalid-url"],
    ["http://localhost\\@evil.com/", "network.invalid-url"],
    ["http://lоcalhost/", "network.invalid-url"],
    ["http://%6c%6fcalhost/", "network.invalid-url"],
    ["ftp://localhost/", "network.invalid-url"],
    ["localhost:3000", "network.invalid-url"],
    ["https://example.com/", "network.not-localhost"],
  ] as const)("%s → %s", (url, rule) => {
    const d = check(profiles.coder, { tool: "webfetch", args: { url, format: "markdown" } }, ctx);
    expect(d.rule, d.reason).toBe(rule);
  });
  it("full network still keeps reserved ports out", () => {
    expect(
      check(profiles.open, { tool: "webfetch", args: { url: "https://example.com/" } }, ctx).decision,
    ).toBe("allow");
    expect(
      check(profiles.open, { tool: "webfetch", args: { url: "http://127.0.0.1:4097/" } }, ctx).rule,
    ).toBe("network.reserved-port");
  });
});

describe("real filesystem symlinks (no symlinks map)", async () => {
  const { mkdtempSync, mkdirSync, symlinkSync, realpathSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const root = realpathSync(mkdtempSync(`${tmpdir()}/perm-`));
  mkdirSync(`${root}/proj/src`, { recursive: true });
  mkdirSync(`${root}/outside`);
  symlinkSync(`${root}/outside`, `${root}/proj/escape`);
  symlinkSync("src", `${root}/proj/inside`);
  const { symlinks: _, ...rest } = ctx;
  const real: CheckContext = { ...rest, cwd: `${root}/proj`, home: `${root}/home` };
  it("resolves links on disk before matching", () => {
    expect(check(profiles.coder, read("escape/secret"), real).rule).toBe("paths.not-allowed");
    expect(check(profiles.coder, read("inside/a.ts"), real).rule).toBe("allowed");
    expect(check(profiles.coder, { tool: "bash", args: { command: "cat escape/x" } }, real).rule).toBe(
      "paths.not-allowed",
    );
  });
});
