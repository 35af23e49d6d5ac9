// Red team, issue 11 item 6: the second line of defence on its own. The plugin's tool.execute.before
// enforcement is switched off (the unsafe test-only switch, set only here, for the host and so for its
// process workers), so every call below reaches OpenCode's own permission check, fed with the config
// `toOpencodePermission` compiled: a process worker's agent permission, a session worker's session
// ruleset. Every attack the compiled config can express must be refused by OpenCode itself, and its
// side effect must not happen; benign calls must pass (no over-deny).
//
// Before the fix, `**/.opencode/**` never matched a root-level `.opencode/` (OpenCode matches paths
// relative to the git root, and its `*` crosses `/`, so the pattern needed a `/` before `.opencode`),
// patterns were absolute or relative to the cwd instead of the worktree, `orchestrator.json` and most
// git files were missing, and session workers got no permission at all.
//
// What the compiled config cannot express, and is left to `check` (the hook) and the sandbox:
// - shell arguments: OpenCode matches a command's whole text against `<cmd> *`, so redirections
//   (`echo x > .opencode/plugin/y.js`), flags beyond a fixed list, operands that name denied files
//   (`cat .env`, `cat .en?`, braces), sed/sort/tar/git options that write or run programs, and what a
//   listed program does at run time (scripts, `git` hooks) all pass it;
// - the sandbox: the plugin rewrites sandboxed commands to `bwrap …`, and the config can only allow
//   that prefix; with the hook off there is no sandbox;
// - contents: `grep` and `glob` are matched on their search pattern, not on the files they read, so
//   searching a denied file's contents is `check`'s to refuse;
// - an apply_patch `Move to:` target (OpenCode asks `edit` only for the patched file's own path);
// - webfetch URLs (the schema takes only an action; `network: localhost` hosts are `check`'s), redirects;
// - an intersection of several `paths.allowed` lists (the first list is compiled, a superset);
// - a path the profile allows through a symlink, `~user`, and case-insensitive filesystems.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";
import {
  hiddenTool,
  MARK,
  OPENCODE_DENIED,
  OUTSIDE_TARGET,
  SECOND_LINE_WORKERS,
  SHELL_ATTACKS,
  secondLineSetup,
  WRITE_TARGETS,
} from "../test-support/second-line.js";
import { UNSAFE_NO_ENFORCEMENT_ENV } from "../unsafe-test-mode.js";

let rt: RedTeam;
const before = new Map<string, string | undefined>();
const ALL = [...SECOND_LINE_WORKERS.files, ...SECOND_LINE_WORKERS.patch];

beforeAll(async () => {
  rt = await startRedTeam(secondLineSetup("second-line", { [UNSAFE_NO_ENFORCEMENT_ENV]: "1" }));
  for (const id of ALL) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
  for (const rel of WRITE_TARGETS) {
    const file = join(rt.project, rel);
    before.set(rel, existsSync(file) ? readFileSync(file, "utf8") : undefined);
  }
});

afterAll(async () => {
  await rt?.stop();
});

/** The target is as it was before the attack: never holds the marker, and is not created. */
function unchanged(rel: string): void {
  const file = join(rt.project, rel);
  const was = before.get(rel);
  if (was === undefined) expect(existsSync(file), `${rel} was created`).toBe(false);
  else expect(readFileSync(file, "utf8"), `${rel} was changed`).toBe(was);
}

/** OpenCode itself refused (the plugin's hook is off, so it cannot be the plugin's deny). */
function refusedByOpencode(out: string): void {
  expect(out).not.toContain("Denied by Open Orchestra");
  expect(out).toContain(OPENCODE_DENIED);
}

describe.each(SECOND_LINE_WORKERS.files)("%s: the hook is really off", (id) => {
  it("a call only the plugin denies goes through (`cat` of a denied file: the shell operand)", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "cat .env", description: "x" });
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(out).toContain("second-line-env-secret");
  });
});

