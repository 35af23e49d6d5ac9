import { ASK_PEER_TOOL_REFERENCE } from "./ask-peer.reference.js";
import { DIAGNOSTIC_TOOL_REFERENCE } from "./diagnostics.reference.js";
import { JOB_CONTROL_TOOL_REFERENCE } from "./job-control.reference.js";
import { MEMORY_TOOL_REFERENCE } from "./memory.reference.js";
import { MERGE_WORKER_TOOL_REFERENCE } from "./merge-worker.reference.js";
import { MODEL_TOOL_REFERENCE } from "./models.reference.js";
import { PASSTHROUGH_TOOL_REFERENCE } from "./passthrough.reference.js";
import type { ToolReferences } from "./reference.js";
import { REGISTRY_TOOL_REFERENCE } from "./registry.reference.js";
import { USAGE_TOOL_REFERENCE } from "./usage.reference.js";
import { WORKER_TOOL_REFERENCE } from "./workers.reference.js";
import { WORKFLOW_TOOL_REFERENCE } from "./workflows.reference.js";

/** Every tool's reference entry (return shape, example, error codes), by tool name. */
export const TOOL_REFERENCES: ToolReferences = {
  ...WORKER_TOOL_REFERENCE,
  ...JOB_CONTROL_TOOL_REFERENCE,
  ...MERGE_WORKER_TOOL_REFERENCE,
  ...ASK_PEER_TOOL_REFERENCE,
  ...PASSTHROUGH_TOOL_REFERENCE,
  ...MODEL_TOOL_REFERENCE,
  ...MEMORY_TOOL_REFERENCE,
  ...WORKFLOW_TOOL_REFERENCE,
  ...DIAGNOSTIC_TOOL_REFERENCE,
  ...REGISTRY_TOOL_REFERENCE,
  ...USAGE_TOOL_REFERENCE,
};

/** The module (in `src/tools/`) that defines each tool: the error-code check walks its imports. */
export const TOOL_MODULES: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.keys(WORKER_TOOL_REFERENCE).map((name) => [name, "workers.ts"]),
  ...Object.keys(JOB_CONTROL_TOOL_REFERENCE).map((name) => [name, "job-control.ts"]),
  ...Object.keys(MERGE_WORKER_TOOL_REFERENCE).map((name) => [name, "merge-worker.ts"]),
  ...Object.keys(ASK_PEER_TOOL_REFERENCE).map((name) => [name, "ask-peer.ts"]),
  ...Object.keys(PASSTHROUGH_TOOL_REFERENCE).map((name) => [name, "passthrough.ts"]),
  ...Object.keys(MODEL_TOOL_REFERENCE).map((name) => [name, "models.ts"]),
  ...Object.keys(MEMORY_TOOL_REFERENCE).map((name) => [name, "memory.ts"]),
  ...Object.keys(WORKFLOW_TOOL_REFERENCE).map((name) => [name, "workflows.ts"]),
  ...Object.keys(DIAGNOSTIC_TOOL_REFERENCE).map((name) => [name, "diagnostics.ts"]),
  ...Object.keys(REGISTRY_TOOL_REFERENCE).map((name) => [name, "registry.ts"]),
  ...Object.keys(USAGE_TOOL_REFERENCE).map((name) => [name, "usage.ts"]),
]);
