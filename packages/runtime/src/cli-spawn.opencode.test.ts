// A CLI-owned orchestra (no host server, as `orchestra workers spawn`) on a brand-new HOME with the
// npm registry unreachable, against real `opencode serve` and the scripted model. Every
// `opencode` the runtime starts goes through a wrapper that logs its arguments, so the test
// counts servers: every CLI run starts one OpenCode, the worker; the first run (and the first after
// the OpenCode config changes) reads the catalog from that worker and caches it, later runs read
// it from the cache.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orchestratorConfigSchema } from "@orchestra/config";
import { terminateGroup } from "@orchestra/process";
import { loadProfileRegistry } from "@orchestra/profiles";
import {
  resolveOpencode,
  resolvePackageDir,
  type ScriptedModel,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogCacheFile } from "./catalog-cache.js";
import { createOrchestra } from "./orchestra.js";
import type { SpawnProgress } from "./workers/spawn.js";

const fixture = join(import.meta.dirname, "..", "test-fixtures", "handshake-plugin.mjs");
let model: ScriptedModel;
let root = "";
let project = "";
let wrapper = "";
let launches = "";
let plugin = "";
const saved = { ...process.env };

beforeAll(async () => {
  model = await startScriptedModel({ script: (req) => `answer to: ${req.lastUserText ?? ""}` });
  root = mkdtempSync(join(tmpdir(), "orchestra-cli-spawn-"));
  project = join(root, "project");
  const home = join(root, "home");
  // The project has its own (empty) OpenCode config dir: OpenCode installs into it too.
  for (const dir of [join(project, ".opencode"), home]) mkdirSync(dir, { recursive: true });
  const xdg = {
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    XDG_CACHE_HOME: join(home, ".cache"),
  };
  // The user's global OpenCode config: their provider, default model and a plugin of their own
  // (so the catalog server, too, would install plugin dependencies if they were not seeded).
  mkdirSync(join(xdg.XDG_CONFIG_HOME, "opencode"), { recursive: true });
  const userPlugin = join(root, "user-plugin.mjs");
  writeFileSync(userPlugin, "export const UserPlugin = async () => ({});\n");
  writeFileSync(
    join(xdg.XDG_CONFIG_HOME, "opencode", "opencode.json"),
    JSON.stringify({
      provider: model.providerConfig(),
      enabled_providers: [model.providerId],
      model: `${model.providerId}/fake-fast`,
      small_model: `${model.providerId}/fake-fast`,
      plugin: [`file://${userPlugin}`],
    }),
  );
  // A worker plugin installed with its @opencode-ai/plugin beside it, as @orchestra/plugin is.
  const pluginDir = join(root, "plugin");
  mkdirSync(join(pluginDir, "node_modules", "@opencode-ai"), { recursive: true });
  const installed = resolvePackageDir(
    "@opencode-ai/plugin",
    join(import.meta.dirname, "..", "..", "testkit"),
  );
  if (!installed) throw new Error("@opencode-ai/plugin is not installed for the testkit");
  symlinkSync(installed, join(pluginDir, "node_modules", "@opencode-ai", "plugin"), "dir");
  plugin = join(pluginDir, "index.mjs");
  writeFileSync(plugin, `export { HandshakeFixture } from ${JSON.stringify(fixture)};\n`);
  // Every opencode the runtime starts, logged.
  launches = join(root, "launches.log");
  wrapper = join(root, "opencode");
  const real = resolveOpencode({ resolveFrom: import.meta.dirname }).binary;
  // `exec` keeps the pid: the logged pid is the OpenCode server's.
  writeFileSync(wrapper, `#!/bin/sh\necho "$$ $*" >> '${launches}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  // The CLI runs with the user's environment: a new HOME, and no way to reach the npm registry.
  Object.assign(process.env, {
    HOME: home,
    ...xdg,
    npm_config_registry: "http://127.0.0.1:9/",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
  });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await model?.close();
  if (root) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

const servers = () =>
  existsSync(launches)
    ? readFileSync(launches, "utf8")
        .split("\n")
        .filter((l) => /^\d+ serve/.test(l))
    : [];

/** When the catalog cache was last written (the catalog was read from OpenCode). */
const cacheWritten = () => statSync(catalogCacheFile({ directory: project, env: process.env })).mtimeMs;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * One `orchestra workers spawn` run: a new CLI-owned orchestra spawns a worker, asks it and stops
 * it. `coder`'s model is `auto` (the user's default, chosen from the catalog) unless `model` is
 * given; with `askFails`, the ask must fail with an error that matches it.
 */
async function cliSpawn(
  progress: SpawnProgress[] = [],
  options: { models?: string[]; model?: string; askFails?: Record<string, unknown> } = {},
) {
  const config = orchestratorConfigSchema.parse({
    spawn: { startupTimeoutMs: 120_000 },
    profiles: [{ id: "coder", model: "auto" }],
  });
  const orchestra = await createOrchestra({
    config,
    directory: project,
    profiles: await loadProfileRegistry({ projectDir: project, config: { profiles: config.profiles } }),
    owner: "cli",
    binary: wrapper,
    workerPlugins: [plugin],
    registryFile: join(root, "registry.json"),
    secretFile: join(root, "worker-secret"),
    logger: { warn: () => undefined },
  });
  const before = servers().length;
  try {
    const worker = await orchestra.spawn("coder", {
      kind: "process",
      ...(options.model === undefined ? {} : { model: options.model }),
      onProgress: (p) => progress.push(p),
    });
    options.models?.push(worker.model);
    if (options.askFails)
      await expect(orchestra.ask(worker.id, "hello")).rejects.toMatchObject(options.askFails);
    else expect((await orchestra.ask(worker.id, "hello")).text).toBe("answer to: hello");
    await orchestra.stop(worker.id);
    if (worker.pid) await terminateGroup(worker.pid, 0);
  } finally {
    await orchestra.shutdown();
  }
  return servers().length - before;
}

const lockedPlugin = (dir: string) => {
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dependencies?: Record<string, string> }>;
  };
  return lock.packages[""]?.dependencies?.["@opencode-ai/plugin"];
};

describe("CLI spawn on a brand-new HOME, registry unreachable", { timeout: 300_000 }, () => {
  it("pre-seeds OpenCode's plugin-dependency install in every config dir the worker uses", async () => {
    const progress: SpawnProgress[] = [];
    // The first run starts the worker and reads the catalog from it: no other OpenCode.
    expect(await cliSpawn(progress)).toBe(1);
    expect(cacheWritten()).toBeGreaterThan(0);
    const version = resolveOpencode({ resolveFrom: import.meta.dirname }).version;
    for (const dir of [join(process.env.XDG_CONFIG_HOME ?? "", "opencode"), join(project, ".opencode")]) {
      expect(lockedPlugin(dir)).toBe(version);
      // Linked to a real install, so local plugins in that dir can import it.
      expect(existsSync(join(dir, "node_modules", "@opencode-ai", "plugin", "package.json"))).toBe(true);
    }
    const deps = progress.filter((p) => p.stage === "dependencies").map((p) => p.message);
    expect(deps).toEqual([expect.stringContaining("plugin dependencies: ")]);
    expect(deps[0]).toContain(`${join(project, ".opencode")} `);
  });

  it("reads the catalog from the cache on later spawns, from the worker once the OpenCode config changes", async () => {
    const first = cacheWritten();
    expect(await cliSpawn()).toBe(1);
    expect(await cliSpawn()).toBe(1);
    expect(cacheWritten()).toBe(first);
    // Without `$schema`: OpenCode adds it on load, which must not count as a change.
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ share: "disabled" }));
    expect(await cliSpawn()).toBe(1);
    const again = cacheWritten();
    expect(again).toBeGreaterThan(first);
    expect(await cliSpawn()).toBe(1);
    expect(cacheWritten()).toBe(again);
  });

  it("makes `auto` the user's default model (the project's `model`), read and cached with the catalog", async () => {
    const vision = `${model.providerId}/fake-vision`;
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ model: vision }));
    const models: string[] = [];
    // A config change: the catalog (and the default model) is read again, then from the cache.
    const before = cacheWritten();
    expect(await cliSpawn([], { models })).toBe(1);
    const read = cacheWritten();
    expect(read).toBeGreaterThan(before);
    expect(await cliSpawn([], { models })).toBe(1);
    expect(cacheWritten()).toBe(read);
    expect(models).toEqual([vision, vision]);
    expect(model.requests.map((r) => r.model)).toContain("fake-vision");
  });

  it("stops the worker it started when the model cannot be resolved from its catalog", async () => {
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ share: "manual" }));
    const before = servers().length;
    // A bare id is looked up in the catalog (an explicit `provider/model` is not: see below).
    await expect(cliSpawn([], { model: "no-such-model" })).rejects.toMatchObject({
      code: expect.stringMatching(/^RESOLVER_/),
    });
    const started = servers().slice(before);
    expect(started).toHaveLength(1);
    // Killed at once; gone once the kernel has reaped it.
    await vi.waitFor(() => expect(alive(Number(started[0]?.split(" ")[0]))).toBe(false), {
      timeout: 10_000,
    });
  });

  it("starts a worker with an explicit provider/model without reading a catalog; OpenCode checks it at the first ask", async () => {
    // A config change: the cached catalog no longer applies.
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ share: "disabled", snapshot: false }));
    const before = cacheWritten();
    const progress: SpawnProgress[] = [];
    const models: string[] = [];
    expect(await cliSpawn(progress, { model: `${model.providerId}/fake-fast`, models })).toBe(1);
    expect(models).toEqual([`${model.providerId}/fake-fast`]);
    expect(progress.map((p) => p.message)).toContain(
      `model ${model.providerId}/fake-fast (explicit): used as given, not checked against a catalog (none is cached for this project yet); OpenCode checks it at the worker's first ask`,
    );
    // Neither read from the worker nor written.
    expect(cacheWritten()).toBe(before);
    // A misspelt explicit model: the worker starts; its first ask fails at once (not at the ask's
    // timeout, which would outlast this test's), naming the model and the close matches.
    expect(
      await cliSpawn([], {
        model: `${model.providerId}/fake-fsat`,
        // OpenCode says "Model not found" (a session error) or only "Unexpected server error" (the
        // prompt's answer): either way the ask looks the model up in the worker's catalog.
        askFails: {
          code: "WORKER_ASK_FAILED",
          message: expect.stringMatching(
            new RegExp(
              `^worker "coder(-\\d+)?" did not answer: its model ${model.providerId}/fake-fsat does not exist in its OpenCode: Provider "${model.providerId}" has no model "fake-fsat"\\.$`,
            ),
          ),
          hints: expect.arrayContaining([
            expect.stringMatching(new RegExp(`^did you mean: ${model.providerId}/fake-fast[,?]`)),
          ]),
        },
      }),
    ).toBe(1);
    expect(cacheWritten()).toBe(before);
  });
});
