// One start of each kind the spawn bench compares, each timed to "ready" and to "first answer".
import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { createOpencodeClient } from "@opencode-ai/sdk/v2";
import { spawnServerProcess, terminateGroup } from "@orchestra/process";
import { startProcessWorker, type WorkerSpec } from "../src/workers/spawn.js";
import type { Worker } from "../src/workers/worker.js";

/** Milliseconds from the start to ready (first 200 for a bare server) and to the first answer. */
export interface StartTimes {
  /**
   * Milliseconds to OpenCode's `listening on` line: its own boot, the same for every kind and the
   * noisiest part on a shared machine (0 for a start on an already running server).
   */
  listeningMs: number;
  readyMs: number;
  answerMs: number;
}

/** What every start in one bench run shares. */
export interface BenchSetup {
  binary: string;
  directory: string;
  /** HOME and XDG dirs (the host's scratch, where the plugin install is pre-seeded). */
  env: Record<string, string>;
  /** Provider config of the scripted model. */
  baseConfig: Record<string, unknown>;
  model: { providerID: string; modelID: string };
}

const OPENCODE_ENV = {
  OPENCODE_DISABLE_AUTOUPDATE: "1",
  OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
  OPENCODE_DISABLE_MODELS_FETCH: "1",
};

/** Ask `client` once in `sessionID`; throws when OpenCode reports an error. */
async function answer(client: OpencodeClient, sessionID: string, model: BenchSetup["model"]) {
  const result = await client.session.prompt({ sessionID, model, parts: [{ type: "text", text: "ping" }] });
  if (result.error) throw new Error(`prompt failed: ${JSON.stringify(result.error).slice(0, 300)}`);
}

/**
 * A bare `opencode serve` with the config every worker shares (no agent; no plugin unless
 * `plugin` is given): spawn → first 200 on `GET /session` (the instance is bootstrapped then, its
 * plugins loaded), then → the first answer in a new session.
 */
export async function bareStart(
  setup: BenchSetup,
  plugin?: { file: string; profile: string },
): Promise<StartTimes> {
  const config = { ...setup.baseConfig, plugin: plugin === undefined ? [] : [plugin.file] };
  // The Open Orchestra plugin in worker mode, as a worker loads it, minus the handshake.
  const workerMode = plugin && {
    ORCHESTRA_WORKER: "1",
    ORCHESTRA_WORKER_ID: "bare",
    ORCHESTRA_WORKER_PROFILE: plugin.profile,
  };
  const started = performance.now();
  const server = await spawnServerProcess({
    binary: setup.binary,
    cwd: setup.directory,
    env: {
      ...process.env,
      ...setup.env,
      ...OPENCODE_ENV,
      ...workerMode,
      OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
    },
    timeoutMs: 60_000,
  });
  const listeningMs = performance.now() - started;
  try {
    for (;;) {
      const res = await fetch(`${server.url}/session`, { signal: AbortSignal.timeout(3_000) }).catch(
        () => undefined,
      );
      if (res?.status === 200) break;
    }
    const readyMs = performance.now() - started;
    const client = createOpencodeClient({ baseUrl: server.url, directory: setup.directory });
    const session = await client.session.create({ title: "bare" });
    await answer(client, session.data?.id ?? "", setup.model);
    return { listeningMs, readyMs, answerMs: performance.now() - started };
  } finally {
    await terminateGroup(server.pid, 3_000);
  }
}

/** A process worker (with `plugins`, the enforcement handshake too): spawn → ready → first answer. */
export async function workerStart(
  setup: BenchSetup,
  spec: Pick<WorkerSpec, "profile" | "systemPrompt">,
  plugins: readonly string[],
  then?: (worker: Worker) => Promise<void>,
): Promise<StartTimes> {
  const started = performance.now();
  let listeningMs = 0;
  const { worker } = await startProcessWorker(
    { id: `bench-${spec.profile}`, kind: "process", model: setup.model, directory: setup.directory, ...spec },
    {
      binary: setup.binary,
      baseConfig: setup.baseConfig,
      env: setup.env,
      plugins,
      startupTimeoutMs: 60_000,
      onProgress: (p) => {
        if (p.stage === "listening") listeningMs = performance.now() - started;
      },
    },
  );
  try {
    const readyMs = performance.now() - started;
    await worker.ask("ping");
    const answerMs = performance.now() - started;
    await then?.(worker);
    return { listeningMs, readyMs, answerMs };
  } finally {
    await worker.stop(3_000);
  }
}

/**
 * What a profile-agnostic standby would still cost at acquire, measured on a worker server that is
 * already started and warm: the handshake's tool listing and a new session (→ ready), then the
 * first answer in that session. The proof check itself is an HMAC compare (microseconds).
 */
export async function standbyEstimate(worker: Worker, model: BenchSetup["model"]): Promise<StartTimes> {
  const client = worker.client;
  const started = performance.now();
  const [listed, session] = await Promise.all([
    client.tool.list({ provider: model.providerID, model: model.modelID }),
    client.session.create({ title: "standby" }),
  ]);
  if (!listed.data || !session.data) throw new Error("standby estimate: tool listing or session failed");
  const readyMs = performance.now() - started;
  await answer(client, session.data.id, model);
  return { listeningMs: 0, readyMs, answerMs: performance.now() - started };
}
