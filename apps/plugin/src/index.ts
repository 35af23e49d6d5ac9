/**
 * The Open Orchestra OpenCode plugin. This module exports only plugin functions, because
 * OpenCode calls every export.
 * @packageDocumentation
 */
import type { Plugin } from "@opencode-ai/plugin";
import { isWorkerProcess, orchestratorHooks, workerHooks } from "./orchestra-plugin.js";

/** Open Orchestra: an orchestrator of worker agents (worker mode inside its own workers). */
export const OpenOrchestra: Plugin = async (input) =>
  isWorkerProcess() ? workerHooks(input) : orchestratorHooks(input);
