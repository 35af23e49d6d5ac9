/**
 * The permission decisions of each migrated fixture profile, against v0.2's intent, on a table of
 * calls. Decided the way `orchestra permissions check` decides: the profile registry of
 * `@orchestra/profiles` resolves `extends` and built-in overrides, and `check` of
 * `@orchestra/permissions` decides each call.
 *
 * v0.2 ran every tool its `tools` map did not switch off. v0.3 may decide more narrowly (the closest
 * safe effect), never more widely: a row's v0.3 decision is its v0.2 intent unless the row is listed
 * under `narrowed`, and then the migration's note for that profile must say so.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MigrationChange, migrateV02, validateConfig } from "@orchestra/config";
import { type CheckContext, check, fromEffective, type ToolCall } from "@orchestra/permissions";
import { createProfileRegistry, profilesFromConfig } from "@orchestra/profiles";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "migrate-fixtures");

type Intent = "allow" | "deny";
const CALL_NAMES = ["read", "grep", "write", "edit", "bash ls", "bash touch", "webfetch", "task"] as const;
type CallName = (typeof CALL_NAMES)[number];

function calls(cwd: string): Record<CallName, ToolCall> {
  return {
    read: { tool: "read", args: { filePath: join(cwd, "src/app.ts") } },
    grep: { tool: "grep", args: { pattern: "TODO", path: cwd } },
    write: { tool: "write", args: { filePath: join(cwd, "src/app.ts"), content: "x" } },
    edit: { tool: "edit", args: { filePath: join(cwd, "src/app.ts"), oldString: "a", newString: "b" } },
    "bash ls": { tool: "bash", args: { command: "ls src" } },
    "bash touch": { tool: "bash", args: { command: "touch src/new.ts" } },
    webfetch: { tool: "webfetch", args: { url: "https://example.com/docs" } },
    task: { tool: "task", args: { description: "look", prompt: "look around", subagent_type: "general" } },
  };
}

/** v0.2's intent: every call allowed except those the profile's `tools` map switched off. */
const v02 = (...off: CallName[]): Record<CallName, Intent> =>
  Object.fromEntries(CALL_NAMES.map((c) => [c, off.includes(c) ? "deny" : "allow"])) as Record<
    CallName,
    Intent
  >;

interface Row {
  /** What v0.2 decided. */
  readonly v02: Record<CallName, Intent>;
  /** Calls v0.2 allowed that the migrated v0.3 profile denies (the closest safe effect). */
  readonly narrowed: readonly CallName[];
}

/** Every v0.3 profile denies `task` (subagents) unless enabled, and the notes say so. */
const TABLE: Record<string, Record<string, Row>> = {
  "builtin-profiles.json": {
    // Overrides of built-ins inherit v0.3's built-in permissions, which are narrower than v0.2's.
    vision: { v02: v02(), narrowed: ["write", "edit", "bash ls", "bash touch", "webfetch", "task"] },
    docs: { v02: v02("write", "edit"), narrowed: ["bash ls", "bash touch", "task"] },
    coder: { v02: v02(), narrowed: ["webfetch", "task"] },
    architect: { v02: v02("write", "edit", "bash ls", "bash touch"), narrowed: ["webfetch", "task"] },
    explorer: { v02: v02("write", "edit"), narrowed: ["bash touch", "webfetch", "task"] },
    memory: { v02: v02(), narrowed: ["write", "edit", "bash ls", "bash touch", "webfetch", "task"] },
  },
  "full-example.json": {
    vision: { v02: v02(), narrowed: ["write", "edit", "bash ls", "bash touch", "webfetch", "task"] },
    "my-expert": { v02: v02(), narrowed: ["task"] },
  },
  "profile-properties.json": {
    "react-expert": { v02: v02(), narrowed: ["task"] },
    reviewer: { v02: v02("bash ls", "bash touch", "webfetch"), narrowed: ["task"] },
    // write and edit off become filesystem: read, which also closes writes from the shell.
    auditor: { v02: v02("write", "edit"), narrowed: ["bash touch", "task"] },
    "my-custom-worker": { v02: v02(), narrowed: ["task"] },
  },
};

let root: string;
let context: CheckContext;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-migrate-decisions-"));
  await mkdir(join(root, "project", "src"), { recursive: true });
  context = {
    cwd: join(root, "project"),
    home: join(root, "home"),
    platform: process.platform,
    caseInsensitiveFs: false,
  };
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A note names a narrowing when it says "closest safe effect" or names the tool (`task`). */
function notesExplain(changes: readonly MigrationChange[], path: string, call: ToolCall): boolean {
  return changes
    .filter((c) => c.path === path || c.path.startsWith(`${path}.`))
    .some((c) => c.note.includes("closest safe effect") || c.note.includes(`\`${call.tool}\``));
}

describe("permission decisions of migrated v0.2 profiles match v0.2's intent (or its closest safe effect)", () => {
  it("the table never widens: a call v0.2 denied is never listed as narrowed", () => {
    for (const rows of Object.values(TABLE))
      for (const row of Object.values(rows)) for (const c of row.narrowed) expect(row.v02[c]).toBe("allow");
  });

  for (const [fixture, rows] of Object.entries(TABLE)) {
    it(`${fixture}: ${Object.keys(rows).join(", ")}`, async () => {
      const raw = JSON.parse(await readFile(join(fixtures, fixture), "utf8")) as Record<string, unknown>;
      const migrated = migrateV02(raw);
      const checked = validateConfig(migrated.output);
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      const { profiles, workers } = checked.config;
      const entries = [...profiles, ...workers.filter((w) => typeof w !== "string")];
      const registry = createProfileRegistry({ sources: [profilesFromConfig(entries)] });
      const table = calls(context.cwd);
      const decided: Record<string, Record<string, Intent>> = {};
      const expected: Record<string, Record<string, Intent>> = {};
      for (const [id, row] of Object.entries(rows)) {
        const resolved = registry.tryResolveProfile(id);
        if (!resolved.ok) throw new Error(resolved.error.message);
        const permissions = fromEffective(resolved.resolved.profile.permissions);
        decided[id] = {};
        expected[id] = {};
        for (const name of CALL_NAMES) {
          decided[id][name] = check(permissions, table[name], context).decision;
          expected[id][name] = row.narrowed.includes(name) ? "deny" : row.v02[name];
        }
        const index = (raw.profiles as { id?: string }[] | undefined)?.findIndex((p) => p.id === id) ?? -1;
        const path =
          index >= 0
            ? `profiles[${index}]`
            : `workers[${(raw.workers as { id?: string }[]).findIndex((w) => w.id === id)}]`;
        for (const name of row.narrowed)
          expect(
            notesExplain(migrated.changes, path, table[name]),
            `${id}: no note explains the narrowed ${name}`,
          ).toBe(true);
      }
      expect(decided).toEqual(expected);
    });
  }
});
