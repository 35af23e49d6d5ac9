import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

// The contract of `orchestra doctor`, through the built command as users run it: the JSON shape,
// exit codes, and the output on a deliberately broken setup (an invalid config, a registry
// directory that does not exist yet, a profile that cannot resolve).

let root = "";
const CHECK_IDS = [
  "opencode",
  "config",
  "profiles",
  "sandbox",
  "registry",
  "memory",
  "plugin-deps",
  "providers",
  "budgets",
];

/** A fresh HOME (XDG dirs inside, the data dir not created) and a project with `files`. */
function makeSetup(name: string, files: Record<string, string>) {
  const home = join(root, name, "home");
  const project = join(root, name, "project");
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("OPENCODE") && !k.startsWith("XDG_") && !k.startsWith("NEO4J_")) env[k] = v;
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, "no-such-dir", "share"),
    ORCHESTRA_DEBUG: "",
  });
  return { home, project, doctor: (...args: string[]) => runCli(["doctor", ...args], { cwd: project, env }) };
}

const BROKEN = {
  ".opencode/orchestrator.json":
    '{\n  // a typo and a wrong type\n  "profiles": [{ "id": "mine", "extends": "coder", "temprature": 0.2 }],\n  "healthCheck": { "intervalMs": "often" }\n}\n',
  ".opencode/agent/reviewer.md": "---\nname: reviewer\nextends: nonexistent\n---\nReview the diff.\n",
};

interface Report {
  ok: boolean;
  checks: { id: string; status: string; message: string; hint?: string }[];
}

/** Parse stdout as exactly one report object of the documented shape. */
function report(stdout: string): Report {
  const parsed = JSON.parse(stdout) as Report;
  expect(Object.keys(parsed).sort()).toEqual(["checks", "ok"]);
  expect(typeof parsed.ok).toBe("boolean");
  for (const c of parsed.checks) {
    expect(Object.keys(c).every((k) => ["id", "status", "message", "hint"].includes(k))).toBe(true);
    expect(typeof c.id).toBe("string");
    expect(["pass", "warn", "fail"]).toContain(c.status);
    expect(typeof c.message).toBe("string");
    if ("hint" in c) expect(typeof c.hint === "string" && c.hint.length > 0).toBe(true);
  }
  expect(parsed.ok).toBe(!parsed.checks.some((c) => c.status === "fail"));
  return parsed;
}

const byId = (r: Report, id: string) => r.checks.find((c) => c.id === id);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-doctor-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("orchestra doctor on a deliberately broken setup", () => {
  it("--json: ok false, exit 1, every check by its stable id, the config errors with their JSON paths", async () => {
    const { doctor, project, home } = makeSetup("broken-json", BROKEN);
    const r = await doctor("--json");
    expect(r.code).toBe(1);
    const out = report(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.checks.map((c) => c.id)).toEqual(CHECK_IDS);
    const config = byId(out, "config");
    expect(config?.status).toBe("fail");
    expect(config?.message).toContain(
      `${project}/.opencode/orchestrator.json: profiles[0].temprature: unknown key`,
    );
    expect(config?.message).toContain(
      `${project}/.opencode/orchestrator.json: healthCheck.intervalMs: wrong type (got string "often", expected number)`,
    );
    const profiles = byId(out, "profiles");
    expect(profiles?.status).toBe("fail");
    expect(profiles?.message).toContain("reviewer.md: extends: unknown profile in reviewer → nonexistent");
    expect(byId(out, "registry")).toEqual({
      id: "registry",
      status: "pass",
      message: `no device registry yet at ${home}/no-such-dir/share/opencode/orchestra/registry.json (no worker has been started)`,
    });
    expect(byId(out, "opencode")?.status).toBe("pass");
  });

  it("human output: a marked line per check, messages and hints indented, a summary; exit 1", async () => {
    const { doctor } = makeSetup("broken-text", BROKEN);
    const r = await doctor();
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    for (const id of CHECK_IDS) expect(lines.some((l) => new RegExp(`^[✓!✗] ${id} +\\S`).test(l))).toBe(true);
    expect(
      lines.some((l) =>
        /^✗ config +2 errors; nothing of the config is applied until they are fixed:$/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) => /^ +hint: fix the lines above, then run `orchestra config validate`/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/^not ok: 2 failed, \d+ warnings?, \d+ passed$/);
  });
});

describe("orchestra doctor exit codes", () => {
  it("exits 0 when nothing fails, warnings allowed", async () => {
    // Only the docs profile is enabled (no sandbox needed); the plugin dependencies are not installed (a warning).
    const { doctor } = makeSetup("healthy", { "orchestrator.json": '{ "profiles": ["docs"] }' });
    const r = await doctor("--json");
    const out = report(r.stdout);
    expect(byId(out, "plugin-deps")?.status).toBe("warn");
    expect(out.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(out.ok).toBe(true);
    expect(r.code).toBe(0);
  });

  it("exits 2 for a bad --server value, with the one JSON failure object under --json", async () => {
    const { doctor } = makeSetup("usage", {});
    const text = await doctor("--server", "ftp://127.0.0.1:1");
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("expected an http or https URL");
    const json = await doctor("--json", "--server", "not a url");
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: "CLI_USAGE" });
    expect((await doctor("--no-such-flag")).code).toBe(2);
  });

  it("--registry checks that registry instead of the user's; a file that does not exist is a usage error", async () => {
    const { doctor, project } = makeSetup("registry-flag", {
      "orchestrator.json": '{ "profiles": ["docs"] }',
    });
    const file = join(project, "my-registry.json");
    // A dead worker (a pid no process has) in the given registry.
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        entries: [
          {
            id: "ghost",
            profile: "docs",
            kind: "process",
            pid: 2 ** 22 + 1,
            pgid: 2 ** 22 + 1,
            processStartTime: "1",
            url: "http://127.0.0.1:4100",
            port: 4100,
            owner: { kind: "cli", pid: 2 ** 22 + 1, startTime: "1" },
            createdAt: 1_000,
            renewedAt: Date.now(),
            ttlMs: 60_000,
            status: "ready",
            directory: project,
          },
        ],
      }),
    );
    const out = report((await doctor("--json", "--registry", file)).stdout);
    expect(byId(out, "registry")).toMatchObject({
      status: "warn",
      message: `${file}:\n1 dead entry (process gone): ghost`,
    });
    const missing = await doctor("--json", "--registry", join(project, "typo.json"));
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, code: "CLI_USAGE" });
  });
});
