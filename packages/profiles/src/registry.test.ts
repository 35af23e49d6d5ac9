import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILE_IDS } from "./builtins.js";
import { profilesFromConfig } from "./config-profiles.js";
import { formatProfileIssue, type ProfileError } from "./profile-error.js";
import { createProfileRegistry } from "./registry.js";

const fromConfig = (defs: unknown, builtins = false) =>
  createProfileRegistry({
    ...(builtins ? {} : { builtins: [] }),
    sources: [profilesFromConfig(defs, { file: "orchestrator.json" })],
  });

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

  it("fails a child whose parent is invalid, with the parent's issues", () => {
    const reg = fromConfig([
      { id: "base", permissions: { categories: { filesystem: "readonly" } } },
      { id: "child", extends: "base" },
    ]);
    const err = failure(() => reg.resolveProfile("child"));
    expect(err.code).toBe("PROFILE_INVALID_LEVEL");
    expect(err.message).toContain('Profile "child" cannot be resolved: extends base fails');
    expect(err.message).toContain(
      'orchestrator.json: profiles[0].permissions.categories.filesystem: invalid filesystem level (got "readonly", expected one of "full", "read", "none"); did you mean "read"?',
    );
  });

  it("reports a misspelt key with its JSON path and a did-you-mean (keys are case-sensitive)", () => {
    const reg = fromConfig([{ id: "x", permissions: { categories: { fileSystem: "read" } } }]);
    const err = failure(() => reg.resolveProfile("x"));
    expect(err.code).toBe("PROFILE_UNKNOWN_KEY");
    expect(err.issues[0]).toMatchObject({
      path: "profiles[0].permissions.categories.fileSystem",
      didYouMean: "filesystem",
    });
  });

  it("reports a misspelt constraint key deep inside tools", () => {
    const reg = fromConfig([
      { id: "x", permissions: { tools: { bash: { enabled: true, constraints: { allowedComands: [] } } } } },
    ]);
    expect(failure(() => reg.resolveProfile("x")).issues[0]).toMatchObject({
      code: "PROFILE_UNKNOWN_KEY",
      path: "profiles[0].permissions.tools.bash.constraints.allowedComands",
      didYouMean: "allowedCommands",
    });
  });

  it("rejects extends together with compose, and one tool named twice through an alias", () => {
    const reg = fromConfig([
      { id: "p" },
      { id: "both", extends: "p", compose: ["p"] },
      { id: "twice", permissions: { tools: { bash: { enabled: false }, Shell: { enabled: true } } } },
    ]);
    expect(failure(() => reg.resolveProfile("both")).code).toBe("PROFILE_CONFLICT");
    expect(failure(() => reg.resolveProfile("twice")).issues[0]).toMatchObject({
      code: "PROFILE_DUPLICATE_TOOL",
      path: "profiles[2].permissions.tools.Shell",
    });
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
    const reg = fromConfig([{ id: "good" }, { id: "bad", kind: "thread" }]);
    expect(reg.resolveProfile("good").profile.id).toBe("good");
    const listed = reg.list();
    expect(listed.map((e) => [e.id, e.ok])).toEqual([
      ["good", true],
      ["bad", false],
    ]);
  });

  it("collects entries without a usable id as registry issues", () => {
    const reg = fromConfig([{ model: "auto" }, "Not An Id"]);
    expect(reg.issues.map((i) => [i.path, i.code])).toEqual([
      ["profiles[0].id", "PROFILE_INVALID"],
      ["profiles[1]", "PROFILE_INVALID"],
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
      true,
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
      true,
    );
    expect(reg.resolveProfile("safe-coder").profile.model).toBe("openai/gpt-4o");
    expect(reg.resolveProfile("safe-coder").provenance.ancestors).toEqual([
      "coder (built-in)",
      "coder",
      "safe-coder",
    ]);
  });

  it("string entries enable only the built-ins they name (plus user profiles)", () => {
    const reg = fromConfig(["coder", "explorer", { id: "mine", extends: "docs" }], true);
    expect(reg.enabledIds()).toEqual(["coder", "explorer", "mine"]);
    expect(reg.resolveProfile("mine").profile.permissions.categories.network).toBe("full");
  });

  it("without string entries every built-in is enabled", () => {
    expect(fromConfig([{ id: "mine" }], true).enabledIds()).toEqual([...BUILTIN_PROFILE_IDS, "mine"]);
  });

  it("reports a string entry that names no profile", () => {
    const reg = fromConfig(["codr"], true);
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
      true,
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
