/**
 * The Open Orchestra OpenCode plugin. This module exports only plugin functions, because
 * OpenCode calls every export.
 * @packageDocumentation
 */
import type { Plugin } from "@opencode-ai/plugin";
import { startOrDegrade } from "./degraded/degraded-hooks.js";
import { isWorkerProcess, orchestratorHooks, workerHooks } from "./orchestra-plugin.js";

/**
 * Open Orchestra: an orchestrator of worker agents (worker mode inside its own workers). With an
 * invalid config it still loads, in degraded mode: its tools report the errors, nothing is applied.
 */
export const OpenOrchestra: Plugin = async (input) =>
  isWorkerProcess() ? workerHooks(input) : startOrDegrade(input, orchestratorHooks);
