import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./test-support/run-cli.js";

let root: string;
let env: NodeJS.ProcessEnv;

/** `orchestra config validate` in a fresh project whose .opencode/orchestrator.json is `config`. */
async function validate(name: string, config: unknown) {
  const project = join(root, name);
  await mkdir(join(project, ".opencode"), { recursive: true });
  const file = join(project, ".opencode", "orchestrator.json");
  await writeFile(file, JSON.stringify(config, null, 2));
  return { file, ...(await runCli(["config", "validate"], { cwd: project, env })) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cross-refs-"));
  const home = join(root, "home");
  env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("config validate: errors only the whole config shows, with file and JSON path", () => {
  it("extends of an unknown profile", async () => {
    const r = await validate("unknown-parent", { profiles: [{ id: "mine", extends: "codr" }] });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${r.file}: profiles[0].extends`);
    expect(r.stderr).toContain('"codr"');
    expect(r.stderr).toMatch(/did you mean "coder"/);
    expect(r.stderr).toContain("nothing was applied");
  });

  it("an extends cycle, and a profile extending itself", async () => {
    const r = await validate("cycle", {
      profiles: [
        { id: "a", extends: "b" },
        { id: "b", extends: "a" },
        { id: "self", extends: "self" },
      ],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/profiles\[[01]\]\.extends: cycle/);
    expect(r.stderr).toMatch(/profiles\[2\]\.extends: cycle self → self/);
  });

  it("workers and warmPool.profiles naming profiles that don't exist", async () => {
    const r = await validate("unknown-ids", {
      workers: ["explorer", "visoin"],
      warmPool: { profiles: { codr: { size: 1 } } },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${r.file}: workers[1]: no profile has this id (got "visoin"`);
    expect(r.stderr).toMatch(/did you mean "vision"/);
    expect(r.stderr).toContain(`${r.file}: warmPool.profiles.codr: no profile has this id (got "codr"`);
    expect(r.stderr).toContain("2 errors");
  });

  it("budgets naming a profile that doesn't exist", async () => {
    const r = await validate("unknown-budget", { budgets: { codr: { maxCostUsd: 1 } } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${r.file}: budgets.codr: no profile has this id (got "codr"`);
    expect(r.stderr).toMatch(/did you mean "coder"/);
  });

  it("a modelAliases cycle", async () => {
    const r = await validate("alias-cycle", {
      modelAliases: { fast: "quick", quick: "fast", ok: "openai/gpt-4o" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${r.file}: modelAliases.fast:`);
    expect(r.stderr).toContain(`${r.file}: modelAliases.quick:`);
    expect(r.stderr).not.toContain("modelAliases.ok");
  });

  it("a config whose references all resolve is valid", async () => {
    const r = await validate("fine", {
      profiles: [{ id: "mine", extends: "coder" }],
      workers: ["mine"],
      warmPool: { profiles: { mine: { size: 1 } } },
      modelAliases: { fast: "quick", quick: "openai/gpt-4o" },
    });
    expect(r.stderr).toBe("");
    expect(r).toMatchObject({ code: 0, stdout: `valid: ${r.file}\n` });
  });

  it("a key written twice is a warning: still valid, exit 0, the line that is lost named", async () => {
    const project = join(root, "duplicate-key");
    await mkdir(join(project, ".opencode"), { recursive: true });
    const file = join(project, ".opencode", "orchestrator.json");
    await writeFile(file, '\uFEFF{\n  "autoSpawn": true,\n  "autoSpawn": false\n}\n');
    const r = await runCli(["config", "validate"], { cwd: project, env });
    expect(r).toEqual({
      code: 0,
      stdout: `valid: ${file}\n`,
      stderr: `warning: ${file}: autoSpawn: duplicate key: the value on line 3 replaces the one on line 2 (expected each key once per object)\n`,
    });
  });
});
