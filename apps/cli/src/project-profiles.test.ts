import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./test-support/run-cli.js";

/**
 * Issue 13, "one config everywhere": `profiles list|show`, `suggest` and `permissions check` read
 * the same merged config as `workers spawn` (global + project `orchestrator.json`, JSONC), and
 * OpenCode's own agent files are left alone.
 */
let root: string;
let project: string;
let env: NodeJS.ProcessEnv;
const orchestra = (args: string[], cwd = project) => runCli(args, { cwd, env });

/** The one object a command given --json prints on stdout when it fails. */
function failure(stdout: string): { ok: boolean; code: string; message: string; hints: string[] } {
  expect(stdout.trim().split("\n")).toHaveLength(1);
  return JSON.parse(stdout) as { ok: boolean; code: string; message: string; hints: string[] };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-one-config-"));
  const home = join(root, "home");
  env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    ORCHESTRA_DEBUG: "",
  };
  project = join(root, "project");
  await mkdir(join(home, ".config", "opencode"), { recursive: true });
  await mkdir(join(project, ".opencode", "agent"), { recursive: true });
  // The global file: JSONC, one profile.
  await writeFile(
    join(home, ".config", "opencode", "orchestrator.json"),
    '{\n  // mine everywhere\n  "profiles": [{ "id": "everywhere", "extends": "explorer" }],\n}\n',
  );
  // The project file: JSONC (comments, trailing commas).
  await writeFile(
    join(project, "orchestrator.json"),
    `{
  // the user's own profiles
  "profiles": [
    { "id": "mine", "extends": "architect", "purpose": "Tunes postgres databases", "tags": ["postgres", "query plan"] },
    { "id": "orphan", "extends": "no-such-parent" },
  ],
}
`,
  );
  // OpenCode's own agents, as OpenCode's docs write them: no `name`, a `mode`, OpenCode's keys.
  await writeFile(
    join(project, ".opencode", "agent", "helper.md"),
    "---\ndescription: Helps with small things\nmode: subagent\nmodel: anthropic/claude-sonnet-4-20250514\ntools:\n  write: false\n---\nYou help.\n",
  );
  await writeFile(
    join(project, ".opencode", "agent", "planner.md"),
    "---\ndescription: Plans\nmode: primary\ntemperature: 0.1\npermission:\n  edit: deny\n---\nYou plan.\n",
  );
  // An orchestra profile in the same directory.
  await writeFile(
    join(project, ".opencode", "agent", "reviewer.md"),
    "---\nname: reviewer\nextends: architect\ndescription: Reviews diffs.\n---\nReview the diff.\n",
  );
  await writeFile(
    join(root, "other.jsonc"),
    '{\n  // only this file\n  "profiles": [{ "id": "solo" }],\n}\n',
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("profiles list|show read the merged config, as workers spawn does", () => {
  it("profiles show finds a profile of the project's JSONC orchestrator.json without --config", async () => {
    const r = await orchestra(["profiles", "show", "mine", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { profile: { id: string }; source: unknown };
    expect(out.profile.id).toBe("mine");
    expect(out.source).toEqual({ kind: "config", file: join(project, "orchestrator.json"), index: 0 });
  });

  it("profiles show finds a profile of the global orchestrator.json", async () => {
    const r = await orchestra(["profiles", "show", "everywhere", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: unknown };
    expect(out.source).toEqual({
      kind: "config",
      file: join(root, "home", ".config", "opencode", "orchestrator.json"),
      index: 0,
    });
  });

  it("workers spawn and profiles show give the same error for the same broken profile", async () => {
    const spawn = await orchestra([
      "workers",
      "spawn",
      "orphan",
      "--json",
      "--registry",
      join(root, "registry.json"),
    ]);
    const show = await orchestra(["profiles", "show", "orphan", "--json"]);
    expect(spawn.code).toBe(1);
    expect(show.code).toBe(1);
    const fromSpawn = failure(spawn.stdout);
    expect(fromSpawn.code).toBe("PROFILE_UNKNOWN_PARENT");
    expect(fromSpawn.message).toContain(`${join(project, "orchestrator.json")}: profiles[1].extends`);
    expect(failure(show.stdout)).toEqual(fromSpawn);
  });

  it("an unknown profile's hint names the config files that were read", async () => {
    const r = await orchestra(["profiles", "show", "nobody", "--json"]);
    expect(r.code).toBe(1);
    const f = failure(r.stdout);
    expect(f.code).toBe("PROFILE_NOT_FOUND");
    const read = f.hints.find((h) => h.startsWith("config files read: "));
    expect(read).toContain(join(project, "orchestrator.json"));
    expect(read).toContain(join(root, "home", ".config", "opencode", "orchestrator.json"));
    expect(read).toContain(join(project, ".opencode", "agent"));
    expect(read).toContain(join(project, ".opencode", "agents"));
    expect(read).toContain(join(project, ".opencode", "skills"));
  });

  it("profiles list: OpenCode's own agent files (mode: subagent, primary) are left alone, exit 0", async () => {
    const r = await orchestra(["profiles", "list", "--json"]);
    expect(r.stderr).not.toContain("helper");
    expect(r.stderr).not.toContain("planner");
    // `orphan` fails, so the answer is the --json failure object with the listing under `profiles`.
    const failure = JSON.parse(r.stdout) as { ok: boolean; profiles: { id: string; ok: boolean }[] };
    expect(failure.ok).toBe(false);
    const ids = failure.profiles.map((e) => [e.id, e.ok]);
    expect(ids).toContainEqual(["reviewer", true]);
    expect(ids).toContainEqual(["mine", true]);
    expect(ids).toContainEqual(["everywhere", true]);
    expect(ids.map(([id]) => id)).not.toContain("helper");
    expect(ids.map(([id]) => id)).not.toContain("planner");
    // `orphan` is broken on purpose; without it, nothing fails.
    expect(ids.filter(([, ok]) => !ok)).toEqual([["orphan", false]]);
  });

  it("--project reads another directory's config and agent files; --config reads only a JSONC file", async () => {
    const there = await orchestra(["profiles", "show", "reviewer", "--project", project, "--json"], root);
    expect(there.code).toBe(0);
    const mine = await orchestra(["profiles", "show", "mine", "--project", project, "--json"], root);
    expect(mine.code).toBe(0);
    const solo = await orchestra([
      "profiles",
      "show",
      "solo",
      "--config",
      join(root, "other.jsonc"),
      "--json",
    ]);
    expect(solo.code).toBe(0);
    expect((JSON.parse(solo.stdout) as { source: unknown }).source).toEqual({
      kind: "config",
      file: join(root, "other.jsonc"),
      index: 0,
    });
    // --config replaces the global and project files.
    const gone = await orchestra(["profiles", "show", "mine", "--config", join(root, "other.jsonc")]);
    expect(gone.code).toBe(1);
  });

  it.each([
    [["profiles", "list", "--project", "/nonexistent"], "no such directory: /nonexistent"],
    [["profiles", "show", "coder", "--config", "/nonexistent.json"], "no such file: /nonexistent.json"],
    [["suggest", "x", "--config", "/nonexistent.json"], "no such file: /nonexistent.json"],
    [["suggest", "x", "--limit", "zero"], "'--limit <n>' argument 'zero'"],
    [
      ["permissions", "check", "--input", "-", "--project", "/nonexistent"],
      "no such directory: /nonexistent",
    ],
  ])("%j exits 2 with a usage message", async (args, message) => {
    const r = await orchestra(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("suggest reads the merged config", () => {
  it("ranks the project's own profile first without --config", async () => {
    const r = await orchestra(["suggest", "look at this slow postgres query plan", "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { profile: string }[])[0]?.profile).toBe("mine");
  });
});

describe("permissions check: lines may omit `profiles`", () => {
  const context = {
    cwd: "/proj",
    home: "/home/u",
    platform: "linux",
    caseInsensitiveFs: false,
    symlinks: {},
  };

  async function check(lines: unknown[], args: string[] = [], cwd = project) {
    const input = join(root, `input-${Math.random().toString(36).slice(2)}.jsonl`);
    await writeFile(input, lines.map((l) => JSON.stringify(l)).join("\n"));
    const r = await orchestra(["permissions", "check", "--input", input, ...args], cwd);
    return {
      ...r,
      out: r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; decision: string; rule: string }),
    };
  }

  it("uses the built-in profiles and the merged config's profiles", async () => {
    const r = await check([
      { id: "builtin-read", profile: "coder", call: { tool: "read", args: { filePath: "a" } }, context },
      { id: "mine-write", profile: "mine", call: { tool: "write", args: { filePath: "a" } }, context },
      { id: "mine-read", profile: "mine", call: { tool: "read", args: { filePath: "a" } }, context },
      { id: "global", profile: "everywhere", call: { tool: "read", args: { filePath: "a" } }, context },
      { id: "md", profile: "reviewer", call: { tool: "edit", args: { filePath: "a" } }, context },
      { id: "orphan", profile: "orphan", call: { tool: "read", args: { filePath: "a" } }, context },
      { id: "opencode-agent", profile: "helper", call: { tool: "read", args: { filePath: "a" } }, context },
    ]);
    expect(r.code).toBe(0);
    expect(r.out.map((o) => [o.id, o.decision, o.rule])).toEqual([
      ["builtin-read", "allow", expect.any(String)],
      ["mine-write", "deny", expect.any(String)],
      ["mine-read", "allow", expect.any(String)],
      ["global", "allow", expect.any(String)],
      ["md", "deny", expect.any(String)],
      ["orphan", "deny", "profile.unresolved"],
      ["opencode-agent", "deny", "profile.unresolved"],
    ]);
  });

  it("--project and --config choose the config, as for profiles", async () => {
    const line = { profile: "mine", call: { tool: "read", args: { filePath: "a" } }, context };
    const there = await check([line], ["--project", project], root);
    expect(there.out[0]?.decision).toBe("allow");
    const other = await check([line], ["--config", join(root, "other.jsonc")]);
    expect(other.out[0]).toMatchObject({ decision: "deny", rule: "profile.unresolved" });
  });

  it("a line with its own `profiles` is checked against those and the built-ins only", async () => {
    const r = await check([
      { profiles: {}, profile: "mine", call: { tool: "read", args: { filePath: "a" } }, context },
      { profiles: {}, profile: "coder", call: { tool: "read", args: { filePath: "a" } }, context },
    ]);
    expect(r.out.map((o) => o.decision)).toEqual(["deny", "allow"]);
  });

  it("an invalid merged config fails the command with its code, naming the file", async () => {
    const broken = join(root, "broken");
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, "orchestrator.json"), '{ "profiles": [{ "id": "x", "kind": "robot" }] }');
    const line = { profile: "coder", call: { tool: "read", args: { filePath: "a" } }, context };
    const input = join(root, "one.jsonl");
    await writeFile(input, JSON.stringify(line));
    const failed = await orchestra(["permissions", "check", "--input", input, "--project", broken], root);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toContain(join(broken, "orchestrator.json"));
    expect(failed.stderr).toContain("profiles[0].kind");
  });
});
