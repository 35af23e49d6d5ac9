import { randomBytes } from "node:crypto";
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2";
import { spawnServerProcess, terminateGroup } from "../process/server-process.js";
import { RuntimeError } from "../runtime-error.js";
import { type ModelRef, Worker, type WorkerKind } from "./worker.js";

/** The agent name a process worker's inline config defines. */
export const WORKER_AGENT = "orchestra-worker";

/** Environment variable that marks a process as an Open Orchestra worker (it never spawns workers). */
export const WORKER_ENV_FLAG = "ORCHESTRA_WORKER";

/** Progress of a spawn, streamed to the caller. */
export interface SpawnProgress {
  workerId: string;
  stage: "spawning" | "listening" | "session" | "prompt" | "ready";
  message: string;
  elapsedMs: number;
}

/** Everything needed to start one worker. */
export interface WorkerSpec {
  id: string;
  profile: string;
  kind: WorkerKind;
  model: ModelRef;
  /** Sent as a `noReply` prompt once the session exists. */
  systemPrompt?: string;
  /** The project directory the worker works in. */
  directory: string;
  /** OpenCode agent `permission` config (second line of defence). */
  permission?: Record<string, unknown>;
  /** OpenCode agent tool switches. */
  tools?: Record<string, boolean>;
  temperature?: number;
}

/** Options of {@link startProcessWorker}. */
export interface ProcessWorkerOptions {
  /** The `opencode` binary. */
  binary: string;
  /** Config merged under the worker's own (e.g. the host's `provider` blocks). */
  baseConfig?: Record<string, unknown>;
  /** Plugin modules the worker loads (the orchestrator plugin, which runs in worker mode there). */
  plugins?: readonly string[];
  /** Extra environment for the child (merged over `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  startupTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: SpawnProgress) => void;
  /** Called when the process exits on its own (not through `stop`). */
  onExit?: (reason: string) => void;
  /**
   * The worker's server password (default: 24 random bytes). The lifecycle derives it from a
   * per-user secret so that a restarted orchestrator can reconnect (see `lifecycle/worker-secret`).
   */
  password?: string;
}

function basicAuth(password: string): string {
  return `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`;
}

/** A client for a worker server protected by `password`. */
export function workerClient(url: string, password: string | undefined, directory: string): OpencodeClient {
  return createOpencodeClient({
    baseUrl: url,
    directory,
    ...(password === undefined ? {} : { headers: { Authorization: basicAuth(password) } }),
  });
}

async function deliverSystemPrompt(
  client: OpencodeClient,
  sessionID: string,
  spec: WorkerSpec,
  agent?: string,
) {
  if (!spec.systemPrompt) return;
  const result = await client.session.prompt({
    sessionID,
    model: spec.model,
    ...(agent === undefined ? {} : { agent }),
    noReply: true,
    parts: [{ type: "text", text: spec.systemPrompt }],
  });
  if (result.error) throw new Error(`system prompt rejected: ${JSON.stringify(result.error).slice(0, 300)}`);
}

/**
 * Start a process worker: a real `opencode serve` on 127.0.0.1, port 0, in its own process group,
 * protected by a random password, configured inline (model, agent permission and tools), marked
 * with {@link WORKER_ENV_FLAG} so it cannot spawn workers. Ready means: the `listening on` line,
 * then a session, then the profile prompt delivered as a `noReply` prompt.
 */
export async function startProcessWorker(
  spec: WorkerSpec,
  options: ProcessWorkerOptions,
): Promise<{ worker: Worker; password: string }> {
  const started = performance.now();
  const progress = (stage: SpawnProgress["stage"], message: string) =>
    options.onProgress?.({ workerId: spec.id, stage, message, elapsedMs: performance.now() - started });
  const password = options.password ?? randomBytes(24).toString("base64url");
  const modelRef = `${spec.model.providerID}/${spec.model.modelID}`;
  const config = {
    ...options.baseConfig,
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    snapshot: false,
    model: modelRef,
    small_model: modelRef,
    plugin: [...(options.plugins ?? [])],
    agent: {
      [WORKER_AGENT]: {
        mode: "primary",
        model: modelRef,
        description: `Open Orchestra worker "${spec.id}" (profile ${spec.profile})`,
        ...(spec.permission ? { permission: spec.permission } : {}),
        ...(spec.tools ? { tools: spec.tools } : {}),
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
  };
  progress("spawning", `starting opencode serve for ${spec.id} (${modelRef})`);
  const server = await spawnServerProcess({
    binary: options.binary,
    cwd: spec.directory,
    env,
    timeoutMs: options.startupTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
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
  try {
    const session = await client.session.create(
      { title: `orchestra worker ${spec.id}` },
      { signal: options.signal ?? null },
    );
    if (!session.data)
      throw new Error(`session.create failed: ${JSON.stringify(session.error).slice(0, 300)}`);
    progress("session", `session ${session.data.id}`);
    await deliverSystemPrompt(client, session.data.id, spec, WORKER_AGENT);
    progress("prompt", "profile prompt delivered");
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
      model: spec.model,
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
    if (options.signal?.aborted)
      throw new RuntimeError("CANCELLED", `spawn of ${spec.id} cancelled`, { cause: error });
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
 * Start a session worker: a session on the host OpenCode server. It costs milliseconds instead
 * of seconds and has no isolation; the host's plugin enforces its profile's permissions.
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
  await deliverSystemPrompt(host.client, session.data.id, spec);
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
