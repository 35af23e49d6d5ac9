import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { loadConfig } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import { Orchestrator, WORKER_ENV_FLAG, workerClient } from "@orchestra/runtime";
import { Activity } from "./activity.js";
import { PassthroughRoutes, passthroughRouting } from "./passthrough.js";
import { allTools } from "./tools/index.js";
import { visionRouting } from "./vision.js";

/** The URL of this module, loaded by process workers (where the plugin runs in worker mode). */
const SELF = import.meta.url;

/** True inside a process worker: such a process never spawns workers itself. */
export function isWorkerProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[WORKER_ENV_FLAG] === "1";
}

/** Hooks of a process worker: no tools, nothing that spawns. */
export async function workerHooks(): Promise<Hooks> {
  return {};
}

/** Build the orchestrator and every hook and tool of the plugin for one OpenCode instance. */
export async function orchestratorHooks(input: PluginInput): Promise<Hooks> {
  const loaded = await loadConfig({ projectDir: input.directory });
  const profiles = await loadProfileRegistry({
    projectDir: input.directory,
    config: { profiles: loaded.config.profiles },
  });
  const url = input.serverUrl.toString().replace(/\/$/, "");
  const host = { client: workerClient(url, process.env.OPENCODE_SERVER_PASSWORD, input.directory), url };
  const activity = new Activity();
  const orchestra = new Orchestrator({
    config: loaded.config,
    directory: input.directory,
    profiles,
    host,
    binary: process.env.ORCHESTRA_OPENCODE_BIN ?? process.execPath,
    workerPlugins: [SELF],
  });
  orchestra.pool.on("worker:dead", (info, reason) => activity.log("dead", `${info.id}: ${reason}`));

  const passthrough = new PassthroughRoutes();
  const vision = visionRouting(orchestra, activity);
  const forward = passthroughRouting(orchestra, passthrough, activity);

  return {
    tool: allTools({ orchestra, activity, loaded, passthrough }),
    // Vision first (images become text), then passthrough (which forwards that text).
    "chat.message": async (input, output) => {
      await vision(input, output);
      await forward(input, output);
    },
    dispose: async () => {
      await orchestra.shutdown();
    },
  };
}
