import { randomBytes } from "node:crypto";
import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { toOpencodeRuleset } from "@orchestra/permissions";
import { ownerEnv, type ProcessIdentity, spawnServerProcess, terminateGroup } from "@orchestra/process";
import { RuntimeError } from "../runtime-error.js";
import {
  checkEnforcement,
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  newEnforcementKey,
  opencodeLogDir,
} from "./enforcement-handshake.js";
import { type ConfigDirSeed, seedOpencodeConfigDirs } from "./plugin-deps.js";
import { waitWithProgress } from "./progress-ticker.js";
import { type ModelRef, Worker, type WorkerKind } from "./worker.js";
import { WORKER_ENV_FLAG, workerClient } from "./worker-client.js";

/** The agent name a process worker's inline config defines. */
export const WORKER_AGENT = "orchestra-worker";

/** Progress of a spawn, streamed to the caller. */
export interface SpawnProgress {
  workerId: string;
  /**
   * `dependencies`: OpenCode's plugin-dependency install was pre-seeded (or could not be);
   * `waiting`: still waiting for the step in progress (at least every 5 s while anything waits).
   */
  stage:
    | "spawning"
    | "dependencies"
    | "listening"
    | "enforcement"
    | "session"
    | "prompt"
    | "ready"
    | "waiting";
  message: string;
  elapsedMs: number;
}

/** Everything needed to start one worker. */
export interface WorkerSpec {
  id: string;
  profile: string;
  kind: WorkerKind;
  model: ModelRef;
  /**
   * The profile's prompt. A process worker's agent carries it as its `prompt` (OpenCode's system
   * prompt of every ask, in place of OpenCode's default one), so starting the worker costs no model
   * round trip; a session worker gets it as a `noReply` prompt once its session exists.
   */
  systemPrompt?: string;
  /** The project directory the worker works in. */
  directory: string;
  /**
   * OpenCode `permission` config (second line of defence): a process worker's agent gets it, a
   * session worker's session gets it as a ruleset (`session.create({ permission })`).
   */
  permission?: Record<string, unknown>;
  /** OpenCode agent tool switches. */
  tools?: Record<string, boolean>;
  temperature?: number;
}

/**
 * A process worker's model chosen once the worker listens, from what the worker itself reports
 * (its catalog): the spawn then needs no other OpenCode to read the catalog from.
 */
type ModelFromWorker = (client: OpencodeClient) => Promise<ModelRef>;

/** A process worker's spec: its model known, or chosen from the worker's own catalog. */
export type ProcessWorkerSpec = Omit<WorkerSpec, "model"> & { model: ModelRef | ModelFromWorker };

/** Options of {@link startProcessWorker}. */
export interface ProcessWorkerOptions {
  /** The `opencode` binary. */
  binary: string;
  /** Config merged under the worker's own (e.g. the host's `provider` blocks). */
  baseConfig?: Record<string, unknown>;
  /**
   * Plugin modules the worker loads (the orchestrator plugin, which runs in worker mode there). When
   * any is given, the worker is `ready` only after its plugin has answered the enforcement handshake
   * (see `enforcement-handshake`); otherwise the spawn fails with `WORKER_ENFORCEMENT_UNVERIFIED`.
   */
  plugins?: readonly string[];
  /** Extra environment for the child (merged over `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  startupTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: SpawnProgress) => void;
  /** Called when the process exits on its own (not through `stop`). */
  onExit?: (reason: string) => void;
  /** Called with the pid as soon as the server process exists, before it is ready. */
  onSpawn?: (pid: number) => void;
  /**
   * The process that owns the worker (`currentProcessIdentity()` of the orchestrator). The worker's
   * plugin watches it and stops the worker once it is gone (see `ownerEnv`). Omit it for a worker
   * that must outlive its starter (CLI-owned workers).
   */
  owner?: ProcessIdentity;
  /**
   * The worker's server password (default: 24 random bytes). The lifecycle derives it from a
   * per-user secret so that a restarted orchestrator can reconnect (see `lifecycle/worker-secret`).
   */
  password?: string;
}

