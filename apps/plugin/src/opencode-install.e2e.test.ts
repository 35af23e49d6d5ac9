import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../../cli/src/test-support/local-registry.js";
import {
  packInstalled,
  packWorkspace,
  publishableDirs,
  repoRoot,
  type Tarball,
  thirdPartyClosure,
} from "../../cli/src/test-support/release-tarballs.js";
import { toolNames } from "../scripts/tool-reference.js";
import { callRule, callToolIn } from "./test-support/scripted-calls.js";

// The plugin as OpenCode installs it: `"plugin": ["@orchestra/plugin@<version>"]` in the config,
// and OpenCode itself installs it. OpenCode 1.18.33 (`Npm.add` in the binary) runs npm's installer,
// @npmcli/arborist, inside its Bun runtime: `reify({ add: [spec], save: true, saveType: "prod" })`
// with `savePrefix: ""` and `ignoreScripts: true`, into `$XDG_CACHE_HOME/opencode/packages/<spec>/`,
// with the npm config read from `.npmrc` files and `npm_config_*` variables (so the registry below
// is used), then imports the package's `exports["."].import`. Nothing here installs it for
// OpenCode: the tarballs are served by a 127.0.0.1 registry (every @orchestra tarball, packed as a
// release packs it, and the third-party packages from this repository's installed copies), and the
// real OpenCode does the rest. Then its tools, and a worker spawned, asked and stopped through them.

const PLUGIN = "@orchestra/plugin";
/** A test harness, not part of what the plugin pulls in. */
const NOT_SERVED = new Set(["@orchestra/testkit"]);

let scratch = "";
let registry: LocalRegistry;
let model: ScriptedModel;
let opencode: OpencodeInstance;
let ours = new Map<string, Tarball>();
let spec = "";
let sessionID = "";
const serverLines: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-opencode-install-"));
  ours = packWorkspace(join(scratch, "release"));
  const served = [...ours.values()].filter((t) => !NOT_SERVED.has(t.manifest.name));
  const dirs = publishableDirs().filter((dir) => !NOT_SERVED.has(nameOf(dir)));
  const cache = join(repoRoot, "node_modules", ".cache", "orchestra-new-user-tarballs");
  registry = await startLocalRegistry([...packInstalled(thirdPartyClosure(dirs), cache), ...served]);
  spec = `${PLUGIN}@${ours.get(PLUGIN)?.manifest.version}`;
  model = await startScriptedModel({
    script: rules([
      callRule,
      { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
      { userText: /.*/, reply: (req) => `answer to: ${req.lastUserText}` },
    ]),
  });
  opencode = await startOpencode({
    model,
    // OpenCode loads it by name: nothing is installed for it beforehand.
    config: { plugin: [spec], enabled_providers: ["scripted"] },
    startupTimeoutMs: 180_000,
    args: ["--print-logs"],
    onOutput: (line) => serverLines.push(line),
    env: {
      npm_config_registry: registry.url,
      npm_config_cache: join(scratch, "npm-cache"),
      npm_config_audit: "false",
      npm_config_fund: "false",
    },
  });
  const session = await opencode.client.session.create({ title: "installed by OpenCode" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  await registry?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The file name of our tarball of `name`. */
function fileName(name: string): string {
  return ours.get(name)?.file.split("/").at(-1) ?? name;
}

function nameOf(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
}

describe("the plugin installed by OpenCode from its npm spec", () => {
  it("OpenCode installed the packed plugin and its @orchestra dependencies into its plugin cache", async () => {
    // Tools are registered once the plugin is loaded, which waits for the install.
    const ids = (await opencode.client.tool.ids()).data ?? [];
    // OpenCode 1.18.33 skips an npm plugin without a server entry point (`main` or
    // `exports["./server"]`) silently: no tools, nothing logged. What it fetched and logged helps.
    const log = serverLines.filter((line) => !/service=bus|message=publishing/.test(line)).slice(-60);
    expect(ids, `registry: ${registry.requests.join(" ")}\nlog:\n${log.join("\n")}`).toContain(
      "spawn_worker",
    );
    const dir = join(opencode.scratch, "cache", "opencode", "packages", spec);
    expect(existsSync(join(dir, "node_modules", PLUGIN, "dist", "index.js"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({ [PLUGIN]: ours.get(PLUGIN)?.manifest.version });
    // Every @orchestra package came from the registry as its packed tarball, at the packed version.
    const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) =>
      /^node_modules\/@orchestra\/[^/]+$/.test(path),
    );
    expect(installed.length).toBeGreaterThan(1);
    for (const [path, entry] of installed) {
      const tarball = ours.get(path.replace("node_modules/", ""));
      expect(entry.version).toBe(tarball?.manifest.version);
    }
    expect(registry.requests).toEqual(expect.arrayContaining([`/${PLUGIN}`, `/-/${fileName(PLUGIN)}`]));
  });

  it("registers every tool the plugin defines", async () => {
    const ids = new Set((await opencode.client.tool.ids()).data ?? []);
    // ask_peer is a worker's tool: the plugin registers it in the workers it starts, not here.
    const orchestratorTools = toolNames().filter((name) => name !== "ask_peer");
    expect(orchestratorTools.length).toBeGreaterThan(30);
    expect(orchestratorTools.filter((name) => !ids.has(name))).toEqual([]);
  });

  it("spawns a worker, asks it and stops it through the plugin's tools", async () => {
    const target = () => ({ model, opencode, sessionID });
    const spawned = await callToolIn(target(), "spawn_worker", { profile: "coder" });
    expect(spawned).toMatch(/^Worker coder is ready: process worker, model scripted\/[\w-]+, pid \d+/);
    const pid = Number(/pid (\d+)/.exec(spawned)?.[1]);
    expect(await callToolIn(target(), "ask_worker", { id: "coder", message: "what is two plus two?" })).toBe(
      "answer to: what is two plus two?",
    );
    expect(await callToolIn(target(), "stop_worker", { id: "coder" })).toBe("Worker coder stopped.");
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
