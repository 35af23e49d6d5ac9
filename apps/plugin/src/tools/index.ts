import type { ToolDefinition } from "@opencode-ai/plugin";
import type { LoadedConfig } from "@orchestra/config";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import type { HostServerStatus } from "../host-server.js";
import type { MemoryAccess } from "../memory.js";
import type { PassthroughRoutes } from "../passthrough.js";
import { diagnosticTools } from "./diagnostics.js";
import { jobControlTools } from "./job-control.js";
import type { PartClient } from "./live-progress.js";
import { memoryTools } from "./memory.js";
import { worktreeTools } from "./merge-worker.js";
import { modelTools } from "./models.js";
import { passthroughTools } from "./passthrough.js";
import { registryTools } from "./registry.js";
import { usageTools } from "./usage.js";
import { workerTools } from "./workers.js";
import { workflowTools } from "./workflows.js";

/** What the tools work on. */
export interface ToolDeps {
  orchestra: Orchestra;
  activity: Activity;
  loaded: LoadedConfig;
  passthrough: PassthroughRoutes;
  /** The plugin instance's memory store (opened lazily). */
  memory: MemoryAccess;
  /** Whether the host OpenCode server has a password (probed once at start). */
  hostServer: Promise<HostServerStatus>;
  /** The host server's SDK client: ask_worker and delegate_task update their running tool part with it. */
  hostClient: PartClient;
}

/** Tool groups, in the order the reference documents them. */
export const TOOL_GROUPS = [
  "workers",
  "models",
  "diagnostics",
  "workflows",
  "passthrough",
  "memory",
] as const;

/** Every tool the plugin registers, by group. */
export function toolsByGroup(
  deps: ToolDeps,
): Record<(typeof TOOL_GROUPS)[number], Record<string, ToolDefinition>> {
  return {
    workers: {
      ...workerTools(deps.orchestra, deps.activity, deps.hostClient),
      ...jobControlTools(deps.orchestra, deps.activity),
      ...worktreeTools(deps.orchestra, deps.activity),
    },
    models: modelTools(deps.orchestra, deps.activity),
    diagnostics: {
      ...diagnosticTools(deps.orchestra, deps.activity, deps.loaded, deps.hostServer),
      ...registryTools(deps),
      ...usageTools(deps.orchestra),
    },
    workflows: workflowTools(deps.orchestra, deps.activity),
    passthrough: passthroughTools(deps.orchestra, deps.passthrough, deps.activity),
    memory: memoryTools(deps.memory, deps.activity),
  };
}

/** Every tool the plugin registers, in one map (the plugin's `tool` hook). */
export function allTools(deps: ToolDeps): Record<string, ToolDefinition> {
  return Object.assign({}, ...Object.values(toolsByGroup(deps)));
}
