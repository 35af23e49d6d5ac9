import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");
const run = promisify(execFile);

let root: string;
let env: NodeJS.ProcessEnv;

async function orchestra(args: string[], cwd = root) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-config-"));
  env = { ...process.env, HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "home", ".config") };
  await mkdir(join(root, ".opencode"), { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra config", () => {
  it("validate exits 0 for a valid file", async () => {
    const file = join(root, "good.json");
    await writeFile(file, JSON.stringify({ healthCheck: { intervalMs: 60000 } }));
    const result = await orchestra(["config", "validate", "--file", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`valid: ${file}\n`);
  });

  it("validate exits 1 with one `path: problem (got, expected)` line per error", async () => {
    const file = join(root, "bad.json");
    await writeFile(
      file,
      JSON.stringify({ healthCheck: { intervalMs: 5000, retries: 2 }, warmPool: { enabled: 1 } }),
    );
    const result = await orchestra(["config", "validate", "--file", file]);
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n")).toEqual([
      `${file}: healthCheck.intervalMs: too small (got 5000, expected a number >= 10000)`,
      `${file}: healthCheck.retries: unknown key (got "retries", expected one of "enabled", "intervalMs", "timeoutMs", "maxRetries", "recoverySuccesses", "respawn"); did you mean "maxRetries"?`,
      `${file}: warmPool.enabled: wrong type (got number 1, expected boolean)`,
      "3 errors; nothing was applied. Fix them and run again.",
      "",
    ]);
  });

  it("show prints the merged config with the source of each value", async () => {
    await mkdir(join(root, "home", ".config", "opencode"), { recursive: true });
    const globalFile = join(root, "home", ".config", "opencode", "orchestrator.json");
    const projectFile = join(root, ".opencode", "orchestrator.json");
    await writeFile(globalFile, JSON.stringify({ ui: { debug: true } }));
    await writeFile(projectFile, JSON.stringify({ healthCheck: { intervalMs: 45000 } }));
    const text = await orchestra(["config", "show"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`healthCheck\\.intervalMs\\s+45000\\s+← ${projectFile.replace(/[.]/g, "\\.")}`),
    );
    expect(text.stdout).toMatch(/ui\.debug\s+true\s+← .*home\/\.config\/opencode\/orchestrator\.json/);
    expect(text.stdout).toMatch(/healthCheck\.timeoutMs\s+3000\s+← default/);

    const json = await orchestra(["config", "show", "--json"]);
    const parsed = JSON.parse(json.stdout) as {
      config: { healthCheck: { intervalMs: number } };
      sources: Record<string, string>;
      files: unknown[];
    };
    expect(parsed.config.healthCheck.intervalMs).toBe(45000);
    expect(parsed.sources["healthCheck.intervalMs"]).toBe(projectFile);
    expect(parsed.files).toEqual([
      { kind: "global", file: globalFile },
      { kind: "project", file: projectFile },
    ]);
  });

  it("exits 2 on bad usage and 0 on --help", async () => {
    expect((await orchestra(["config", "frobnicate"])).code).toBe(2);
    const help = await orchestra(["config", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate");
  });
});
