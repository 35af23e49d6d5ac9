import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILE_IDS } from "./builtins.js";
import { formatProfileIssue, type ProfileError } from "./profile-error.js";
import { createProfileRegistry, loadProfileRegistry } from "./registry.js";
import { fromConfig, fromFiles, validated } from "./test-registry.js";

function failure(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (error) {
    expect(OrchestraError.isInstance(error)).toBe(true);
    return error as ProfileError;
  }
  throw new Error("expected a ProfileError");
}

describe("resolution errors fail closed with stable codes", () => {
  it("names the whole chain of a cycle", () => {
    const reg = fromConfig([
      { id: "a", extends: "b" },
      { id: "b", extends: "c" },
      { id: "c", extends: "a" },
    ]);
    const err = failure(() => reg.resolveProfile("a"));
    expect(err.code).toBe("PROFILE_CYCLE");
    expect(err.message).toContain("a → b → c → a");
    expect(reg.tryResolveProfile("b").ok).toBe(false);
  });

  it("catches a compose cycle and a self-reference", () => {
    const reg = fromConfig([
      { id: "a", compose: ["b"] },
      { id: "b", compose: ["a"] },
      { id: "self", extends: "self" },
    ]);
    expect(failure(() => reg.resolveProfile("a")).code).toBe("PROFILE_CYCLE");
    const self = failure(() => reg.resolveProfile("self"));
    expect(self.code).toBe("PROFILE_CYCLE");
    expect(self.message).toContain("cycle self → self");
  });

  it("rejects an unknown parent with the path, the chain and a did-you-mean", () => {
    const reg = fromConfig([{ id: "coder" }, { id: "mine", extends: ["coder", "codr"] }]);
    const err = failure(() => reg.resolveProfile("mine"));
    expect(err.code).toBe("PROFILE_UNKNOWN_PARENT");
    expect(formatProfileIssue(err.issues[0] as never)).toBe(
      'orchestrator.json: profiles[1].extends[1]: unknown profile in mine → codr (got "codr", expected one of coder, mine); did you mean "coder"?',
    );
  });

  it("fails a child whose parent is invalid, with the parent's issues (file and JSON path)", () => {
    const reg = createProfileRegistry({
      builtins: [],
      sources: [
        fromFiles([
          { id: "base", permissions: { categories: { filesystem: "readonly" } } } as { id: string },
          { id: "child", extends: "base" } as { id: string },
        ]),
      ],
    });
    const err = failure(() => reg.resolveProfile("child"));
    expect(err.code).toBe("PROFILE_INVALID_LEVEL");
    expect(err.message).toContain('Profile "child" cannot be resolved: extends base fails');
    expect(err.message).toContain(
      'base.md: permissions.categories.filesystem: invalid filesystem level (got "readonly", expected one of "full", "read", "none"); did you mean "read"?',
    );
  });

  it("fails closed when two definitions claim one id", () => {
    const reg = fromConfig([{ id: "dup" }, { id: "dup", model: "auto:fast" }]);
    const err = failure(() => reg.resolveProfile("dup"));
    expect(err.code).toBe("PROFILE_DUPLICATE");
    expect(err.message).toContain("orchestrator.json profiles[0], orchestrator.json profiles[1]");
  });

  it("throws PROFILE_NOT_FOUND with a suggestion", () => {
    const err = failure(() => createProfileRegistry().resolveProfile("explore"));
    expect(err.code).toBe("PROFILE_NOT_FOUND");
    expect(err.hints[0]).toBe('did you mean "explorer"?');
  });

  it("keeps other profiles usable when one is invalid", () => {
    const reg = createProfileRegistry({
      builtins: [],
      sources: [fromFiles([{ id: "good" }, { id: "bad", kind: "thread" } as { id: string }])],
    });
    expect(reg.resolveProfile("good").profile.id).toBe("good");
    const listed = reg.list();
    expect(listed.map((e) => [e.id, e.ok])).toEqual([
      ["good", true],
      ["bad", false],
    ]);
  });
});