describe.each(SECOND_LINE_WORKERS.files)("%s: OpenCode alone refuses writes and edits", (id) => {
  it.each(WRITE_TARGETS)("write to %s (root-level, relative to the git root) is refused", async (rel) => {
    refusedByOpencode(await rt.workerCalls(id, "write", { filePath: join(rt.project, rel), content: MARK }));
    unchanged(rel);
  });

  it.each([
    [".git/config", "[core]"],
    [".git/hooks/pre-commit", "exit 0"],
    ["secrets/token.txt", "second-line-denied-secret"],
    [".env", "TOKEN"],
  ])("edit of %s is refused", async (rel, oldString) => {
    refusedByOpencode(
      await rt.workerCalls(id, "edit", { filePath: join(rt.project, rel), oldString, newString: MARK }),
    );
    unchanged(rel);
  });

  it("write outside the project is refused (external_directory)", async () => {
    refusedByOpencode(
      await rt.workerCalls(id, "write", {
        filePath: join(rt.outside, `${id}-${OUTSIDE_TARGET}`),
        content: MARK,
      }),
    );
    expect(existsSync(join(rt.outside, `${id}-${OUTSIDE_TARGET}`))).toBe(false);
  });

  it.each([
    [".env", "second-line-env-secret"],
    ["secrets/token.txt", "second-line-denied-secret"],
  ])("read of the denied %s is refused", async (rel, secret) => {
    const out = await rt.workerCalls(id, "read", { filePath: join(rt.project, rel) });
    refusedByOpencode(out);
    expect(out).not.toContain(secret);
  });

  it("read outside the project is refused (external_directory)", async () => {
    const out = await rt.workerCalls(id, "read", { filePath: join(rt.outside, "secret.txt") });
    refusedByOpencode(out);
    expect(out).not.toContain("second-line-outside-secret");
  });

  it("benign reads, writes and edits inside the project pass", async () => {
    expect(await rt.workerCalls(id, "read", { filePath: join(rt.project, "README.md") })).toContain(
      "# second line",
    );
    await rt.workerCalls(id, "write", { filePath: join(rt.project, "src", `${id}.ts`), content: "ok\n" });
    expect(readFileSync(join(rt.project, "src", `${id}.ts`), "utf8")).toBe("ok\n");
    await rt.workerCalls(id, "edit", {
      filePath: join(rt.project, "src", `${id}.ts`),
      oldString: "ok",
      newString: "edited",
    });
    expect(readFileSync(join(rt.project, "src", `${id}.ts`), "utf8")).toBe("edited\n");
  });
});

describe.each(SECOND_LINE_WORKERS.patch)("%s: OpenCode alone refuses patches", (id) => {
  const wrap = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
  it.each(WRITE_TARGETS.filter((rel) => !rel.startsWith(".git/hooks")))(
    "a patch adding or updating %s is refused",
    async (rel) => {
      const text = before.get(rel) === undefined ? wrap(`*** Add File: ${rel}`, `+${MARK}`) : undefined;
      const firstLine = before.get(rel)?.split("\n")[0] ?? "";
      const patchText = text ?? wrap(`*** Update File: ${rel}`, "@@", `-${firstLine}`, `+${MARK}`);
      refusedByOpencode(await rt.workerCalls(id, "apply_patch", { patchText }));
      unchanged(rel);
    },
  );

  it("a benign patch passes", async () => {
    await rt.workerCalls(id, "apply_patch", { patchText: wrap(`*** Add File: src/${id}.ts`, "+patched") });
    expect(readFileSync(join(rt.project, "src", `${id}.ts`), "utf8")).toBe("patched\n");
  });
});

describe.each(SECOND_LINE_WORKERS.files)("%s: OpenCode alone refuses shell commands", (id) => {
  it.each(SHELL_ATTACKS)("%s", async (what, command, marker) => {
    const out = await rt.workerCalls(id, "bash", { command: command(rt.outside), description: what });
    refusedByOpencode(out);
    expect(out).not.toContain("second-line-outside-secret");
    if (marker) expect(existsSync(join(rt.project, marker)), what).toBe(false);
  });

  it("listed commands pass", async () => {
    expect(await rt.workerCalls(id, "bash", { command: "cat README.md", description: "x" })).toContain(
      "# second line",
    );
    expect(
      await rt.workerCalls(id, "bash", { command: "git status --short", description: "x" }),
    ).not.toContain(OPENCODE_DENIED);
    expect(await rt.workerCalls(id, "bash", { command: "ls src | cat", description: "x" })).toContain("a.ts");
  });
});

describe.each(SECOND_LINE_WORKERS.files)("%s: tools the profile does not grant are not offered", (id) => {
  it.each([
    ["spawn_worker", { profile: "sl-session" }],
    ["task", { description: "x", prompt: "cat .env", subagent_type: "general" }],
    ["webfetch", { url: "http://127.0.0.1:9/" }],
  ])("%s is unavailable", async (tool, args) => {
    expect(await rt.workerCalls(id, tool, args)).toMatch(hiddenTool(tool));
  });
});
