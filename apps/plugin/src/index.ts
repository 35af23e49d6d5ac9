/**
 * The Open Orchestra OpenCode plugin. This module exports only plugin functions, because
 * OpenCode calls every export.
 * @packageDocumentation
 */
import type { Plugin } from "@opencode-ai/plugin";
import { isWorkerProcess, workerHooks } from "./worker-hooks.js";

/**
 * Open Orchestra: an orchestrator of worker agents (worker mode inside its own workers). With an
 * invalid config it still loads, in degraded mode: its tools report the errors, nothing is applied.
 * Every process worker loads this module: worker mode imports only its own hooks, and the
 * orchestrator (runtime, tools, memory) is imported only in orchestrator mode.
 */
export const OpenOrchestra: Plugin = async (input) => {
  if (isWorkerProcess()) return workerHooks(input);
  const [{ startOrDegrade }, { orchestratorHooks }] = await Promise.all([
    import("./degraded/degraded-hooks.js"),
    import("./orchestra-plugin.js"),
  ]);
  // Process workers load this same module (in worker mode).
  return startOrDegrade(input, (started) => orchestratorHooks(started, import.meta.url));
};
