// A CLI-owned orchestra (no host server, as `orchestra workers spawn`) on a brand-new HOME with the
// npm registry unreachable, against real `opencode serve` and the scripted model. Every
// `opencode` the runtime starts goes through a wrapper that logs its arguments, so the test
// counts servers: the first CLI run reads the catalog once (one catalog server), later runs read
// it from the cache (no catalog server) until the OpenCode config changes.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${launches}'\nexec '${real}' "$@"\n`);
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
        .filter((l) => l.startsWith("serve"))
    : [];

/**
 * One `orchestra workers spawn` run: a new CLI-owned orchestra spawns a worker and stops it.
 * `coder`'s model is `auto`; the spawn names fake-fast unless `auto` is asked for.
 */
async function cliSpawn(progress: SpawnProgress[] = [], options: { auto?: boolean; models?: string[] } = {}) {
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
      ...(options.auto ? {} : { model: `${model.providerId}/fake-fast` }),
      onProgress: (p) => progress.push(p),
    });
    options.models?.push(worker.model);
    expect((await orchestra.ask(worker.id, "hello")).text).toBe("answer to: hello");
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
    // The first run reads the catalog from OpenCode (one catalog server), then starts the worker.
    expect(await cliSpawn(progress)).toBe(2);
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

  it("starts no catalog server on later spawns, until the OpenCode config changes", async () => {
    expect(await cliSpawn()).toBe(1);
    expect(await cliSpawn()).toBe(1);
    // Without `$schema`: OpenCode adds it on load, which must not count as a change.
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ share: "disabled" }));
    expect(await cliSpawn()).toBe(2);
    expect(await cliSpawn()).toBe(1);
  });

  it("makes `auto` the user's default model (the project's `model`), read and cached with the catalog", async () => {
    const vision = `${model.providerId}/fake-vision`;
    writeFileSync(join(project, "opencode.json"), JSON.stringify({ model: vision }));
    const models: string[] = [];
    // A config change: the catalog (and the default model) is read again, then from the cache.
    expect(await cliSpawn([], { auto: true, models })).toBe(2);
    expect(await cliSpawn([], { auto: true, models })).toBe(1);
    expect(models).toEqual([vision, vision]);
    expect(model.requests.map((r) => r.model)).toContain("fake-vision");
  });
});
