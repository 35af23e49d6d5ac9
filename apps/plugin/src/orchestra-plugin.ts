import { homedir } from "node:os";
import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { loadConfig } from "@orchestra/config";
import { fromEffective, toOpencodePermission } from "@orchestra/permissions";
import { loadProfileRegistry } from "@orchestra/profiles";
import { createOrchestra, formatRecoveryReport, workerClient } from "@orchestra/runtime";
import { reportBudgetWarnings } from "./budget-warnings.js";
import { denyLogger, hostEnforcement, portOf } from "./enforcement.js";
import { watchHostServer } from "./host-server.js";
import {
  identityFromPolicy,
  MemoryAccess,
  memoryHooks,
  memoryProject,
  type SessionMessage,
} from "./memory.js";
import { reportModelFallbacks } from "./model-fallback.js";
import { PassthroughRoutes, passthroughRouting } from "./passthrough.js";
import { startHostPeerBridge } from "./peer-bridge.js";
import { REGISTRY_FILE_ENV, registryPorts } from "./registry-ports.js";
import { hostShellEnv } from "./shell-env.js";
import { allTools } from "./tools/index.js";
import { modelConfigIssues } from "./tools/models.js";
import { NO_ENFORCEMENT, warnUnsafe } from "./unsafe-switch.js";
import { enforcementHook, unsafeWorkerEnv } from "./unsafe-test-mode.js";
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
import { webfetchTool } from "./webfetch-tool.js";

/**
 * Build the orchestrator and every hook and tool of the plugin for one OpenCode instance.
 * `workerPlugin` is the URL of the plugin's entry module, which every process worker loads (in
 * worker mode).
 */
export async function orchestratorHooks(input: PluginInput, workerPlugin: string): Promise<Hooks> {
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
  // ask_peer: process workers ask peers through this bridge, each with its own token from its spawn.
  const peerBridge = await startHostPeerBridge(activity);
  // One orchestra: workers, registry, health, warm pools, recovery (in the background) and shutdown.
  const orchestra = await createOrchestra({
    config: loaded.config,
    directory: input.directory,
    profiles,
    host,
    binary: process.env.ORCHESTRA_OPENCODE_BIN ?? process.execPath,
    workerPlugins: [workerPlugin],
    workerEnv,
    workerEnvFor: (worker) => peerBridge.workerEnvFor(worker),
    // Second line of defence: each process worker's agent and each session worker's session get the
    // compiled permission, written for the paths OpenCode matches (relative to its worktree).
    // A worker in a worktree of its own (`isolation: worktree`) gets rules for its own paths.
    opencodePermission: (profile, place) =>
      toOpencodePermission(fromEffective(profile.permissions), {
        cwd: place?.directory ?? input.directory,
        worktree: place?.worktree ?? input.worktree,
        home: homedir(),
      }),
    handleSignals: process.env.ORCHESTRA_SIGNAL_HANDLERS !== "0",
  });
  workerEnv[REGISTRY_FILE_ENV] = orchestra.registryFile;
  peerBridge.attach(orchestra, input.directory);
  // The host's port, the peer bridge's, this orchestra's workers, and every other worker on the device.
  const deviceWorkerPorts = registryPorts(orchestra.registryFile);
  const reservedPorts = () => [
    ...[portOf(url)].filter((p) => p !== undefined),
    peerBridge.port,
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
  // A budget's warning fraction, or a dollar budget over an unpriced model: the activity log and a toast.
  reportBudgetWarnings(orchestra, { activity, toasts: loaded.config.ui.toasts, show: toast });
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
        allTools({ orchestra, activity, loaded, passthrough, memory, hostServer, hostClient: host.client }),
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
      await peerBridge.close();
      await memory.close();
    },
  };
}
