import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, "../../dist/main.js");
const fixtures = join(here, "migrate-fixtures");
const run = promisify(execFile);

let root: string;
let env: NodeJS.ProcessEnv;
let n = 0;

async function orchestra(args: string[], cwd = root) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A fresh project with the fixture as its `.opencode/orchestrator.json`. */
async function project(fixture: string): Promise<{ dir: string; file: string }> {
  const dir = join(root, `project-${++n}`);
  await mkdir(join(dir, ".opencode"), { recursive: true });
  const file = join(dir, ".opencode", "orchestrator.json");
  await copyFile(join(fixtures, fixture), file);
  return { dir, file };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-migrate-"));
  env = { ...process.env, HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "home", ".config") };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra migrate", () => {
  it("without --write prints a unified diff of the project's file and every change with its reason, and writes nothing", async () => {
    const { dir, file } = await project("full-example.json");
    const before = await readFile(file, "utf8");
    const result = await orchestra(["migrate"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- ${file}\tv0.2\n+++ ${file}\tv0.3\n@@ `);
    expect(result.stdout).toContain('\n-  "basePort": 0,\n');
    expect(result.stdout).toContain('\n+  "spawn": {\n+    "startupTimeoutMs": 45000\n+  },\n');
    expect(result.stdout).toContain(
      "  moved     startupTimeout → spawn.startupTimeoutMs: same setting, v0.3 name\n",
    );
    expect(result.stdout).toContain("  removed   telemetry: retired in v0.3: v0.3 sends no telemetry");
    expect(result.stdout).toContain("Run `orchestra migrate --write` to apply");
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await readdir(dirname(file))).toEqual(["orchestrator.json"]);
  });

  it("--json prints exactly { ok, changes: [{ path, action, to?, note }], output }", async () => {
    const { dir } = await project("builtin-profiles.json");
    const result = await orchestra(["migrate", "--json"], dir);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["ok", "changes", "output"]);
    expect(parsed.ok).toBe(true);
    const changes = parsed.changes as Record<string, unknown>[];
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(Object.keys(change).every((k) => ["path", "action", "to", "note"].includes(k))).toBe(true);
      expect(typeof change.path).toBe("string");
      expect(["moved", "converted", "removed", "kept"]).toContain(change.action);
      expect(change.to === undefined || typeof change.to === "string").toBe(true);
      expect(typeof change.note).toBe("string");
    }
    expect(changes).toContainEqual({
      path: "profiles[1].tools",
      action: "converted",
      to: "profiles[1].permissions",
      note: expect.stringContaining("closest safe effect"),
    });
    expect(typeof parsed.output).toBe("object");
  });

  it("--write keeps the original as .v02.bak, replaces the file atomically, and the result passes `config validate`", async () => {
    const { dir, file } = await project("defaults.json");
    const original = await readFile(file, "utf8");
    const inodeBefore = (await stat(file)).ino;
    const result = await orchestra(["migrate", "--write"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${file}; the original is kept as ${file}.v02.bak.`);
    expect(result.stdout).toContain("It passes `orchestra config validate`.");
    expect(await readFile(`${file}.v02.bak`, "utf8")).toBe(original);
    // write-file-atomic writes a temporary file and renames it over the target: a new inode, no leftovers.
    expect((await stat(file)).ino).not.toBe(inodeBefore);
    expect((await readdir(dirname(file))).sort()).toEqual(["orchestrator.json", "orchestrator.json.v02.bak"]);
    const json = await orchestra(["migrate", "--json", "--file", `${file}.v02.bak`], dir);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(JSON.parse(json.stdout).output);
    const validate = await orchestra(["config", "validate", "--file", file], dir);
    expect(validate).toMatchObject({ code: 0, stdout: `valid: ${file}\n` });
  });

  it("a second --write changes nothing and leaves the backup alone", async () => {
    const { dir, file } = await project("quick-start.json");
    expect((await orchestra(["migrate", "--write"], dir)).code).toBe(0);
    const backup = await readFile(`${file}.v02.bak`, "utf8");
    const again = await orchestra(["migrate", "--write"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Nothing to change: ${file} is already a v0.3 config.`);
    expect(await readFile(`${file}.v02.bak`, "utf8")).toBe(backup);
  });

  it("refuses to overwrite an earlier backup and writes nothing", async () => {
    const { dir, file } = await project("full-example.json");
    await writeFile(`${file}.v02.bak`, "earlier original");
    const before = await readFile(file, "utf8");
    const result = await orchestra(["migrate", "--write"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}.v02.bak already exists; nothing was written.`);
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await readFile(`${file}.v02.bak`, "utf8")).toBe("earlier original");
  });

  it("exits 1 and keeps a key it cannot place in a //migrate list (never drops it)", async () => {
    const { dir, file } = await project("quick-start.json");
    await writeFile(
      file,
      JSON.stringify({
        workers: ["docs"],
        colour: "blue",
        profiles: [{ id: "x", model: "node:fast", providerID: "openai" }],
      }),
    );
    const json = await orchestra(["migrate", "--json"], dir);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; output: Record<string, unknown> };
    expect(parsed.ok).toBe(false);
    expect(parsed.output["//migrate"]).toEqual([
      { path: "profiles[0].providerID", value: "openai", reason: expect.any(String) },
      { path: "colour", value: "blue", reason: expect.stringContaining("unknown key") },
    ]);
    const text = await orchestra(["migrate", "--write"], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('2 keys could not be placed and are kept under "//migrate"');
    expect(JSON.parse(await readFile(file, "utf8"))["//migrate"]).toHaveLength(2);
    const validate = await orchestra(["config", "validate", "--file", file], dir);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain("this looks like a v0.2 config: run `orchestra migrate`");
    expect(validate.stderr).toContain(`["//migrate"]: keys that \`orchestra migrate\` could not place`);
  });

  it("a result that would fail `config validate` on a cross-reference exits 1 with the JSON paths, and writes nothing", async () => {
    const { dir, file } = await project("quick-start.json");
    const v02 = JSON.stringify({
      basePort: 0,
      workers: ["docs", "reviewr"],
      profiles: [
        { id: "reviewer", extends: "architect", purpose: "Reviews" },
        { id: "safe", extends: "reviewr", port: 0 },
      ],
    });
    await writeFile(file, v02);
    const json = await orchestra(["migrate", "--json"], dir);
    expect(json.code).toBe(1);
    expect(json.stdout.trim().split("\n")).toHaveLength(1);
    const failure = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(failure).sort()).toEqual(["code", "hints", "message", "ok"]);
    expect(failure).toMatchObject({ ok: false, code: "CLI_MIGRATE_CROSS_REFS" });
    expect(failure.message).toContain("`orchestra config validate`");
    expect(failure.message).toContain("nothing was written");
    const hints = failure.hints as string[];
    expect(hints).toContainEqual(expect.stringContaining(`${file}: profiles[1].extends:`));
    expect(hints).toContainEqual(expect.stringContaining('did you mean "reviewer"'));
    expect(hints).toContainEqual(expect.stringContaining(`${file}: workers[1]: no profile has this id`));
    expect(hints).toContainEqual(expect.stringContaining("orchestra migrate --write"));

    const write = await orchestra(["migrate", "--write"], dir);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain("profiles[1].extends");
    expect(write.stderr).toContain("nothing was written");
    expect(write.stderr).not.toMatch(/\n\s+at /);
    expect(write.stdout).not.toContain("Run `orchestra migrate --write` to apply");
    expect(await readFile(file, "utf8")).toBe(v02);
    expect(await readdir(dirname(file))).toEqual(["orchestrator.json"]);

    // Fixed in the v0.2 file, it migrates and the result passes `config validate`.
    await writeFile(file, v02.replaceAll('"reviewr"', '"reviewer"'));
    expect((await orchestra(["migrate", "--write"], dir)).code).toBe(0);
    expect((await orchestra(["config", "validate"], dir)).code).toBe(0);
  });

  it("checks the references the way `config validate` reads the file: with the global file and the project's markdown profiles", async () => {
    const { dir, file } = await project("quick-start.json");
    const globalFile = join(root, "home", ".config", "opencode", "orchestrator.json");
    await mkdir(dirname(globalFile), { recursive: true });
    await writeFile(globalFile, JSON.stringify({ profiles: [{ id: "team", extends: "coder" }] }));
    await mkdir(join(dir, ".opencode", "agents"), { recursive: true });
    await writeFile(
      join(dir, ".opencode", "agents", "notes.md"),
      "---\nname: notes\nextends: docs\n---\nNotes.\n",
    );
    await writeFile(
      file,
      JSON.stringify({
        basePort: 0,
        workers: ["team", "notes"],
        profiles: [{ id: "mine", extends: "team" }],
      }),
    );
    const result = await orchestra(["migrate", "--json"], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    // A global file still in v0.2 cannot be merged: the file is checked without it, with the markdown profiles.
    await writeFile(
      globalFile,
      JSON.stringify({ basePort: 0, profiles: [{ id: "team", extends: "coder" }] }),
    );
    const alone = await orchestra(["migrate", "--json"], dir);
    await rm(globalFile);
    expect(alone.code).toBe(1);
    const hints = (JSON.parse(alone.stdout) as { hints: string[] }).hints;
    expect(hints.filter((h) => h.startsWith(file))).toEqual([
      expect.stringContaining(`${file}: profiles[0].extends: unknown profile in mine → team`),
      expect.stringContaining(`${file}: workers[0]: no profile has this id (got "team"`),
    ]);
  });

  it("exits 2 for bad flags and a --file that does not exist", async () => {
    const bogus = await orchestra(["migrate", "--bogus"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("unknown option '--bogus'");
    const missing = await orchestra(["migrate", "--file", join(root, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such file: ${join(root, "nope.json")}`);
  });

  it("exits 1 naming both places when the project has no orchestrator.json", async () => {
    const dir = join(root, "empty");
    await mkdir(dir, { recursive: true });
    const result = await orchestra(["migrate"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, ".opencode", "orchestrator.json")}`);
    expect(result.stderr).toContain("pass --file");
  });

  it("falls back to the project's orchestrator.json (v0.2's legacy place) and names global entries v0.3 now merges in", async () => {
    const dir = join(root, "legacy");
    await mkdir(join(root, "home", ".config", "opencode"), { recursive: true });
    await writeFile(
      join(root, "home", ".config", "opencode", "orchestrator.json"),
      JSON.stringify({ workers: ["vision"] }),
    );
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "orchestrator.json"), JSON.stringify({ workers: ["docs"] }));
    const result = await orchestra(["migrate", "--json"], dir);
    await rm(join(root, "home", ".config", "opencode", "orchestrator.json"));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).changes).toEqual([
      {
        path: "workers",
        action: "kept",
        note: expect.stringContaining(`the global file's "vision" now also start here`),
      },
    ]);
  });

  it("--help explains the flags, what it converts and the exit codes", async () => {
    const help = await orchestra(["migrate", "--help"]);
    expect(help.code).toBe(0);
    for (const text of [
      "--file <file>",
      "--write",
      ".v02.bak",
      "--json",
      '"//migrate"',
      "Exit codes: 0",
      "node:*",
      "cross-reference",
    ])
      expect(help.stdout).toContain(text);
  });
});
