import { check, fromEffective } from "@orchestra/permissions";
import { describe, expect, it } from "vitest";
import { resolve } from "./test-registry.js";

// A tool entry without `enabled` (only constraints) leaves the tool under its category, for every
// tool a category covers: `lsp`, `skill` and `multiedit` included (permissions' READ_TOOLS/WRITE_TOOLS).
describe("partial tool entries of category tools", () => {
  const context = {
    cwd: "/proj",
    home: "/home/u",
    platform: "linux",
    caseInsensitiveFs: false,
    symlinks: {},
  };
  const calls = {
    lsp: { tool: "lsp", args: { filePath: "src/a.ts" } },
    skill: { tool: "skill", args: { name: "x" } },
    multiedit: { tool: "multiedit", args: { filePath: "src/a.ts" } },
    read: { tool: "read", args: { filePath: "src/a.ts" } },
  } as const;
  const base = {
    id: "base",
    model: "auto:code",
    systemPrompt: "Base",
    permissions: { categories: { filesystem: "full", execution: "none", network: "none" } },
  };

  it.each(Object.keys(calls))(
    "`%s` with only constraints stays enabled, alone, inherited and composed",
    (tool) => {
      const partial = { [tool]: { constraints: { deniedFlags: ["--x"] } } };
      const own = { ...base, id: "own", permissions: { ...base.permissions, tools: partial } };
      const child = { id: "child", extends: "base", permissions: { tools: partial } };
      const enabler = {
        ...base,
        id: "enabler",
        permissions: { ...base.permissions, tools: { [tool]: { enabled: true } } },
      };
      const defs = [base, own, child, enabler, { id: "both", compose: ["enabler", "base"] }];
      for (const id of ["own", "child", "both"]) {
        const { profile } = resolve(defs, id);
        expect(profile.permissions.tools[tool]?.enabled, `${id}: ${tool}`).toBe(true);
        const d = check(fromEffective(profile.permissions), calls[tool as keyof typeof calls], context);
        expect(d.decision, `${id}: ${d.reason}`).toBe("allow");
      }
    },
  );
});
