import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import { compilePolicy } from "./policy.js";
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
