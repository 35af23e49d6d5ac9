// The worker side of worker-to-worker requests: `ask_peer`, offered in a process worker whose profile
// enables it. The request goes to the orchestrator that started the worker (its peer bridge), which
// authenticates the worker by its own token, tracks the chain and depth, and asks the peer.
import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import {
  ASK_PEER_TOOL,
  askPeerOverBridge,
  MAX_PEER_MESSAGE,
  type PeerAnswer,
  type PeerBridgeAccess,
  type PeerRequest,
  takePeerBridge,
} from "@orchestra/runtime/worker";
import type { SessionPolicy } from "../enforcement.js";
import { guarded } from "./format.js";

const z = tool.schema;

/** The tool's description: when to use it, what the peer may do, and how it is refused. */
export const ASK_PEER_DESCRIPTION = [
  "Ask another worker for help through the orchestrator that started you, and wait for its answer (for example a coder asking the docs worker).",
  "- Give `worker` (the id of a running worker) or `profile` (a profile id: a running worker of it is asked, or one is started), and a self-contained `message`: the peer does not see your conversation.",
  "- The peer works under its own profile's permissions, never yours, and you gain none of its permissions.",
  "- Refused with JOB_LOOP when the peer is already waiting for this answer (A → B → A), and with JOB_DEPTH_EXCEEDED past the config's delegation.maxDepth (default 2: the orchestrator asking you is depth 1, your peer is depth 2). Then answer from what you have.",
  "- In a worker started by the CLI (`orchestra workers spawn`) there is no orchestrator to route the request: JOB_PEER_NO_ORCHESTRATOR.",
].join("\n");

/** The tool's text answer. */
export function formatPeerAnswer(answer: PeerAnswer): string {
  return `Worker ${answer.worker} (profile ${answer.profile}${answer.spawned ? ", started for this request" : ""}; depth ${answer.depth}: ${answer.chain.join(" → ")}) answered:\n\n${answer.text}`;
}

let taken: { access: PeerBridgeAccess | undefined } | undefined;

/**
 * This process worker's bridge access, taken out of `env` on the first call (so that no command the
 * worker runs inherits the token) and kept for every later call in the process.
 */
export function workerPeerBridge(env: NodeJS.ProcessEnv = process.env): PeerBridgeAccess | undefined {
  taken ??= { access: takePeerBridge(env) };
  return taken.access;
}

/** True when the worker's profile enables `ask_peer` (a tool no category covers: only an explicit `enabled: true`). */
export function askPeerEnabled(policy: SessionPolicy): boolean {
  return policy.ok && policy.effective.tools[ASK_PEER_TOOL]?.enabled === true;
}

/**
 * `{ ask_peer }` for a worker whose profile enables it, else nothing (the tool is not offered at all;
 * OpenCode's compiled permission and `tool.execute.before` refuse it too). `access` is the worker's
 * bridge (`takePeerBridge`), absent in a CLI-owned worker: the tool then says there is no orchestrator.
 */
export function askPeerTools(
  policy: SessionPolicy,
  access: PeerBridgeAccess | undefined,
): Record<string, ToolDefinition> {
  if (!askPeerEnabled(policy)) return {};
  return {
    [ASK_PEER_TOOL]: tool({
      description: ASK_PEER_DESCRIPTION,
      args: {
        profile: z
          .string()
          .optional()
          .describe("A profile id: its running worker is asked, or one is started. Give this or `worker`."),
        worker: z.string().optional().describe("The id of a running worker to ask. Give this or `profile`."),
        message: z
          .string()
          .describe(
            `What to ask, self-contained (the peer does not see your conversation); at most ${MAX_PEER_MESSAGE} characters.`,
          ),
      },
      execute: (args, ctx) =>
        guarded(async () => {
          // Only these three fields travel: the orchestrator decides who asks, the depth and the chain.
          const request: PeerRequest = {
            ...(args.profile === undefined ? {} : { profile: args.profile }),
            ...(args.worker === undefined ? {} : { worker: args.worker }),
            message: args.message,
          };
          return formatPeerAnswer(await askPeerOverBridge(access, request, { signal: ctx.abort }));
        }),
    }),
  };
}