/** A session worker's profile prompt, as a `noReply` prompt in its session on the host. */
async function deliverSystemPrompt(client: OpencodeClient, sessionID: string, spec: WorkerSpec) {
  if (!spec.systemPrompt) return;
  const result = await client.session.prompt({
    sessionID,
    model: spec.model,
    noReply: true,
    parts: [{ type: "text", text: spec.systemPrompt }],
  });
  if (result.error) throw new Error(`system prompt rejected: ${JSON.stringify(result.error).slice(0, 300)}`);
}

/**
 * Start a process worker: a real `opencode serve` on 127.0.0.1, port 0, in its own process group,
 * protected by a random password, configured inline (model, agent prompt, permission and tools),
 * marked with {@link WORKER_ENV_FLAG} so it cannot spawn workers. Ready means: the `listening on`
 * line, then (with `plugins`) the plugin's proof that it enforces the profile, and a session. The
 * session is created while the proof is checked; a worker without the proof is killed before ready,
 * so nothing is ever asked in that session. The profile prompt is the agent's own `prompt`, not a
 * message, so no model request is on the way to ready.
 *
 * With a {@link ModelFromWorker}, the config names no model (the worker's default and small model
 * are the user's, as its `GET /config` reports them to the model choice); every ask names the
 * model chosen, while the session is created. A model that cannot be chosen stops the worker and
 * its error is thrown as is.
 *
 * @throws {RuntimeError} `WORKER_ENFORCEMENT_UNVERIFIED` when the worker's plugin does not prove that
 * it enforces the profile (it failed to load, or another plugin stands in its place); the worker is
 * killed first.
 */
