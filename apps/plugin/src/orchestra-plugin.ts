import { homedir } from "node:os";
import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { loadConfig } from "@orchestra/config";
import { fromEffective, toOpencodePermission } from "@orchestra/permissions";
import { loadProfileRegistry } from "@orchestra/profiles";
import { createOrchestra, formatRecoveryReport, WORKER_ENV_FLAG, workerClient } from "@orchestra/runtime";
import { denyLogger, hostEnforcement, portOf, workerEnforcement } from "./enforcement.js";
import { enforcementHandshake } from "./enforcement-handshake.js";
import { watchHostServer } from "./host-server.js";
import {
  identityFromPolicy,
  MemoryAccess,
  memoryHooks,
  memoryProject,
  type SessionMessage,
} from "./memory.js";
import { reportModelFallbacks } from "./model-fallback.js";
import { startOwnerWatchdog } from "./owner-watchdog.js";
import { PassthroughRoutes, passthroughRouting } from "./passthrough.js";
import { REGISTRY_FILE_ENV, registryPorts, workerRegistryFile } from "./registry-ports.js";
import { hostShellEnv, workerShellEnv } from "./shell-env.js";
import { allTools } from "./tools/index.js";
import { modelConfigIssues } from "./tools/models.js";
import {
  enforcementHook,
  takeUnsafeNoEnforcement,
  unsafeNoEnforcementWarning,
  unsafeWorkerEnv,
} from "./unsafe-test-mode.js";
import { activitySinks, LoggedActivity } from "./v02/activity-log.js";
import { autoSpawn } from "./v02/auto-spawn.js";
import { configHook } from "./v02/config-hook.js";
import { withDefaultFormat } from "./v02/default-format.js";
import { idleNotifier } from "./v02/idle-notify.js";
import { configProblemToast, fallbackToasts } from "./v02/problem-toasts.js";
import { pruningTransform } from "./v02/pruning.js";
import { composeSystemTransforms, workersContextHook } from "./v02/system-context.js";
import { tuiToaster, workerToasts } from "./v02/toasts.js";
import { visionRouting } from "./vision.js";
import { webfetchTool, workerWebfetchTools } from "./webfetch-tool.js";

/** The URL of this module, loaded by process workers (where the plugin runs in worker mode). */
const SELF = import.meta.url;

/** The unsafe test-only switch (`unsafe-test-mode.ts`): read once, when this module loads. */
const NO_ENFORCEMENT = takeUnsafeNoEnforcement(process.env);

function warnUnsafe(input: PluginInput, where: string, also?: (line: string) => void): void {
  const line = unsafeNoEnforcementWarning(where);
  console.warn(line);
  also?.(line);
  void input.client.app
    .log({ body: { service: "open-orchestra", level: "warn", message: line } })
    .catch(() => undefined);
}

/** True inside a process worker: such a process never spawns workers itself. */
export function isWorkerProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[WORKER_ENV_FLAG] === "1";
}

/**
 * Hooks of a process worker: nothing that spawns; every call is held to the worker's profile. Its
 * only tool answers the orchestrator's enforcement handshake and is never offered to the model.
 */
