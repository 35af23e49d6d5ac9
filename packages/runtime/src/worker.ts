/**
 * `@orchestra/runtime/worker`: what code running INSIDE a process worker needs (the Open Orchestra
 * plugin in worker mode), without the orchestrator's runtime: the worker marker, a client for a
 * password-protected worker server, the enforcement handshake's names and proof, and the client of
 * the orchestrator's peer bridge (`ask_peer`). The same values as `@orchestra/runtime` exports;
 * this entry only loads less.
 *
 * @packageDocumentation
 */

export {
  type AskPeerOverBridgeOptions,
  askPeerOverBridge,
  type PeerBridgeAccess,
  takePeerBridge,
} from "./peer/peer-client.js";
export { PeerError, type PeerErrorCode } from "./peer/peer-error.js";
export { ASK_PEER_TOOL, MAX_PEER_MESSAGE, type PeerAnswer, type PeerRequest } from "./peer/peer-request.js";
export {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "./workers/enforcement-handshake.js";
export { WORKER_ENV_FLAG, workerClient } from "./workers/worker-client.js";
export { PROJECT_DIR_ENV } from "./worktree/project-dir-env.js";
