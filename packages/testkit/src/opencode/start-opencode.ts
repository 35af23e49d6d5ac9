import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2";
import {
  onProcessExit,
  type ProcessGroup,
  seedPluginInstall,
  spawnProcessGroup,
  waitForListening,
} from "@orchestra/process";
import type { ScriptedModel } from "../scripted-model/scripted-model.js";
import { buildOpencodeConfig, type OpencodeConfig } from "./opencode-config.js";
import { resolveOpencode, resolvePackageDir } from "./resolve-binary.js";

/** Options of {@link startOpencode}. */
export interface StartOpencodeOptions {
  /** Wire OpenCode to this scripted model: its `provider` block, `model` and `small_model`. */
  model?: ScriptedModel;
  /** Which declared model is `model` (default: the scripted model's first model). */
  modelId?: string;
  /** Which declared model is `small_model`, used for titles (default: `modelId`). */
  smallModelId?: string;
  /** Extra OpenCode config, merged over the harness defaults (see `buildOpencodeConfig`). */
  config?: OpencodeConfig;
  /** Plugin files (paths or `file://` URLs) to load. */
  plugins?: readonly string[];
  /** Project directory (cwd of the server). Default: a fresh `project/` in the scratch dir. */
  directory?: string;
  /**
   * OpenCode executable. Default: `$ORCHESTRA_OPENCODE_BIN` when set (CI runs some e2e files against
   * another OpenCode version this way), else `opencode-ai/bin/opencode.exe` resolved from `resolveFrom`.
   */
  binary?: string;
  /** Where to resolve `opencode-ai` and `@opencode-ai/plugin` from (default `process.cwd()`). */
  resolveFrom?: string;
  /** Binary version, when `binary` is given and `--version` should not be run. */
  version?: string;
  /** Extra environment variables (applied last; `undefined` removes a variable). */
  env?: Record<string, string | undefined>;
  /** Turn on HTTP basic auth (user `opencode`): a password, or `true` for a random one. */
  password?: string | boolean;
  /** Fail if the `listening on` line has not appeared after this long (default 30000 ms). */
  startupTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace period in `stop()` (default 3000 ms). */
  stopGraceMs?: number;
  /** Timeout of the `instance.dispose()` call in `stop()` (default 1000 ms). */
  disposeTimeoutMs?: number;
  /** Pre-seed the plugin-dependency install in the config dirs (default true). */
  seedPluginInstall?: boolean;
  /** Keep the scratch dir after `stop()` for debugging (default false). */
  keepScratch?: boolean;
  /** Extra arguments after `serve --port 0 --hostname 127.0.0.1`. */
  args?: readonly string[];
  /** Called with every stdout/stderr line of the server. */
  onOutput?: (line: string, stream: "stdout" | "stderr") => void;
}

/** A running, isolated `opencode serve`. */
export interface OpencodeInstance {
  /** Base URL, read from the `opencode server listening on …` line. */
  readonly url: string;
  /** Server pid (also its process-group id). */
  readonly pid: number;
  /** SDK v2 client bound to `url` and `directory` (with the auth header when a password is set). */
  readonly client: OpencodeClient;
  /** The project directory (server cwd). */
  readonly directory: string;
  /** The server's HOME. */
  readonly home: string;
  /** The scratch dir holding HOME, the XDG dirs and (by default) the project. */
  readonly scratch: string;
  /** The global config dir (`$XDG_CONFIG_HOME/opencode`). */
  readonly configDir: string;
  /** OpenCode version. */
  readonly version: string;
  /** The config passed through `OPENCODE_CONFIG_CONTENT`. */
  readonly config: OpencodeConfig;
  /** The basic-auth password, when one is set. */
  readonly password: string | undefined;
  /** Headers for raw HTTP calls to the server (`authorization` when a password is set). */
  readonly headers: Readonly<Record<string, string>>;
  /** The underlying process group (signals, exit status). */
  readonly process: ProcessGroup;
  /** The last lines the server printed (stdout and stderr). */
  output(): string;
  /** dispose → SIGTERM (group) → SIGKILL after the grace period; removes the scratch dir. Idempotent. */
  stop(): Promise<void>;
}

const TAIL_LINES = 200;

/** Environment variables that would leak the caller's own OpenCode setup into the test server. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("OPENCODE")) continue;
    if (key.startsWith("XDG_")) continue;
    env[key] = value;
  }
  return env;
}

function latestLogTail(dataHome: string, lines = 30): string {
  const dir = join(dataHome, "opencode", "log");
  try {
    const files = readdirSync(dir)
      .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    const newest = files[0];
    if (!newest) return "";
    return readFileSync(join(dir, newest.name), "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * Start a real `opencode serve` in isolation: its own HOME and XDG dirs in a scratch dir,
 * `OPENCODE_DISABLE_MODELS_FETCH=1`, config inline through `OPENCODE_CONFIG_CONTENT`, the plugin
 * dependency install pre-seeded, bound to 127.0.0.1 on a free port. Resolves once the server
 * printed its `listening on` line.
 *
 * Start one per test file and stop it in `afterAll`; each server costs about 340 MB and 3 s.
 *
 * @example
 * ```ts
 * let model: ScriptedModel;
 * let opencode: OpencodeInstance;
 * beforeAll(async () => {
 *   model = await startScriptedModel({ script: rules([{ userText: "hi", reply: "Hello" }]) });
 *   opencode = await startOpencode({ model, plugins: ["./my-plugin.js"] });
 * });
 * afterAll(async () => {
 *   await opencode?.stop();
 *   await model?.close();
 * });
 * ```
 */
