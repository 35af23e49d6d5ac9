import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { loadProfileRegistry } from "@orchestra/profiles";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { configPaths, loadConfig, parseJsonc, validateConfig } from "./load.js";

let root: string;
let home: string;
let project: string;
const env = {};

async function write(file: string, value: unknown) {
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, typeof value === "string" ? value : JSON.stringify(value));
}
const globalFile = () => join(home, ".config", "opencode", "orchestrator.json");
const projectFile = () => join(project, ".opencode", "orchestrator.json");

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<ConfigError> {
  const error = await loadConfig(options).catch((e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-config-"));
  home = join(root, "home");
  project = join(root, "project");
  await mkdir(project, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("loadConfig", () => {
  it("returns every default when no file exists", async () => {
    const { config, layers, sources } = await loadConfig({ home, projectDir: project, env });
    expect(layers).toEqual([]);
    expect(config.healthCheck).toMatchObject({
      enabled: true,
      intervalMs: 30_000,
      timeoutMs: 3_000,
      maxRetries: 3,
    });
    expect(config.warmPool).toEqual({ enabled: false, acquireTimeoutMs: 30_000, profiles: {} });
    expect(config.modelSelection).toEqual({
      mode: "performance",
      preferredProviders: [],
      allowFree: false,
      allowPreview: false,
      allowDeprecated: false,
      fallbackCooldownMs: 60_000,
      maxConcurrent: {},
    });
    expect(sources["healthCheck.intervalMs"]).toBe("default");
  });

  it("merges global, legacy project and .opencode project files in that order, recording sources", async () => {
    await write(globalFile(), {
      healthCheck: { intervalMs: 60_000, timeoutMs: 5_000 },
      modelSelection: { preferredProviders: ["anthropic", "openai"] },
      profiles: ["vision", { id: "coder", model: "auto:code" }],
    });
    await write(join(project, "orchestrator.json"), { ui: { debug: true } });
    await write(projectFile(), {
      healthCheck: { intervalMs: 45_000 },
      modelSelection: { preferredProviders: ["openai"] },
      profiles: [
        { id: "coder", model: "openai/gpt-4o" },
        { id: "safe", extends: "coder" },
      ],
    });
    const { config, layers, sources } = await loadConfig({ home, projectDir: project, env });
    expect(layers.map((l) => l.file)).toEqual([
      globalFile(),
      join(project, "orchestrator.json"),
      projectFile(),
    ]);
    expect(config.healthCheck.intervalMs).toBe(45_000);
    expect(config.healthCheck.timeoutMs).toBe(5_000);
    expect(config.ui.debug).toBe(true);
    // Ordinary arrays are replaced wholesale, so a project can shorten them.
    expect(config.modelSelection.preferredProviders).toEqual(["openai"]);
    // profiles merge by id: replaced in place, new ids appended.
    expect(config.profiles).toEqual([
      "vision",
      { id: "coder", model: "openai/gpt-4o" },
      { id: "safe", extends: "coder" },
    ]);
    expect(sources["healthCheck.intervalMs"]).toBe(projectFile());
    expect(sources["healthCheck.timeoutMs"]).toBe(globalFile());
    expect(sources["healthCheck.maxRetries"]).toBe("default");
    expect(sources["profiles[0]"]).toBe(globalFile());
    expect(sources["profiles[1]"]).toBe(projectFile());
    expect(sources["ui.debug"]).toBe(join(project, "orchestrator.json"));
  });

  it("honours XDG_CONFIG_HOME for the global file", async () => {
    const xdg = join(root, "xdg");
    await write(join(xdg, "opencode", "orchestrator.json"), { autoSpawn: false });
    const { config } = await loadConfig({ home, projectDir: project, env: { XDG_CONFIG_HOME: xdg } });
    expect(config.autoSpawn).toBe(false);
    expect(configPaths({ home, projectDir: project, env: { XDG_CONFIG_HOME: xdg } })[0]?.file).toBe(
      join(xdg, "opencode", "orchestrator.json"),
    );
  });

  it("accepts comments and trailing commas (JSONC)", async () => {
    await write(projectFile(), '{\n  // check often\n  "healthCheck": { "intervalMs": 20000, },\n}\n');
    const { config } = await loadConfig({ home, projectDir: project, env });
    expect(config.healthCheck.intervalMs).toBe(20_000);
  });

  it("lists every error of every file with JSON paths, and applies nothing", async () => {
    await write(globalFile(), { healthCheck: { intervalMs: 5_000 } });
    await write(projectFile(), {
      warmPool: { enabled: "yes" },
      profiles: [{ id: "reviewer", permissions: { categories: { fileSystem: "read" } } }],
    });
    const error = await loadError({ home, projectDir: project, env });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(OrchestraError.isInstance(error)).toBe(true);
    expect(error.issues).toHaveLength(3);
    expect(error.message).toContain(
      `${globalFile()}: healthCheck.intervalMs: too small (got 5000, expected a number >= 10000)`,
    );
    expect(error.message).toContain(
      `${projectFile()}: warmPool.enabled: wrong type (got string "yes", expected boolean)`,
    );
    expect(error.message).toContain(
      'profiles[0].permissions.categories.fileSystem: unknown key (got "fileSystem", expected one of "filesystem", "execution", "network"); did you mean "filesystem"?',
    );
  });

  it("reports syntax errors with line and column", async () => {
    await write(projectFile(), '{\n  "autoSpawn": true\n  "ui": {}\n}');
    const error = await loadError({ home, projectDir: project, env });
    expect(error.code).toBe("CONFIG_PARSE");
    expect(error.message).toMatch(/line 3, column 3: syntax error: CommaExpected/);
  });

  it("accepts a UTF-8 byte-order mark", async () => {
    await write(projectFile(), `\uFEFF${JSON.stringify({ autoSpawn: false })}`);
    const { config, warnings } = await loadConfig({ home, projectDir: project, env });
    expect(config.autoSpawn).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("a global file with a syntax error does not hide the project file's errors", async () => {
    await write(globalFile(), '{ "autoSpawn": tru }');
    await write(projectFile(), { healthCheck: { intervalMs: "soon" } });
    const error = await loadError({ home, projectDir: project, env });
    expect(error.code).toBe("CONFIG_PARSE");
    expect(error.issues[0]).toMatchObject({ file: globalFile(), path: "line 1, column 16" });
    expect(error.issues[0]?.problem).toMatch(/^syntax error: /);
    expect(error.issues.at(-1)).toMatchObject({ file: projectFile(), path: "healthCheck.intervalMs" });
  });

  it("warns about a key written twice in one object (the first value would be lost silently)", async () => {
    await write(projectFile(), '{\n  "autoSpawn": true,\n  "autoSpawn": false\n}');
    const { config, warnings } = await loadConfig({ home, projectDir: project, env });
    expect(config.autoSpawn).toBe(false);
    expect(warnings).toEqual([
      {
        file: projectFile(),
        path: "autoSpawn",
        problem: "duplicate key: the value on line 3 replaces the one on line 2",
        expected: "each key once per object",
      },
    ]);
  });

  it("`contents` stands in for a file's text (a file checked before it is written), the others are read", async () => {
    await write(globalFile(), { profiles: [{ id: "team", extends: "coder" }] });
    await write(projectFile(), { autoSpawn: "yes" });
    const given = { [projectFile()]: '{ "workers": ["team"] // about to be written\n}' };
    const loaded = await loadConfig({ home, projectDir: project, env, contents: given });
    expect(loaded.config.workers).toEqual(["team"]);
    expect(loaded.layers.map((l) => l.file)).toEqual([globalFile(), projectFile()]);
    expect(loaded.origins.workers).toEqual([{ file: projectFile(), index: 0 }]);
    const missing = join(project, "new.json");
    expect((await loadConfig({ file: missing, contents: { [missing]: "{}" } })).layers).toHaveLength(1);
  });

  it("reads only the given file with `file`, and fails clearly when it is missing", async () => {
    const file = join(root, "custom.json");
    await write(file, { autoSpawn: false });
    await write(globalFile(), { autoSpawn: true, ui: { debug: true } });
    const { config, layers } = await loadConfig({ home, projectDir: project, env, file });
    expect(config.autoSpawn).toBe(false);
    expect(config.ui.debug).toBe(false);
    expect(layers).toHaveLength(1);
    const missing = await loadError({ file: join(root, "nope.json") });
    expect(missing.code).toBe("CONFIG_READ");
    expect(missing.message).toMatch(/could not be read in .*nope\.json:\n {2}\(root\): file not found/);
  });
});

describe("profile entries keep their file and JSON path (validated once, here)", () => {
  it("a profile error from an orchestrator.json names that file and the path the user wrote", async () => {
    await write(globalFile(), { profiles: [{ id: "base", model: "auto:code" }] });
    // Merged, "mine" is profiles[2]; in its file it is profiles[1].
    await write(projectFile(), { profiles: [{ id: "other" }, { id: "mine", extends: ["base", "bsae"] }] });
    const loaded = await loadConfig({ home, projectDir: project, env });
    expect(loaded.origins.profiles).toEqual([
      { file: globalFile(), index: 0 },
      { file: projectFile(), index: 0 },
      { file: projectFile(), index: 1 },
    ]);
    const registry = await loadProfileRegistry({
      config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
    });
    const out = registry.tryResolveProfile("mine");
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.error.message).toContain(
        `${projectFile()}: profiles[1].extends[1]: unknown profile in mine → bsae (got "bsae", expected one of`,
      );
    expect(registry.resolveProfile("base").source).toEqual({ kind: "config", index: 0, file: globalFile() });
  });

  it("the profile schema's cross-field rules fail the config, naming the file and the path", async () => {
    await write(projectFile(), {
      profiles: [{ id: "p" }, { id: "both", extends: "p", compose: ["p"] }],
    });
    const error = await loadError({ home, projectDir: project, env });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: projectFile(),
        path: "profiles[1].compose",
        problem: expect.stringContaining("`extends` and `compose` cannot be combined"),
      }),
    ]);
    expect(error.message).toContain(projectFile());
  });
});

describe("validateConfig", () => {
  it("rejects duplicate profile ids within one file", () => {
    const result = validateConfig({ profiles: ["coder", { id: "coder" }] });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => `${i.path}: ${i.problem}`)).toEqual(["profiles[1].id: duplicate id"]);
  });

  it("explains union, enum, pattern and record-key mistakes", () => {
    const result = validateConfig({
      profiles: [3, "Bad", { id: "x", permissions: { categories: { execution: "sandbox" } } }],
      workers: [{ id: "y", model: 5 }],
      warmPool: { profiles: { Coder: { size: 1 } } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map((i) => `${i.path}: ${i.problem} (got ${i.got}, expected ${i.expected})`);
    expect(lines).toContain("profiles[0]: wrong type (got number 3, expected string or object)");
    expect(lines).toContain(
      'profiles[1]: invalid format (got "Bad", expected lower-case letters, digits and dashes, starting with a letter)',
    );
    expect(lines).toContain(
      'profiles[2].permissions.categories.execution: invalid value (got "sandbox", expected one of "full", "sandboxed", "none")',
    );
    expect(result.issues.find((i) => i.path.endsWith("execution"))?.didYouMean).toBe("sandboxed");
    expect(lines).toContain("workers[0].model: wrong type (got number 5, expected string or array)");
    expect(lines).toContain(
      'warmPool.profiles.Coder: invalid key: invalid format (got "Coder", expected lower-case letters, digits and dashes, starting with a letter)',
    );
  });

  it("rejects a document that is not an object", () => {
    const result = validateConfig([1]);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]).toMatchObject({ path: "(root)", problem: "wrong type", expected: "object" });
  });
});

describe("parseJsonc", () => {
  it("parses JSONC and throws CONFIG_PARSE on garbage", () => {
    expect(parseJsonc('{"a": [1, 2,], /* c */ "b": 1}')).toEqual({ a: [1, 2], b: 1 });
    expect(() => parseJsonc("{", "x.json")).toThrow(/x\.json/);
  });
});
