import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { loadConfig } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import { PROJECT_DIR_ENV, WORKER_ENV_FLAG, workerClient } from "@orchestra/runtime/worker";
import { denyLogger, portOf, workerEnforcement } from "./enforcement.js";
import { enforcementHandshake } from "./enforcement-handshake.js";
import type { SessionMessage } from "./memory.js";
import { startOwnerWatchdog } from "./owner-watchdog.js";
import { registryPorts, workerRegistryFile } from "./registry-ports.js";
import { workerShellEnv } from "./shell-env.js";
import { askPeerTools, workerPeerBridge } from "./tools/ask-peer.js";
import { NO_ENFORCEMENT, warnUnsafe } from "./unsafe-switch.js";
import { enforcementHook } from "./unsafe-test-mode.js";
import { pruningTransform } from "./v02/pruning.js";
import { workerWebfetchTools } from "./webfetch-tool.js";

// Worker mode loads only this module's imports: every process worker loads the plugin at its start,
// so nothing of the orchestrator (its runtime, tools, memory store) is imported here. Memory is
// loaded when the config turns it on.

/** True inside a process worker: such a process never spawns workers itself. */
export function isWorkerProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[WORKER_ENV_FLAG] === "1";
}

/**
 * Hooks of a process worker: nothing that spawns; every call is held to the worker's profile. Its
 * tools: the enforcement handshake's (never offered to the model), `webfetch`, and `ask_peer` when
 * the profile enables it.
 */
export async function workerHooks(input: PluginInput): Promise<Hooks> {
  startOwnerWatchdog(input); // fault 3c: stop when the orchestrator that started us is gone
  // ask_peer: the orchestrator's bridge and this worker's own token, out of the environment at once.
  const peerBridge = workerPeerBridge(process.env);
  // A worktree worker reads the project's config, not HEAD's copy in its worktree: the profile it
  // enforces is the one the orchestrator resolved. Its directory stays the worktree (the project root).
  const configDir = process.env[PROJECT_DIR_ENV] || input.directory;
  // Read once: the profile enforced, memory and pruning all come from the same read of the files.
  const loaded = await loadConfig({ projectDir: configDir }).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  const profiles =
    loaded instanceof Error
      ? loaded
      : await loadProfileRegistry({
          projectDir: configDir,
          config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
          workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
        }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const reserved = [
    portOf(input.serverUrl),
    Number(process.env.ORCHESTRA_HOST_PORT),
    portOf(peerBridge?.url),
  ];
  // Every sibling's port too, read again from the device registry when it changes (bypass 10).
  const siblings = registryPorts(workerRegistryFile(process.env));
  const enforcement = workerEnforcement(profiles, process.env, {
    directory: input.directory,
    reservedPorts: () => [
      ...reserved.filter((p): p is number => Number.isInteger(p) && (p ?? 0) > 0),
      ...siblings(),
    ],
    log: denyLogger(input.client),
  });
  // Proves to the orchestrator, before `ready`, that this hook set (with its tool.execute.before) is live.
  const handshake = enforcementHandshake(process.env, enforcement);
  // Redirects of `webfetch` are checked hop by hop (OpenCode's built-in follows them unchecked).
  handshake.tool = { ...handshake.tool, ...workerWebfetchTools(enforcement, denyLogger(input.client)) };
  // ask_peer, when the profile enables it: through the orchestrator, never to the peer directly.
  handshake.tool = { ...handshake.tool, ...askPeerTools(enforcement.policy, peerBridge) };
  if (NO_ENFORCEMENT) warnUnsafe(input, `worker ${process.env.ORCHESTRA_WORKER_ID ?? "(unknown)"}`);
  const before = enforcementHook(enforcement["tool.execute.before"], NO_ENFORCEMENT);
  // Memory in a process worker: the same store (the embedded file is shared across processes),
  // injected into the worker's sessions and recording its turns under its worker id.
  const config = loaded instanceof Error ? undefined : loaded.config;
  const memoryConfig = config?.memory;
  // pruning: the worker reads the orchestrator's config files, so its model requests are cut alike.
  const prune = { "experimental.chat.messages.transform": config && pruningTransform(config.pruning) };
  const shellEnv = workerShellEnv(); // the shell never sees this server's password
  if (!memoryConfig?.enabled)
    return { ...handshake, ...prune, "tool.execute.before": before, "shell.env": shellEnv };
  // Everything this process records is the worker's (untrusted, its profile's levels).
  const { identityFromPolicy, MemoryAccess, memoryHooks, memoryProject } = await import("./memory.js");
  const memory = new MemoryAccess(memoryConfig, memoryProject(input), () =>
    identityFromPolicy(enforcement.policy),
  );
  const client = workerClient(
    input.serverUrl.toString().replace(/\/$/, ""),
    process.env.OPENCODE_SERVER_PASSWORD,
    input.directory,
  );
  const remember = memoryHooks(memory, {
    messages: async (sessionID) =>
      ((await client.session.messages({ sessionID })).data ?? []) as unknown as SessionMessage[],
    log: (line) =>
      void input.client.app
        .log({ body: { service: "open-orchestra", level: "info", message: line } })
        .catch(() => undefined),
  });
  return {
    ...handshake,
    ...prune,
    "tool.execute.before": before,
    "shell.env": shellEnv,
    ...remember,
    dispose: () => memory.close(),
  };
}