export async function startOpencode(options: StartOpencodeOptions = {}): Promise<OpencodeInstance> {
  const resolved = resolveOpencode({
    env: process.env,
    ...(options.binary === undefined ? {} : { binary: options.binary }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.resolveFrom === undefined ? {} : { resolveFrom: options.resolveFrom }),
  });
  const scratch = mkdtempSync(join(tmpdir(), "orchestra-opencode-"));
  const home = join(scratch, "home");
  const xdg = {
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_STATE_HOME: join(scratch, "state"),
    XDG_CACHE_HOME: join(scratch, "cache"),
  };
  const directory = options.directory ? resolve(options.directory) : join(scratch, "project");
  const configDir = join(xdg.XDG_CONFIG_HOME, "opencode");
  for (const dir of [home, ...Object.values(xdg), directory, configDir]) mkdirSync(dir, { recursive: true });

  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  // A server that is never stopped still gets its scratch dir removed when this process ends.
  const unregister = options.keepScratch ? () => undefined : onProcessExit(removeScratch);
  const cleanup = () => {
    unregister();
    if (!options.keepScratch) removeScratch();
  };

  let group: ProcessGroup | undefined;
  try {
    if (options.seedPluginInstall !== false) {
      const pluginDir = resolvePackageDir("@opencode-ai/plugin", options.resolveFrom);
      const seedOptions = pluginDir ? { linkPluginPackage: pluginDir } : {};
      seedPluginInstall(configDir, resolved.version, seedOptions);
      seedPluginInstall(join(directory, ".opencode"), resolved.version, seedOptions);
    }

    const modelId = options.modelId ?? options.model?.models[0]?.id;
    const config = buildOpencodeConfig({
      ...(options.model ? { provider: options.model.providerConfig() } : {}),
      ...(options.model && modelId ? { model: options.model.modelRef(modelId) } : {}),
      ...(options.model && options.smallModelId
        ? { smallModel: options.model.modelRef(options.smallModelId) }
        : {}),
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(options.config ? { config: options.config } : {}),
    });

    const password =
      options.password === true
        ? randomBytes(18).toString("base64url")
        : typeof options.password === "string"
          ? options.password
          : undefined;
    const headers: Record<string, string> = password
      ? { authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}` }
      : {};

    const env: NodeJS.ProcessEnv = {
      ...inheritedEnv(),
      HOME: home,
      ...xdg,
      OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      ...(password ? { OPENCODE_SERVER_PASSWORD: password } : {}),
    };
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }

    const tail: string[] = [];
    const remember = (line: string, stream: "stdout" | "stderr") => {
      tail.push(stream === "stderr" ? `[stderr] ${line}` : line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onOutput?.(line, stream);
    };
    const output = () => tail.join("\n");

    group = spawnProcessGroup(
      resolved.binary,
      ["serve", "--port", "0", "--hostname", "127.0.0.1", ...(options.args ?? [])],
      { cwd: directory, env, killOnExit: true },
    );
    const started = group;
    const stdout = started.child.stdout ? createInterface({ input: started.child.stdout }) : undefined;
    const stderr = started.child.stderr ? createInterface({ input: started.child.stderr }) : undefined;
    stderr?.on("line", (line) => remember(line, "stderr"));
    stdout?.on("line", (line) => remember(line, "stdout"));
    const { url } = await waitForListening(started, {
      timeoutMs: options.startupTimeoutMs ?? 30_000,
      label: `opencode serve (${resolved.binary}, v${resolved.version})`,
      context: () => {
        const log = latestLogTail(xdg.XDG_DATA_HOME);
        return log ? `Log tail:\n${log}` : "";
      },
    });

    const client = createOpencodeClient({ baseUrl: url, directory, headers });
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        const disposeTimeoutMs = options.disposeTimeoutMs ?? 1000;
        await started.terminate({
          graceMs: options.stopGraceMs ?? 3000,
          dispose: () =>
            client.instance.dispose({ directory }, { signal: AbortSignal.timeout(disposeTimeoutMs) }),
          disposeTimeoutMs,
        });
        stdout?.close();
        stderr?.close();
        cleanup();
      })();
      return stopping;
    };

    return {
      url,
      pid: started.pid,
      client,
      directory,
      home,
      scratch,
      configDir,
      version: resolved.version,
      config,
      password,
      headers,
      process: started,
      output,
      stop,
    };
  } catch (error) {
    await group?.terminate({ graceMs: 500 });
    cleanup();
    throw error;
  }
}