export async function startProcessWorker(
  spec: ProcessWorkerSpec,
  options: ProcessWorkerOptions,
): Promise<{ worker: Worker; password: string }> {
  const started = performance.now();
  const progress = (stage: SpawnProgress["stage"], message: string) =>
    options.onProgress?.({ workerId: spec.id, stage, message, elapsedMs: performance.now() - started });
  const password = options.password ?? randomBytes(24).toString("base64url");
  const known = typeof spec.model === "function" ? undefined : spec.model;
  const knownRef = known && `${known.providerID}/${known.modelID}`;
  const plugins = [...(options.plugins ?? [])];
  const handshakeKey = plugins.length > 0 ? newEnforcementKey() : undefined;
  const config = {
    ...options.baseConfig,
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    snapshot: false,
    ...(knownRef === undefined ? {} : { model: knownRef, small_model: knownRef }),
    plugin: plugins,
    agent: {
      [WORKER_AGENT]: {
        mode: "primary",
        ...(knownRef === undefined ? {} : { model: knownRef }),
        description: `Open Orchestra worker "${spec.id}" (profile ${spec.profile})`,
        ...(spec.systemPrompt ? { prompt: spec.systemPrompt } : {}),
        ...(spec.permission ? { permission: spec.permission } : {}),
        // The handshake tool is for the orchestrator only: never offered to the worker's model.
        tools: { ...spec.tools, [ENFORCEMENT_TOOL]: false },
        ...(spec.temperature === undefined ? {} : { temperature: spec.temperature }),
      },
    },
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
    OPENCODE_SERVER_PASSWORD: password,
    OPENCODE_SERVER_USERNAME: "opencode",
    // Start-up work a worker does not need: update checks, LSP downloads, model list refresh.
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_TERMINAL_TITLE: "1",
    [WORKER_ENV_FLAG]: "1",
    ORCHESTRA_WORKER_ID: spec.id,
    ORCHESTRA_WORKER_PROFILE: spec.profile,
    ...(handshakeKey === undefined ? {} : { [ENFORCEMENT_KEY_ENV]: handshakeKey }),
    ...(options.owner === undefined ? {} : ownerEnv(options.owner)),
  };
  if (plugins.length > 0)
    progress("dependencies", seedPluginDeps(env, spec.directory, options.binary, plugins));
  progress(
    "spawning",
    `starting opencode serve for ${spec.id} (${knownRef ?? "its model chosen from its catalog"})`,
  );
  const server = await waitWithProgress(
    spawnServerProcess({
      binary: options.binary,
      cwd: spec.directory,
      env,
      timeoutMs: options.startupTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
    }),
    "opencode serve to start listening",
    (message) => progress("waiting", message),
  );
  progress("listening", `listening on ${server.url} (pid ${server.pid})`);
  let stopping = false;
  const stopProcess = async (graceMs: number) => {
    stopping = true;
    // Dispose the instance first so running bash-tool commands die with it (they are in their
    // own process groups and would otherwise survive as orphans), then stop the group.
    await client.instance
      .dispose({}, { signal: AbortSignal.timeout(Math.min(2_000, graceMs + 500)) })
      .catch(() => undefined);
    await terminateGroup(server.pid, graceMs);
  };
  const client = workerClient(server.url, password, spec.directory);
  let unresolved = false;
  try {
    const created = client.session.create(
      { title: `orchestra worker ${spec.id}` },
      { signal: options.signal ?? null },
    );
    // Settled below; this only keeps a failure from being unhandled while the handshake throws.
    created.catch(() => undefined);
    const chosen =
      known === undefined && typeof spec.model === "function"
        ? spec.model(client).catch((error: unknown) => {
            unresolved = true;
            throw error;
          })
        : Promise.resolve(known as ModelRef);
    chosen.catch(() => undefined);
    const model = await chosen;
    const modelRef = `${model.providerID}/${model.modelID}`;
    const resolved: WorkerSpec = { ...spec, model };
    if (handshakeKey !== undefined) {
      const problem = await waitWithProgress(
        checkEnforcement(client, resolved, handshakeKey, options.signal),
        "the worker's plugin to load (OpenCode first installs plugin dependencies that are missing)",
        (message) => progress("waiting", message),
      );
      if (problem !== undefined) throw enforcementUnverified(resolved, problem, plugins, env);
      progress("enforcement", `the worker's plugin enforces profile ${spec.profile}`);
    }
    const session = await waitWithProgress(created, "the worker's session", (message) =>
      progress("waiting", message),
    );
    if (!session.data)
      throw new Error(`session.create failed: ${JSON.stringify(session.error).slice(0, 300)}`);
    progress("session", `session ${session.data.id}`);
    const worker = new Worker({
      info: {
        id: spec.id,
        profile: spec.profile,
        kind: "process",
        status: "ready",
        model: modelRef,
        url: server.url,
        port: server.port,
        pid: server.pid,
        sessionId: session.data.id,
        startedAt: Date.now(),
      },
      client,
      model,
      agent: WORKER_AGENT,
      onStop: stopProcess,
    });
    void server.exited.then(({ code, signal }) => {
      if (stopping) return;
      const reason = `process exited (code ${code}, signal ${signal})`;
      worker.setStatus("dead", reason);
      options.onExit?.(reason);
    });
    progress("ready", `ready in ${Math.round(performance.now() - started)} ms`);
    return { worker, password };
  } catch (error) {
    await stopProcess(0);
    // A model that cannot be chosen fails the spawn as it does before a worker starts.
    if (unresolved) throw error;
    if (RuntimeError.isInstance(error) && error.code === "WORKER_ENFORCEMENT_UNVERIFIED") throw error;
    if (options.signal?.aborted)
      throw new RuntimeError("WORKER_SPAWN_CANCELLED", `spawn of ${spec.id} cancelled`, { cause: error });
    throw new RuntimeError(
      "WORKER_EXITED",
      `worker ${spec.id} started but could not be set up: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Pre-seed the plugin-dependency install in the worker's config dirs (see `plugin-deps`) and say
 * what was done, as one progress line. A dir that cannot be written is left to OpenCode's install.
 */
function seedPluginDeps(
  env: NodeJS.ProcessEnv,
  directory: string,
  binary: string,
  plugins: string[],
): string {
  let seeds: ConfigDirSeed[];
  try {
    seeds = seedOpencodeConfigDirs({ env, directory, binary, plugins });
  } catch (error) {
    return `could not pre-seed OpenCode's plugin dependencies (${(error as Error).message}); OpenCode installs them, which can take a minute`;
  }
  if (seeds.length === 0)
    return "no installed @opencode-ai/plugin to pre-seed OpenCode's plugin dependencies with; OpenCode installs them, which can take a minute";
  return `plugin dependencies: ${seeds.map((s) => `${s.dir} ${SEED_WORDS[s.result]}`).join(", ")}`;
}

/** A config dir's seed result in words: what OpenCode would otherwise install there at its start. */
const SEED_WORDS: Record<ConfigDirSeed["result"], string> = {
  seeded:
    "(@opencode-ai/plugin installed in advance, as OpenCode installs it in its config dirs at start; offline that install would fail and repeat)",
  "already-satisfied": "(@opencode-ai/plugin already installed)",
  "left-alone":
    "(its own package.json dependencies are not installed: left to OpenCode, which installs them)",
};

/** The error of a worker whose plugin did not prove that it enforces the profile. */
function enforcementUnverified(
  spec: WorkerSpec,
  problem: string,
  plugins: readonly string[],
  env: NodeJS.ProcessEnv,
): RuntimeError {
  return new RuntimeError(
    "WORKER_ENFORCEMENT_UNVERIFIED",
    `worker ${spec.id} was stopped before ready: its permissions would not be enforced, because ${problem}.`,
    {
      hints: [
        `check that the worker can load the plugin: ${plugins.join(", ")} (installed and built, with its dependencies installed beside it)`,
        `OpenCode's log is in ${opencodeLogDir(env)}; OpenCode 1.18 logs nothing when a plugin fails to import, so run \`opencode serve --print-logs\` in ${spec.directory} with that plugin configured to see the error`,
      ],
    },
  );
}

/**
 * Start a session worker: a session on the host OpenCode server. It costs milliseconds instead
 * of seconds and has no isolation; the host's plugin enforces its profile's permissions, and the
 * session carries the compiled OpenCode permission as its own ruleset.
 */
export async function startSessionWorker(
  spec: WorkerSpec,
  host: { client: OpencodeClient; url: string; parentSessionId?: string },
  options: { onProgress?: (progress: SpawnProgress) => void; signal?: AbortSignal } = {},
): Promise<Worker> {
  const started = performance.now();
  const session = await host.client.session.create(
    {
      title: `orchestra worker ${spec.id}`,
      ...(host.parentSessionId === undefined ? {} : { parentID: host.parentSessionId }),
      // Second line of defence: the session's rules come after the host agent's, so they win.
      ...(spec.permission ? { permission: toOpencodeRuleset(spec.permission) } : {}),
    },
    { signal: options.signal ?? null },
  );
  if (!session.data) {
    throw new RuntimeError(
      "WORKER_EXITED",
      `could not create a session for ${spec.id}: ${JSON.stringify(session.error)}`,
    );
  }
  options.onProgress?.({
    workerId: spec.id,
    stage: "session",
    message: `session ${session.data.id}`,
    elapsedMs: performance.now() - started,
  });
  if (spec.systemPrompt) {
    await deliverSystemPrompt(host.client, session.data.id, spec);
    options.onProgress?.({
      workerId: spec.id,
      stage: "prompt",
      message: "profile prompt delivered",
      elapsedMs: performance.now() - started,
    });
  }
  const sessionID = session.data.id;
  const worker = new Worker({
    info: {
      id: spec.id,
      profile: spec.profile,
      kind: "session",
      status: "ready",
      model: `${spec.model.providerID}/${spec.model.modelID}`,
      url: host.url,
      sessionId: sessionID,
      startedAt: Date.now(),
    },
    client: host.client,
    model: spec.model,
    onStop: async () => {
      await host.client.session.abort({ sessionID }).catch(() => undefined);
    },
  });
  options.onProgress?.({
    workerId: spec.id,
    stage: "ready",
    message: `ready in ${Math.round(performance.now() - started)} ms`,
    elapsedMs: performance.now() - started,
  });
  return worker;
}
