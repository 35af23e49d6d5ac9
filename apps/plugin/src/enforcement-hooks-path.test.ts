import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProfileRegistry, profilesFromConfig } from "@orchestra/profiles";
import { afterAll, describe, expect, it } from "vitest";
import { Enforcer, PermissionDenied, policyFor } from "./enforcement.js";

// A project whose git hooks live in `tools/hooks` (core.hooksPath in its .git/config): the enforcer
// reads that once and holds every worker's writes there, by tool and by shell, to the control-file rule.
const project = realpathSync(mkdtempSync(join(tmpdir(), "orchestra-enforcement-hooks-")));
mkdirSync(join(project, "tools", "hooks"), { recursive: true });
execFileSync("git", ["init", "-q", project]);
execFileSync("git", ["-C", project, "config", "core.hooksPath", "tools/hooks"]);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const registry = createProfileRegistry({
  sources: [
    profilesFromConfig([
      {
        id: "builder",
        permissions: { categories: { filesystem: "full", execution: "sandboxed", network: "localhost" } },
      },
    ]),
  ],
});

describe("the enforcer makes the project's custom core.hooksPath folder a control path", () => {
  const enforcer = new Enforcer({
    directory: project,
    home: "/home/u",
    reservedPorts: () => [],
    probe: () => ({ ok: true as const, version: "bubblewrap 0.8.0" }),
  });
  const policy = policyFor(registry, "w1", "builder");
  const rule = (tool: string, args: unknown) => {
    try {
      enforcer.enforce(policy, tool, { args });
      return "allowed";
    } catch (error) {
      if (error instanceof PermissionDenied) return error.rule;
      throw error;
    }
  };

  it("denies a hook written by the write tool and by a shell redirect", () => {
    expect(rule("write", { filePath: "tools/hooks/post-commit", content: "x" })).toBe("paths.control-file");
    expect(rule("bash", { command: "echo x > tools/hooks/pre-commit" })).toBe("paths.control-file");
    expect(rule("write", { filePath: "tools/build.sh", content: "x" })).toBe("allowed");
  });

  it("mounts the folder read-only in the sandbox it wraps shell commands in", () => {
    const args: { command: string } = { command: "ls" };
    enforcer.enforce(policy, "bash", { args });
    const folder = join(project, "tools", "hooks");
    expect(args.command).toContain(`--ro-bind ${folder} ${folder}`);
  });
});
