import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type OpencodeInstance,
  type Rule,
  reply,
  resolveOpencode,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "./test-support/local-registry.js";
import {
  packInstalled,
  packWorkspace,
  publishableDirs,
  repoRoot,
  type Tarball,
  tarballClosure,
  thirdPartyClosure,
} from "./test-support/release-tarballs.js";

// A new user, from the release tarballs to a working orchestra, on a fresh machine with no network:
// every @orchestra package is packed as a release packs it, installed with npm into an empty project
// (fresh HOME and XDG dirs, a fresh npm cache, no public registry: see local-registry.ts), then the
// INSTALLED `orchestra doctor` runs, a real OpenCode loads the INSTALLED plugin from the path the
// install guide documents, the scripted model (the user's provider) drives the plugin's tools to
// spawn, ask and stop a worker, and a broken config must be reported, not silently ignored.

const PLUGIN = "@orchestra/plugin";
/** OpenCode's plugin package at the pinned version, which OpenCode installs into every config dir unless it is there. */
const OPENCODE_PLUGIN = "@opencode-ai/plugin@1.18.33";
const CLI = "@orchestra/cli";
/** Packed and published, but a test harness: not part of a user's install. */
const NOT_INSTALLED = new Set(["@orchestra/testkit"]);

let scratch = "";
let project = "";
let home = "";
let registry: LocalRegistry;
let model: ScriptedModel;
let opencode: OpencodeInstance | undefined;
let ours = new Map<string, Tarball>();
let sessionID = "";
const toasts: { message: string; variant: string }[] = [];
const serverLines: string[] = [];
let events = new AbortController();
/** How many registry requests npm made before OpenCode started: OpenCode and its workers must add none. */
let requestsBeforeOpencode = 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The user's environment: their own HOME, XDG dirs and npm config, `opencode` on PATH, nothing of this repo. */
function userEnv(): NodeJS.ProcessEnv {
  return {
    HOME: home,
    PATH: [join(scratch, "bin"), dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    XDG_CONFIG_HOME: join(scratch, "xdg", "config"),
    XDG_DATA_HOME: join(scratch, "xdg", "data"),
    XDG_STATE_HOME: join(scratch, "xdg", "state"),
    XDG_CACHE_HOME: join(scratch, "xdg", "cache"),
    TMPDIR: join(scratch, "tmp"),
    LANG: "C.UTF-8",
    npm_config_registry: registry.url,
    npm_config_cache: join(scratch, "npm-cache"),
    npm_config_userconfig: join(home, ".npmrc"),
    npm_config_globalconfig: join(scratch, "global-npmrc"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_proxy: "",
    npm_config_https_proxy: "",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
  };
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

/** `npm install` of local tarball files in `dir` (as the install guide says), third-party packages from the local registry. */
function npmInstall(dir: string, files: readonly string[]): Promise<Run> {
  mkdirSync(dir, { recursive: true });
  return run("npm", ["install", "--no-audit", "--no-fund", ...files], dir);
}

interface DoctorReport {
  ok: boolean;
  checks: { id: string; status: string; message: string; hint?: string }[];
}

/** The installed `orchestra doctor --json`: its exit code, report and each check's status by id. */
async function doctor(): Promise<{ code: number; report: DoctorReport; status: Record<string, string> }> {
  const result = await run(join(project, "node_modules", ".bin", "orchestra"), ["doctor", "--json"], project);
  const report = JSON.parse(result.stdout) as DoctorReport;
  return {
    code: result.code,
    report,
    status: Object.fromEntries(report.checks.map((c) => [c.id, c.status])),
  };
}

/** The name in a package directory's package.json. */
function packageName(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
}

/** The package name inside one of our tarball files. */
function tarballName(file: string): string {
  return [...ours.values()].find((t) => t.file === file)?.manifest.name ?? file;
}

const callPattern = /^call (\w+)(?: (\{.*\}))?$/s;
/** A user message `call <tool> <json>` makes the scripted model call that tool (see apps/plugin's scripted-calls). */
const callRule: Rule = {
  userText: callPattern,
  reply: (req) => {
    const [, name = "", json] = callPattern.exec(req.lastUserText ?? "") ?? [];
    return reply.toolCall(name, json ? (JSON.parse(json) as Record<string, unknown>) : {});
  },
};

/** Prompt the user's session so the model calls `tool`; return the output the model got back. */
async function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  if (!opencode) throw new Error("OpenCode is not running");
  const before = model.requests.length;
  const result = await opencode.client.session.prompt({
    sessionID,
    parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
  });
  expect(result.error).toBeUndefined();
  const followUp = model.requests.slice(before).find((r) => r.lastToolResult?.name === tool);
  expect(followUp, `the model got no result of ${tool}`).toBeDefined();
  return followUp?.lastToolResult?.content ?? "";
}

/** Wait until `found` returns something; every 10 s, say on stderr what is awaited and what was seen. */
async function eventually<T>(
  what: string,
  found: () => T | undefined,
  seen: () => unknown = () => "",
): Promise<T> {
  for (let tick = 1; ; tick++) {
    const value = found();
    if (value !== undefined) return value;
    if (tick % 200 === 0)
      process.stderr.write(`still waiting for ${what}; so far: ${JSON.stringify(seen())}\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Follow the server's event stream (toasts) until `events` is aborted. */
async function followEvents(): Promise<void> {
  if (!opencode) return;
  events = new AbortController();
  let connected = false;
  const stream = await opencode.client.event.subscribe(undefined, { signal: events.signal });
  void (async () => {
    for await (const event of stream.stream as AsyncIterable<{ type: string; properties: unknown }>) {
      connected = true;
      if (event.type === "tui.toast.show")
        toasts.push(event.properties as { message: string; variant: string });
    }
  })().catch(() => undefined);
  await eventually("the event stream", () => (connected ? true : undefined));
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-new-user-"));
  home = join(scratch, "home");
  project = join(scratch, "project");
  for (const dir of [home, project, join(scratch, "bin"), join(scratch, "tmp")])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(scratch, "global-npmrc"), "");
  // The user's OpenCode: the version this repository pins, on PATH as `opencode`.
  symlinkSync(resolveOpencode({ resolveFrom: repoRoot }).binary, join(scratch, "bin", "opencode"));

  ours = packWorkspace(join(scratch, "release"));
  const installed = publishableDirs().filter((dir) => !NOT_INSTALLED.has(packageName(dir)));
  const cache = join(repoRoot, "node_modules", ".cache", "orchestra-new-user-tarballs");
  const thirdParty = packInstalled(thirdPartyClosure(installed), cache);
  registry = await startLocalRegistry(thirdParty);
  model = await startScriptedModel({
    script: rules([
      callRule,
      { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
      { userText: /.*/, reply: (req) => `answer to: ${req.lastUserText}` },
    ]),
  });
});

afterAll(async () => {
  events.abort();
  await opencode?.stop();
  await model?.close();
  await registry?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("a new user, offline, from the release tarballs to a working orchestra", () => {
  it("packs every publishable package with versions, not workspace: ranges", () => {
    const names = publishableDirs().map((dir) => packageName(dir));
    expect([...ours.keys()].sort()).toEqual(names.sort());
    expect(names).toEqual(expect.arrayContaining([PLUGIN, CLI]));
    for (const { manifest } of ours.values()) {
      const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(ranges.filter((r) => r.startsWith("workspace:") || r.startsWith("catalog:"))).toEqual([]);
    }
  });

  it("installs the plugin into .opencode from the tarballs, as the install guide says", async () => {
    // getting-started.md, "The plugin, offline": the tarballs and OpenCode's own plugin package.
    const result = await npmInstall(join(project, ".opencode"), [
      ...tarballClosure(ours, PLUGIN),
      OPENCODE_PLUGIN,
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(existsSync(join(project, ".opencode", "node_modules", PLUGIN, "dist", "index.js"))).toBe(true);
    // Every @orchestra package came from its tarball file (the local registry has none of them).
    const lock = JSON.parse(readFileSync(join(project, ".opencode", "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string }>;
    };
    const orchestra = Object.entries(lock.packages).filter(([path]) =>
      /^node_modules\/@orchestra\/[^/]+$/.test(path),
    );
    expect(orchestra.map(([path]) => path.replace(/.*node_modules\//, "")).sort()).toEqual(
      tarballClosure(ours, PLUGIN)
        .map((file) => tarballName(file))
        .sort(),
    );
    expect(orchestra.filter(([, entry]) => !entry.resolved?.startsWith("file:"))).toEqual([]);
  });

  it("installs the orchestra command, which prints its version", async () => {
    const result = await npmInstall(project, tarballClosure(ours, CLI));
    expect(result).toMatchObject({ code: 0 });
    const version = await run(join(project, "node_modules", ".bin", "orchestra"), ["--version"], project);
    expect(version).toEqual({ code: 0, stdout: `${ours.get(CLI)?.manifest.version}\n`, stderr: "" });
  });

  it("configures the project: the plugin from its installed path, the user's provider and model", () => {
    const pluginFile = join(project, ".opencode", "node_modules", PLUGIN, "dist", "index.js");
    writeJson(join(project, "opencode.json"), {
      $schema: "https://opencode.ai/config.json",
      plugin: [pathToFileURL(pluginFile).href],
      provider: model.providerConfig(),
      model: model.modelRef(),
      small_model: model.modelRef(),
      autoupdate: false,
      share: "disabled",
    });
    // getting-started.md, "Configure": `$schema` points into the installed @orchestra/config.
    const schemaRef = "./node_modules/@orchestra/config/schema.json";
    writeJson(join(project, ".opencode", "orchestrator.json"), {
      $schema: schemaRef,
      profiles: [{ id: "helper", extends: "coder", purpose: "answers questions for the new-user test" }],
    });
    expect(existsSync(pluginFile)).toBe(true);
    const schema = JSON.parse(readFileSync(join(project, ".opencode", schemaRef), "utf8")) as {
      $id?: string;
    };
    expect(schema.$id).toMatch(/orchestrator\.schema\.json$/);
  });

  it("orchestra doctor (the installed one) passes, and says how to spare OpenCode's install at start", async () => {
    const first = await doctor();
    expect(first.code).toBe(0);
    expect(first.report.ok).toBe(true);
    expect(first.status).toMatchObject({
      opencode: "pass",
      config: "pass",
      profiles: "pass",
      "plugin-deps": "warn",
    });
    // The project's .opencode is installed; the global config dir (a fresh HOME) is not.
    const deps = first.report.checks.find((c) => c.id === "plugin-deps");
    expect(deps?.message).toContain(`${join(project, ".opencode")}: installed`);
    expect(deps?.hint).toMatch(/^install it once while online: /);
    // The user follows the hint, from the same offline source as the rest.
    const command = deps?.hint?.replace(/^install it once while online: /, "") ?? "";
    expect(await run("sh", ["-c", command], project)).toMatchObject({ code: 0 });
    const second = await doctor();
    expect(second.status).toMatchObject({ "plugin-deps": "pass" });
    const text = await run(join(project, "node_modules", ".bin", "orchestra"), ["doctor"], project);
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/^✓ opencode +OpenCode 1\.18\.\d+ at /m);
    expect(text.stdout).toMatch(/^ok: 0 failed/m);
  });

  it("a real OpenCode loads the installed plugin and its tools", async () => {
    requestsBeforeOpencode = registry.requests.length;
    opencode = await startOpencode({
      directory: project,
      binary: join(scratch, "bin", "opencode"),
      seedPluginInstall: false,
      startupTimeoutMs: 120_000,
      args: ["--print-logs"],
      env: { ...userEnv(), OPENCODE_CONFIG_CONTENT: undefined },
      onOutput: (line) => serverLines.push(line),
    });
    await followEvents();
    const session = await opencode.client.session.create({ title: "new user" });
    sessionID = session.data?.id ?? "";
    const ids = (await opencode.client.tool.ids()).data ?? [];
    expect(ids).toEqual(
      expect.arrayContaining(["spawn_worker", "ask_worker", "stop_worker", "orchestrator_status"]),
    );
  });

  it("spawns a worker on the user's provider, asks it and stops it through the plugin's tools", async () => {
    const spawned = await callTool("spawn_worker", { profile: "helper" });
    expect(spawned).toMatch(/^Worker helper is ready: process worker, model scripted\/[\w-]+, pid \d+/);
    const pid = Number(/pid (\d+)/.exec(spawned)?.[1]);
    const answer = await callTool("ask_worker", { id: "helper", message: "what is two plus two?" });
    expect(answer).toBe("answer to: what is two plus two?");
    expect(await callTool("stop_worker", { id: "helper" })).toBe("Worker helper stopped.");
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await callTool("list_workers")).toContain("No workers are running");
    // Neither OpenCode nor the worker tried to install anything: nothing here needs a registry.
    expect(registry.requests.slice(requestsBeforeOpencode)).toEqual([]);
  });

  it("a broken config is reported: CONFIG_INVALID from the tools, an error toast and log line", async () => {
    writeJson(join(project, ".opencode", "orchestrator.json"), {
      profiles: [{ id: "helper", extends: "coder", temperature: 9 }],
    });
    if (!opencode) throw new Error("OpenCode is not running");
    // OpenCode reloads the project's config and plugins when its instance is disposed: the next
    // request loads them again (the tools stay, in degraded mode). Events are followed from then on,
    // as a TUI that reconnects would; the toast it must see comes when the user opens a session.
    events.abort();
    await opencode.client.instance.dispose();
    const ids = (await opencode.client.tool.ids()).data ?? [];
    expect(ids).toEqual(expect.arrayContaining(["spawn_worker", "orchestrator_status"]));
    await followEvents();
    const session = await opencode.client.session.create({ title: "after the edit" });
    sessionID = session.data?.id ?? "";
    const spawned = await callTool("spawn_worker", { profile: "helper" });
    expect(spawned).toContain("CONFIG_INVALID");
    expect(spawned).toContain("profiles[0].temperature");
    const toast = await eventually(
      "an error toast naming profiles[0].temperature",
      () => toasts.find((t) => t.message.includes("profiles[0].temperature")),
      () => toasts,
    );
    expect(toast.variant).toBe("error");
    expect(serverLines.some((line) => line.includes("level=ERROR") && line.includes("CONFIG_INVALID"))).toBe(
      true,
    );
  });
});
