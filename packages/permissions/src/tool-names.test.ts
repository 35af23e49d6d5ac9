import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import { toOpencodePermission } from "./opencode-permission.js";
import { ctx } from "./test-fixtures.js";
import { CATEGORY_TOOLS, INTERNAL_TOOLS, isCategoryTool, WRITE_TOOLS } from "./tool-names.js";

describe("CATEGORY_TOOLS: the tools each category covers", () => {
  it("is pinned (profiles read it too: a change here changes what unmentioned tools may do)", () => {
    expect({
      filesystem: [...CATEGORY_TOOLS.filesystem].sort(),
      execution: [...CATEGORY_TOOLS.execution].sort(),
      network: [...CATEGORY_TOOLS.network].sort(),
    }).toEqual({
      filesystem: [
        "apply_patch",
        "edit",
        "glob",
        "grep",
        "list",
        "lsp",
        "multiedit",
        "read",
        "skill",
        "write",
      ],
      execution: ["bash"],
      network: ["codesearch", "webfetch", "websearch"],
    });
  });

  const none = { categories: { filesystem: "none", execution: "none", network: "none" } } as const;
  const rows = Object.entries(CATEGORY_TOOLS).flatMap(([category, tools]) =>
    [...tools].map((tool) => [category, tool] as const),
  );

  it.each(rows)("%s decides `%s` when the profile does not mention it", (category, tool) => {
    const d = check(none, { tool, args: { url: "http://localhost/" } }, ctx);
    expect(d.decision).toBe("deny");
    expect(d.rule.startsWith(`${category}.`), `${d.rule}: ${d.reason}`).toBe(true);
  });

  it("covers no session-internal tool, nor task, batch or an MCP tool", () => {
    for (const tool of [...INTERNAL_TOOLS, "task", "batch", "mcp_x"])
      expect(isCategoryTool(tool), tool).toBe(false);
    expect(check(none, { tool: "mcp_x", args: {} }, ctx).rule).toBe("tools.uncovered");
  });

  it("accepts every spelling of a covered tool", () => {
    for (const tool of ["Bash", "shell", "patch", "LSP", "MultiEdit"])
      expect(isCategoryTool(tool), tool).toBe(true);
  });

  it("is what the OpenCode compiler allows under the widest levels", () => {
    const open = { categories: { filesystem: "full", execution: "full", network: "full" } } as const;
    const permission = toOpencodePermission(open, { cwd: "/proj", home: "/home/u", worktree: "/proj" });
    for (const tool of Object.values(CATEGORY_TOOLS).flatMap((t) => [...t])) {
      // The file tools share OpenCode's `edit` permission; bash is a map of command patterns.
      const key = WRITE_TOOLS.has(tool) ? "edit" : tool;
      expect(permission[key], tool).toBeDefined();
      expect(permission[key], tool).not.toBe("deny");
    }
  });
});