describe("built-ins, overrides and enabling", () => {
  it("resolves every built-in without errors", () => {
    const reg = createProfileRegistry();
    expect(reg.ids()).toEqual([...BUILTIN_PROFILE_IDS]);
    for (const entry of reg.list()) expect(entry.ok, entry.id).toBe(true);
  });

  it("an object with a built-in's id overrides it field by field, and widenings are still recorded", () => {
    const reg = fromConfig(
      [{ id: "coder", model: "openai/gpt-4o", permissions: { categories: { network: "full" } } }],
      { builtins: true },
    );
    const r = reg.resolveProfile("coder");
    expect(r.profile.model).toBe("openai/gpt-4o");
    expect(r.profile.systemPrompt).toContain("implementation specialist");
    expect(r.profile.permissions.categories.filesystem).toBe("full");
    expect(r.provenance.fields.systemPrompt).toEqual({ from: ["coder (built-in)"], rule: "inherited" });
    expect(r.provenance.widenings).toEqual([
      { path: "permissions.categories.network", by: "coder", from: "localhost", to: "full" },
    ]);
    expect(r.source).toEqual({ kind: "config", file: "orchestrator.json", index: 0 });
  });

  it("an override that extends its own id extends the built-in, and others see the override", () => {
    const reg = fromConfig(
      [
        { id: "coder", extends: "coder", model: "openai/gpt-4o" },
        { id: "safe-coder", extends: "coder", permissions: { categories: { execution: "none" } } },
      ],
      { builtins: true },
    );
    expect(reg.resolveProfile("safe-coder").profile.model).toBe("openai/gpt-4o");
    expect(reg.resolveProfile("safe-coder").provenance.ancestors).toEqual([
      "coder (built-in)",
      "coder",
      "safe-coder",
    ]);
  });

  it("string entries enable only the built-ins they name (plus user profiles)", () => {
    const reg = fromConfig(["coder", "explorer", { id: "mine", extends: "docs" }], { builtins: true });
    expect(reg.enabledIds()).toEqual(["coder", "explorer", "mine"]);
    expect(reg.resolveProfile("mine").profile.permissions.categories.network).toBe("full");
  });

  it("without string entries every built-in is enabled", () => {
    expect(fromConfig([{ id: "mine" }], { builtins: true }).enabledIds()).toEqual([
      ...BUILTIN_PROFILE_IDS,
      "mine",
    ]);
  });

  it("loadProfileRegistry: objects in workers are profiles too; its strings enable nothing", async () => {
    const reg = await loadProfileRegistry({
      config: { profiles: validated(["coder"]), file: "o.json" },
      workers: { entries: validated(["docs", { id: "scout", extends: "explorer" }]), file: "o.json" },
    });
    expect(reg.enabledIds()).toEqual(["coder", "scout"]);
    expect(reg.resolveProfile("scout").profile.kind).toBe("session");
    expect(reg.issues).toEqual([]);
  });

  it("reports a string entry that names no profile", () => {
    const reg = fromConfig(["codr"], { builtins: true });
    expect(reg.issues).toEqual([
      expect.objectContaining({ code: "PROFILE_NOT_FOUND", path: "profiles[0]", didYouMean: "coder" }),
    ]);
  });

  it("resolves the seed's safe-coder and full-stack examples", () => {
    const reg = fromConfig(
      [
        { id: "safe-coder", extends: "coder", permissions: { categories: { execution: "sandboxed" } } },
        { id: "full-stack", compose: ["coder", "docs"], model: "auto:code" },
      ],
      { builtins: true },
    );
    const safe = reg.resolveProfile("safe-coder");
    expect(safe.profile.permissions.categories.execution).toBe("sandboxed");
    expect(safe.provenance.widenings).toEqual([]);
    const full = reg.resolveProfile("full-stack").profile;
    expect(full.model).toBe("auto:code");
    // coder writes but has localhost network; docs has the web but only reads: the composition gets neither.
    expect(full.permissions.categories).toEqual({
      filesystem: "read",
      execution: "none",
      network: "localhost",
    });
    expect(full.systemPrompt).toContain("implementation specialist");
    expect(full.systemPrompt).toContain("documentation researcher");
  });
});
