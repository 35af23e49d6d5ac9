import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "./builtins.js";
import { createProfileRegistry } from "./registry.js";
import { validateProfileDefinition } from "./validate.js";

const reg = createProfileRegistry();
const effective = (id: string) => reg.resolveProfile(id).profile;

describe("built-in profiles", () => {
  it("are the six of the seed, each valid against the profile schema", () => {
    expect(BUILTIN_PROFILES.map((p) => p.id)).toEqual([
      "vision",
      "docs",
      "coder",
      "architect",
      "explorer",
      "memory",
    ]);
    for (const p of BUILTIN_PROFILES)
      expect(validateProfileDefinition(p), p.id).toEqual({ ok: true, profile: p });
  });

  it("each has purpose, whenToUse, tags, an auto model tag, a kind and a substantial prompt", () => {
    for (const p of BUILTIN_PROFILES) {
      expect(p.purpose?.length, p.id).toBeGreaterThan(30);
      expect(p.whenToUse?.length, p.id).toBeGreaterThan(60);
      expect(p.tags?.length, p.id).toBeGreaterThanOrEqual(10);
      expect(p.model, p.id).toMatch(/^auto:(vision|docs|code|reasoning|fast)$/);
      expect(["process", "session"], p.id).toContain(p.kind);
      expect(p.systemPrompt?.length, p.id).toBeGreaterThan(400);
    }
  });

  it("read-only workers cannot write by any route", () => {
    for (const id of ["vision", "docs", "architect", "explorer", "memory"]) {
      expect(effective(id).permissions.categories.filesystem, id).toBe("read");
    }
    for (const id of ["architect", "explorer"]) {
      const p = effective(id).permissions;
      expect(p.tools.write?.enabled).toBe(false);
      expect(p.tools.apply_patch?.enabled).toBe(false);
      expect(p.tools.bash?.constraints.allowedCommands).not.toContain("rm");
      expect(p.categories.network).toBe("none");
    }
  });

  it("only docs reaches the internet; the coder's shell is sandboxed and refuses force flags", () => {
    const full = BUILTIN_PROFILES.filter(
      (p) => effective(p.id).permissions.categories.network === "full",
    ).map((p) => p.id);
    expect(full).toEqual(["docs"]);
    const coder = effective("coder").permissions;
    expect(coder.categories).toEqual({ filesystem: "full", execution: "sandboxed", network: "localhost" });
    expect(coder.tools.bash?.constraints.deniedFlags).toEqual(
      expect.arrayContaining(["--force", "--no-verify"]),
    );
  });

  it("no built-in may read secrets or spawn subagents", () => {
    for (const p of BUILTIN_PROFILES) {
      const perms = effective(p.id).permissions;
      expect(perms.paths.denied, p.id).toEqual(expect.arrayContaining(["**/.env", "~/.ssh/**"]));
      expect(perms.tools.task?.enabled, p.id).toBe(false);
    }
  });

  it("memory enables exactly the memory tools; vision requires a vision model", () => {
    const memoryTools = Object.entries(effective("memory").permissions.tools)
      .filter(([, t]) => t.enabled)
      .map(([id]) => id);
    expect(memoryTools).toEqual(["memory_link", "memory_put", "memory_recent", "memory_search"]);
    expect(effective("vision")).toMatchObject({ supportsVision: true, model: "auto:vision" });
  });
});
