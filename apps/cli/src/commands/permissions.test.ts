import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");
const run = promisify(execFile);

let root: string;
const context = { cwd: "/proj", home: "/home/u", platform: "linux", caseInsensitiveFs: false, symlinks: {} };
const profiles = {
  reviewer: { permissions: { categories: { filesystem: "read", execution: "sandboxed" } } },
  child: { extends: "reviewer" },
  bad: { permissions: { categories: { fileSystem: "read" } } },
  // compose: the most restrictive of both, with both allowed-path lists intersected.
  src: {
    permissions: {
      categories: { filesystem: "full", execution: "sandboxed" },
      paths: { allowed: ["src/**"] },
    },
  },
  ts: {
    permissions: { categories: { filesystem: "read", execution: "full" }, paths: { allowed: ["**/*.ts"] } },
  },
  both: { compose: ["src", "ts"] },
  "loop-a": { extends: "loop-b" },
  "loop-b": { extends: "loop-a" },
  orphan: { extends: "nobody" },
  // extends a built-in profile.
  careful: {
    extends: "coder",
    permissions: { tools: { bash: { enabled: true, constraints: { deniedFlags: ["--force"] } } } },
  },
  mismatch: { id: "other" },
};
const lines = [
  {
    id: "ok",
    profiles,
    profile: "reviewer",
    call: { tool: "bash", args: { command: "git status" } },
    context,
  },
  {
    id: "write",
    profiles,
    profile: "reviewer",
    call: { tool: "write", args: { filePath: "a", content: "" } },
    context,
  },
  { profiles, profile: "child", call: { tool: "read", args: { filePath: "a" } }, context },
  { id: "bad", profiles, profile: "bad", call: { tool: "read", args: { filePath: "a" } }, context },
  { id: "missing", profiles, profile: "nobody", call: { tool: "read", args: { filePath: "a" } }, context },
  { id: "child-write", profiles, profile: "child", call: { tool: "edit", args: { filePath: "a" } }, context },
  {
    id: "both-ok",
    profiles,
    profile: "both",
    call: { tool: "read", args: { filePath: "src/a.ts" } },
    context,
  },
  {
    id: "both-md",
    profiles,
    profile: "both",
    call: { tool: "read", args: { filePath: "src/a.md" } },
    context,
  },
  {
    id: "both-write",
    profiles,
    profile: "both",
    call: { tool: "write", args: { filePath: "src/a.ts" } },
    context,
  },
  { id: "cycle", profiles, profile: "loop-a", call: { tool: "read", args: { filePath: "a" } }, context },
  { id: "orphan", profiles, profile: "orphan", call: { tool: "read", args: { filePath: "a" } }, context },
  {
    id: "careful",
    profiles,
    profile: "careful",
    call: { tool: "bash", args: { command: "git push --forc origin main" } },
    context,
  },
  { id: "builtin", profiles, profile: "explorer", call: { tool: "write", args: { filePath: "a" } }, context },
  { id: "mismatch", profiles, profile: "mismatch", call: { tool: "read", args: { filePath: "a" } }, context },
];

async function orchestra(args: string[], stdin?: string) {
  if (stdin !== undefined) {
    return await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const p = spawn(process.execPath, [cli, ...args], { cwd: root });
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
      p.stdin.end(stdin);
    });
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const parse = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-permissions-"));
  await writeFile(
    join(root, "calls.jsonl"),
    `${lines.map((l) => JSON.stringify(l)).join("\n")}\n\nnot json\n`,
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra permissions check", { timeout: 60_000 }, () => {
  it("prints one decision line per input line", async () => {
    const r = await orchestra(["permissions", "check", "--input", "calls.jsonl"]);
    expect(r.code).toBe(0);
    const out = parse(r.stdout);
    expect(out.map((o) => [o.id, o.decision, o.rule])).toEqual([
      ["ok", "allow", "allowed"],
      ["write", "deny", "filesystem.read-only"],
      [3, "allow", "allowed"],
      ["bad", "deny", "permissions.invalid"],
      ["missing", "deny", "profile.unresolved"],
      ["child-write", "deny", "filesystem.read-only"],
      ["both-ok", "allow", "allowed"],
      ["both-md", "deny", "paths.not-allowed"],
      ["both-write", "deny", "filesystem.read-only"],
      ["cycle", "deny", "profile.unresolved"],
      ["orphan", "deny", "profile.unresolved"],
      ["careful", "deny", "shell.denied-flag"],
      // The built-in explorer switches `write` off explicitly.
      ["builtin", "deny", "tools.disabled"],
      ["mismatch", "deny", "profile.unresolved"],
      [16, "deny", "call.invalid"],
    ]);
    const byId = new Map(out.map((o) => [o.id, o]));
    expect(byId.get("bad")?.reason).toContain("profiles.bad.permissions.categories.fileSystem");
    expect(byId.get("bad")?.reason).toContain('did you mean "filesystem"');
    expect(byId.get("both-md")?.reason).toContain("one of (`src/**`) and one of (`**/*.ts`)");
    expect(byId.get("cycle")?.reason).toContain("cycle");
    expect(byId.get("orphan")?.reason).toContain("nobody");
    expect(byId.get("missing")?.reason).toContain("not defined");
    expect(byId.get("mismatch")?.reason).toContain("differs from the key");
  });

  it("reads standard input with -", async () => {
    const r = await orchestra(["permissions", "check", "--input", "-"], `${JSON.stringify(lines[0])}\n`);
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toEqual([
      { id: "ok", decision: "allow", reason: expect.any(String), rule: "allowed" },
    ]);
  });

  it("--strict exits 1 when a call is denied", async () => {
    const r = await orchestra(["permissions", "check", "--strict", "--input", "calls.jsonl"]);
    expect(r.code).toBe(1);
  });

  it("fails with a hint when the input cannot be read", async () => {
    const r = await orchestra(["permissions", "check", "--input", "nope.jsonl"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot read nope.jsonl");
    expect(r.stderr).toContain("hint:");
  });
});
