import { describe, expect, it, vi } from "vitest";
import { check } from "./check.js";
import { effectivePermissionsSchema, fromEffective } from "./effective.js";
import { PermissionsError } from "./errors.js";
import { toOpencodePermission } from "./opencode-permission.js";
import { compilePolicy, requirePolicy } from "./policy.js";
import { sandboxArgv } from "./sandbox.js";
import { ctx } from "./test-fixtures.js";

describe("a tool entry without `enabled`", () => {
  const p = {
    categories: { filesystem: "full", execution: "sandboxed" },
    tools: { bash: { constraints: { allowedCommands: ["git"] } }, mcp_x: {}, task: {} },
  } as const;

  it("validates (it used to make the whole profile invalid)", () => {
    const compiled = compilePolicy(p);
    expect(compiled.ok).toBe(true);
    expect(compiled.ok && compiled.policy.tools.get("bash")?.enabled).toBeUndefined();
  });

  it("leaves a category tool under its category, with the entry's constraints", () => {
    expect(check(p, { tool: "bash", args: { command: "git status" } }, ctx).rule).toBe("allowed");
    expect(check(p, { tool: "bash", args: { command: "ls" } }, ctx).rule).toBe("shell.not-allowed-command");
  });

  it("never enables a tool no category covers, nor `task`", () => {
    expect(check(p, { tool: "mcp_x", args: {} }, ctx).rule).toBe("tools.uncovered");
    expect(check(p, { tool: "task", args: {} }, ctx).rule).toBe("tools.task-not-enabled");
  });

  it("does not lift a category: execution none still denies the shell", () => {
    const none = { tools: { bash: { constraints: { allowedCommands: ["git"] } } } } as const;
    expect(check(none, { tool: "bash", args: { command: "git status" } }, ctx).rule).toBe("execution.none");
  });
});

describe("one validation boundary: the compiled policy", () => {
  const effective = {
    categories: { filesystem: "read", execution: "sandboxed", network: "none" },
    tools: {},
    paths: { allowed: [], denied: ["**/.env"] },
  } as const;

  it("validates a permissions block once, however many entry points use it", () => {
    const parse = vi.spyOn(effectivePermissionsSchema, "safeParse");
    try {
      const input = fromEffective(structuredClone(effective));
      expect(check(input, { tool: "read", args: { filePath: "a.ts" } }, ctx).rule).toBe("allowed");
      expect(check(input, { tool: "bash", args: { command: "ls" } }, ctx).rule).toBe("allowed");
      expect(toOpencodePermission(input, { cwd: "/proj", home: "/home/u", worktree: "/proj" }).edit).toBe(
        "deny",
      );
      expect(requirePolicy(input).filesystem).toBe("read");
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it("reports an invalid block the same way at every entry point", () => {
    const bad = { categories: { filesystem: "write" } };
    const d = check(bad, { tool: "read", args: { filePath: "a.ts" } }, ctx);
    expect(d.rule).toBe("permissions.invalid");
    expect(d.reason).toMatch(/permissions\.categories\.filesystem/);
    for (const entry of [
      () => requirePolicy(bad),
      () => toOpencodePermission(bad, { cwd: "/proj", home: "/home/u", worktree: "/proj" }),
      () => sandboxArgv(bad, "true", { cwd: "/proj", home: "/home/u" }),
    ]) {
      let error: unknown;
      try {
        entry();
      } catch (e) {
        error = e;
      }
      expect(PermissionsError.isInstance(error)).toBe(true);
      expect((error as PermissionsError).code).toBe("PERMISSIONS_INVALID");
      expect((error as PermissionsError).message).toContain(d.reason);
    }
  });
});