export async function workerHooks(input: PluginInput): Promise<Hooks> {
  startOwnerWatchdog(input); // fault 3c: stop when the orchestrator that started us is gone
  const profiles = await loadConfig({ projectDir: input.directory })
    .then((loaded) =>
      loadProfileRegistry({
        projectDir: input.directory,
        config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
        workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
      }),
    )
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const reserved = [portOf(input.serverUrl), Number(process.env.ORCHESTRA_HOST_PORT)];
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
  if (NO_ENFORCEMENT) warnUnsafe(input, `worker ${process.env.ORCHESTRA_WORKER_ID ?? "(unknown)"}`);
  const before = enforcementHook(enforcement["tool.execute.before"], NO_ENFORCEMENT);
  // Memory in a process worker: the same store (the embedded file is shared across processes),
  // injected into the worker's sessions and recording its turns under its worker id.
  const config = await loadConfig({ projectDir: input.directory }).then(
    (loaded) => loaded.config,
    () => undefined,
  );
  const memoryConfig = config?.memory;
  // pruning: the worker reads the orchestrator's config files, so its model requests are cut alike.
  const prune = { "experimental.chat.messages.transform": config && pruningTransform(config.pruning) };
  const shellEnv = workerShellEnv(); // the shell never sees this server's password
  if (!memoryConfig?.enabled)
    return { ...handshake, ...prune, "tool.execute.before": before, "shell.env": shellEnv };
  // Everything this process records is the worker's (untrusted, its profile's levels).
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

/** Build the orchestrator and every hook and tool of the plugin for one OpenCode instance. */
export async function orchestratorHooks(input: PluginInput): Promise<Hooks> {
  const loaded = await loadConfig({ projectDir: input.directory });
  const profiles = await loadProfileRegistry({
    projectDir: input.directory,
    config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
    workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
  });
  const url = input.serverUrl.toString().replace(/\/$/, "");
  const host = { client: workerClient(url, process.env.OPENCODE_SERVER_PASSWORD, input.directory), url };
  // ui.debug / ui.logToConsole copy each activity line to OpenCode's debug log / stderr.
  const activity = new LoggedActivity(activitySinks(loaded.config.ui, input.client));
  // Warns (log, TUI, orchestrator_output) when the host server has no password; orchestrator_status shows it.
  const hostServer = watchHostServer(url, input.directory, { client: input.client, activity });
  // Read at each spawn; the registry file is filled in once the orchestra has opened it.
  const workerEnv: Record<string, string | undefined> = {
    ORCHESTRA_HOST_PORT: String(portOf(url) ?? ""),
    ...unsafeWorkerEnv(NO_ENFORCEMENT),
  };
  // One orchestra: workers, registry, health, warm pools, recovery (in the background) and shutdown.
  const orchestra = await createOrchestra({
    config: loaded.config,
    directory: input.directory,
    profiles,
    host,
    binary: process.env.ORCHESTRA_OPENCODE_BIN ?? process.execPath,
    workerPlugins: [SELF],
    workerEnv,
    // Second line of defence: each process worker's agent and each session worker's session get the
    // compiled permission, written for the paths OpenCode matches (relative to its worktree).
    opencodePermission: (profile) =>
      toOpencodePermission(fromEffective(profile.permissions), {
        cwd: input.directory,
        worktree: input.worktree,
        home: homedir(),
      }),
    handleSignals: process.env.ORCHESTRA_SIGNAL_HANDLERS !== "0",
  });
  workerEnv[REGISTRY_FILE_ENV] = orchestra.registryFile;
  // The host's port, this orchestra's workers, and every other worker on the device (the registry).
  const deviceWorkerPorts = registryPorts(orchestra.registryFile);
  const reservedPorts = () => [
    ...[portOf(url)].filter((p) => p !== undefined),
    ...orchestra.workers().flatMap((w) => (w.port === undefined ? [] : [w.port])),
    ...deviceWorkerPorts(),
  ];
  const denyLog = denyLogger(input.client, (line) => activity.log("deny", line));
  const enforcement = hostEnforcement(orchestra, {
    directory: input.directory,
    reservedPorts,
    log: denyLog,
  });
  if (NO_ENFORCEMENT) warnUnsafe(input, "the orchestrator", (line) => activity.log("info", line));
  orchestra.on("worker:dead", (info, reason) => activity.log("dead", `${info.id}: ${reason}`));
  orchestra.on("warm:degraded", (profile, cause) =>
    activity.log("info", `warm pool ${profile} degraded: ${(cause as Error)?.message ?? String(cause)}`),
  );
  void orchestra.recovery.then(
    (report) =>
      report && activity.log("info", `recovery: ${formatRecoveryReport(report).replaceAll("\n", "; ")}`),
    (error: unknown) => activity.log("info", `recovery failed: ${(error as Error).message}`),
  );

  const toast = tuiToaster(input.client);
  workerToasts(orchestra, loaded.config.ui.toasts, toast); // ui.toasts: spawned, died, recovered, …
  fallbackToasts(orchestra, loaded.config.ui.toasts, toast);
  // A worker's ask moved to its profile's next model: the activity log, and a toast with ui.toasts.
  reportModelFallbacks(orchestra, { activity, toasts: loaded.config.ui.toasts, show: toast });
  // In the background: the model checks need the host's catalog (the host is still starting).
  void configProblemToast(modelConfigIssues(orchestra), loaded.config.ui.toasts, toast);
  // autoSpawn / workers: in the background (never awaited: OpenCode's start does not wait for it).
  const autoSpawning = new AbortController();
  void autoSpawn({
    config: loaded.config,
    orchestra,
    activity,
    appLog: (level, message) =>
      void input.client.app
        .log({ body: { service: "open-orchestra", level, message } })
        .catch(() => undefined),
    ...(loaded.config.ui.toasts ? { toast } : {}),
    signal: autoSpawning.signal,
  });
  const idle = idleNotifier({
    idle: loaded.config.notifications.idle,
    isWorkerSession: (id) => enforcement.sessions.has(id),
    notify: (title, message) => toast({ title, message, variant: "info" }),
  });

  const passthrough = new PassthroughRoutes();
  // A session enforcement holds to a profile (a session worker's, and its child sessions) is a
  // worker's; every other session is the user's.
  const memory = new MemoryAccess(loaded.config.memory, memoryProject(input), (sessionID) =>
    identityFromPolicy(enforcement.sessions.get(sessionID)),
  );
  const remember = memoryHooks(memory, {
    messages: async (sessionID) =>
      ((await host.client.session.messages({ sessionID })).data ?? []) as unknown as SessionMessage[],
    log: (line) => activity.log("memory", line),
  });
  const vision = visionRouting(orchestra, activity);
  const forward = passthroughRouting(orchestra, passthrough, activity);

  return {
    // The orchestrator agent and the slash commands, added to OpenCode's config.
    config: configHook(loaded.config, profiles.enabledIds(), (line) => activity.log("info", line)),
    tool: {
      ...withDefaultFormat(
        allTools({ orchestra, activity, loaded, passthrough, memory, hostServer }),
        loaded.config.ui.defaultListFormat,
      ),
      // Replaces the built-in: session workers' redirects are checked hop by hop, others fetch as before.
      webfetch: webfetchTool({ policyOf: (id) => enforcement.sessions.get(id), reservedPorts, log: denyLog }),
    },
    // Vision first (images become text), then passthrough (which forwards that text).
    "chat.message": async (input, output) => {
      await vision(input, output);
      await forward(input, output);
      await remember["chat.message"](input, output);
    },
    // Relevant memories in each session's system prompt (orchestrator and session workers).
    // ui.injectSystemContext: then the live worker list, in the user's sessions only.
    "experimental.chat.system.transform": composeSystemTransforms(
      remember["experimental.chat.system.transform"],
      workersContextHook({
        ui: loaded.config.ui,
        workers: () => orchestra.workers(),
        isWorkerSession: (id) => enforcement.sessions.has(id),
      }),
    ),
    // pruning: long tool outputs and inputs cut in what each session (user's or worker's) sends the model.
    "experimental.chat.messages.transform": pruningTransform(loaded.config.pruning),
    // Session workers are held to their profiles (process workers enforce in their own plugin).
    "tool.execute.before": enforcementHook(enforcement["tool.execute.before"], NO_ENFORCEMENT),
    // Session workers' shells never see the host server's password.
    "shell.env": hostShellEnv((id) => enforcement.sessions.has(id)),
    // Both listen: enforcement binds child sessions, memory records finished turns.
    event: async (input) => {
      await enforcement.event(input);
      await remember.event(input);
      await idle.event(input);
    },
    dispose: async () => {
      idle.dispose();
      autoSpawning.abort("shutdown"); // the spawn in flight is cancelled; shutdown stops what it started
      await orchestra.shutdown();
      await memory.close();
    },
  };
}
