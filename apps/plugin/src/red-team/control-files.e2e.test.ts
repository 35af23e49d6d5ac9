// Red team, issue 11 items 2 and 7: control files. `<project>/orchestrator.json` is a config layer the
// loader reads, yet a worker could rewrite it (its own profile, widened after a respawn); `.git/commondir`
// could point git at a directory the worker wrote, with a `core.fsmonitor` program the user's next
// `git status` runs. Every route that writes (write, edit, shell redirection, cp) is tried against every
// control file, existing or not, for a process worker and a session worker; the file must stay as it was.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

// Unsandboxed shell on purpose: the checker alone must stop every write.
const writer = { categories: { filesystem: "full", execution: "full", network: "none" } };
const profiles = [
  { id: "ctl-proc", kind: "process", purpose: "Writes files (process)", permissions: writer },
  { id: "ctl-session", kind: "session", purpose: "Writes files (session)", permissions: writer },
];
const WORKERS = ["ctl-proc", "ctl-session"] as const;
const PAYLOAD = "[core]\n\tfsmonitor = touch pwned\n";

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "control-files",
    profiles,
    git: true,
    files: { "src/a.ts": "export const a = 1;\n", "orchestrator.json": "{}\n" },
  });
  for (const id of WORKERS) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

const contentOf = (rel: string) => {
  const file = join(rt.project, rel);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
};

/** Every write route a worker with `filesystem: full` and a shell has, aimed at `target`. */
const routes = (target: string): [tool: string, args: Record<string, unknown>][] => [
  ["write", { filePath: target, content: PAYLOAD }],
  ["edit", { filePath: target, oldString: "", newString: PAYLOAD }],
  ["bash", { command: `printf '[core]\\n\\tfsmonitor = touch pwned\\n' > ${target}`, description: "write" }],
  ["bash", { command: `echo x >> ${target}`, description: "append" }],
  ["bash", { command: `cp src/a.ts ${target}`, description: "copy" }],
];

const TARGETS = [
  "orchestrator.json",
  ".opencode/orchestrator.json",
  ".git/commondir",
  ".git/config",
  ".git/hooks/pre-commit",
  ".git/info/attributes",
  ".git/worktrees/x/gitdir",
];

describe.each(WORKERS)("%s: control files stay as they were", (id) => {
  it.each(TARGETS)("denies every write route to %s", async (target) => {
    const before = contentOf(target);
    for (const [tool, args] of routes(target)) {
      const out = await rt.workerCalls(id, tool, args);
      expect(out, `${tool} ${JSON.stringify(args)}`).toContain("Denied by Open Orchestra");
      expect(out).toContain("[paths.control-file]");
      expect(contentOf(target), `${tool} ${JSON.stringify(args)}`).toBe(before);
    }
    expect(existsSync(join(rt.project, "pwned"))).toBe(false);
  });

  it("still lets ordinary project files be written, and git write its own directory through its commands", async () => {
    const file = `src/ok-${id}.ts`;
    const wrote = await rt.workerCalls(id, "write", { filePath: file, content: "export const ok = 1;\n" });
    expect(wrote).not.toContain("Denied by Open Orchestra");
    expect(contentOf(file)).toBe("export const ok = 1;\n");
    // Direct writes anywhere in .git are control writes now (a worker's own index, refs or objects
    // decide what a later checkout writes); git itself still writes .git through its commands.
    const direct = await rt.workerCalls(id, "bash", {
      command: `echo "message from ${id}" > .git/COMMIT_EDITMSG`,
      description: "commit message",
    });
    expect(direct).toContain("Denied by Open Orchestra");
    expect(contentOf(".git/COMMIT_EDITMSG")).toBeUndefined();
    const staged = await rt.workerCalls(id, "bash", { command: `git add ${file}`, description: "stage" });
    expect(staged).not.toContain("Denied by Open Orchestra");
    expect(execFileSync("git", ["ls-files", file], { cwd: rt.project, encoding: "utf8" }).trim()).toBe(file);
  });
});
