import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

// Model ids and registry entries never reach the terminal raw: a `--model` with a terminal escape
// or a line break is refused before any worker starts, and `workers list` prints what another
// process wrote in the shared registry without its escapes (--json keeps it, escaped by JSON).

let root = "";
let project = "";
let env: NodeJS.ProcessEnv = {};
const ESC = "\u001b]0;PWNED\u0007\u001b[2J";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-terminal-safe-"));
  project = join(root, "project");
  const home = join(root, "home");
  for (const dir of [project, home]) mkdirSync(dir, { recursive: true });
  env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    XDG_CACHE_HOME: join(home, ".cache"),
    ORCHESTRA_DEBUG: "",
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("model ids and registry entries on the terminal", () => {
  it("workers spawn --model with an escape or a line break: RESOLVER_INVALID_REFERENCE, nothing started", async () => {
    const registry = join(root, "spawn-registry.json");
    for (const model of [`scripted/${ESC}`, "scripted/fake-fast\nEVIL: injected line"]) {
      const run = await runCli(
        ["workers", "spawn", "coder", "--model", model, "--registry", registry, "--json"],
        {
          cwd: project,
          env,
        },
      );
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({
        ok: false,
        code: "RESOLVER_INVALID_REFERENCE",
        message: `${JSON.stringify(model)} is not a model reference (it contains whitespace or a control character).`,
      });
      expect(run.stderr).not.toMatch(CONTROL);
      expect(run.stderr).not.toContain("starting opencode serve");
    }
    // Refused before anything was recorded.
    expect(existsSync(registry)).toBe(false);
  });

  it("workers list prints another process's registry entry without its escapes; --json keeps it", async () => {
    const registry = join(root, "list-registry.json");
    const gone = 2 ** 22 + 1; // above pid_max: no such process
    writeFileSync(
      registry,
      JSON.stringify({
        version: 1,
        entries: [
          {
            id: "coder",
            profile: "coder",
            kind: "process",
            pid: gone,
            pgid: gone,
            processStartTime: "1",
            url: "http://127.0.0.1:4100",
            port: 4100,
            owner: { kind: "cli", pid: gone, startTime: "1" },
            createdAt: 1_000,
            renewedAt: Date.now(),
            ttlMs: 60_000,
            status: "ready",
            model: `scripted/${ESC}x\nEVIL: line`,
            directory: project,
          },
        ],
      }),
    );
    const table = await runCli(["workers", "list", "--registry", registry], { cwd: project, env });
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(CONTROL);
    expect(table.stdout).toContain("scripted/x EVIL: line");
    expect(table.stdout).not.toMatch(/^EVIL/m);
    expect((await list(registry))[0]?.model).toBe(`scripted/${ESC}x\nEVIL: line`);
  });
});

async function list(registry: string): Promise<{ model: string | null }[]> {
  const run = await runCli(["workers", "list", "--registry", registry, "--json"], { cwd: project, env });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { model: string | null }[];
}
