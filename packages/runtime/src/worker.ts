/**
 * `@orchestra/runtime/worker`: what code running INSIDE a process worker needs (the Open Orchestra
 * plugin in worker mode), without the orchestrator's runtime: the worker marker, a client for a
 * password-protected worker server, and the enforcement handshake's names and proof. The same
 * values as `@orchestra/runtime` exports; this entry only loads less.
 *
 * @packageDocumentation
 */

export {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "./workers/enforcement-handshake.js";
export { WORKER_ENV_FLAG, workerClient } from "./workers/worker-client.js";
