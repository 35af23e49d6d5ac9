import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import cliPackage from "../package.json" with { type: "json" };
import { runCli } from "./test-support/run-cli.js";

let root: string;
let env: NodeJS.ProcessEnv;
const orchestra = (...args: string[]) => runCli(args, { cwd: root, env });

/** The one object every command given --json prints on stdout when it fails. */
function failure(stdout: string): { ok: boolean; code: string; message: string; hints: string[] } {
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const parsed = JSON.parse(stdout) as { ok: boolean; code: string; message: string; hints: string[] };
  expect(Object.keys(parsed).sort()).toEqual(["code", "hints", "message", "ok"]);
  return parsed;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-contract-"));
  const home = join(root, "home");
  env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    ORCHESTRA_DEBUG: "",
  };
  await mkdir(join(root, ".opencode"), { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra --version", () => {
  it("prints the package version for --version and -V, exit 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const r = await orchestra(flag);
      expect(r).toEqual({ code: 0, stdout: `${cliPackage.version}\n`, stderr: "" });
    }
  });
});

describe("bad flag values exit 2 with a usage message and no stack trace", () => {
  const cases: [string, string[], string][] = [
    [
      "ask --timeout abc",
      ["workers", "ask", "w1", "hi", "--timeout", "abc"],
      "'--timeout <ms>' argument 'abc'",
    ],
    ["ask --timeout -5", ["workers", "ask", "w1", "hi", "--timeout", "-5"], "'--timeout <ms>' argument '-5'"],
    ["stop --grace abc", ["workers", "stop", "w1", "--grace", "abc"], "'--grace <ms>' argument 'abc'"],
    ["resolve --server ftp://x", ["resolve", "auto", "--server", "ftp://x"], "expected an http or https URL"],
    [
      "config validate --project /nonexistent",
      ["config", "validate", "--project", "/nonexistent"],
      "no such directory: /nonexistent",
    ],
    ["cleanup --registry /typo", ["workers", "cleanup", "--registry", "/typo"], "no such file: /typo"],
    ["list --registry of a directory", ["workers", "list", "--registry", "/"], "/ is not a file"],
    [
      "spawn --registry in a missing directory",
      ["workers", "spawn", "coder", "--registry", "/no/such/dir/r.json"],
      "no such directory: /no/such/dir",
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await orchestra(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain("--help");
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    });
  }

  it("with --json, a usage error is exactly one { ok: false, code: CLI_USAGE, message, hints } on stdout", async () => {
    const r = await orchestra("workers", "list", "--json", "--probe-timeout", "soon");
    expect(r.code).toBe(2);
    expect(failure(r.stdout)).toMatchObject({ ok: false, code: "CLI_USAGE" });
    expect(failure(r.stdout).message).toContain("'--probe-timeout <ms>' argument 'soon' is invalid");
  });

  it("an empty message to a worker is a usage error, before any worker is looked up", async () => {
    const r = await orchestra("workers", "ask", "no-such-worker", "   ");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'orchestra workers ask: the message is empty\n  hint: give the worker something to do: orchestra workers ask <id> "<message>"\n',
    );
  });

  it("stop with neither an id nor --all is a usage error", async () => {
    const r = await orchestra("workers", "stop");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("orchestra workers stop: give a worker id or --all (not both)\n");
  });
});

describe("failures with --json print exactly one object on stdout and exit 1", () => {
  it("config show: an invalid config gives CONFIG_INVALID with the JSON path in the message", async () => {
    const file = join(root, "broken.json");
    await writeFile(file, JSON.stringify({ healthCheck: { intervalMs: "soon" } }));
    const r = await orchestra("config", "show", "--file", file, "--json");
    expect(r.code).toBe(1);
    const f = failure(r.stdout);
    expect(f.code).toBe("CONFIG_INVALID");
    expect(f.message).toContain("healthCheck.intervalMs");
    expect(f.hints.length).toBeGreaterThan(0);
  });

  it("workers spawn: an unknown profile gives its code and a hint", async () => {
    const registry = join(root, "registry.json");
    const r = await orchestra("workers", "spawn", "no-such-profile", "--registry", registry, "--json");
    expect(r.code).toBe(1);
    const f = failure(r.stdout);
    expect(f.code).toMatch(/^[A-Z]+_[A-Z_]+$/);
    expect(f.message).toContain("no-such-profile");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("config show", () => {
  it("prints the value of keys that contain dots and slashes", async () => {
    const file = join(root, "overrides.json");
    await writeFile(
      file,
      JSON.stringify({
        capabilityOverrides: { "ollama/llava:13b": { vision: true, contextWindow: 32_768 } },
        modelAliases: { "gpt-4.1": "openai/gpt-4.1" },
      }),
    );
    const r = await orchestra("config", "show", "--file", file);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("undefined");
    expect(r.stdout).toMatch(/capabilityOverrides\["ollama\/llava:13b"\]\.vision\s+true\s+← /);
    expect(r.stdout).toMatch(/capabilityOverrides\["ollama\/llava:13b"\]\.contextWindow\s+32768\s+← /);
    expect(r.stdout).toMatch(/modelAliases\["gpt-4\.1"\]\s+"openai\/gpt-4\.1"\s+← /);
  });
});
