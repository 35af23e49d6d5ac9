import { z } from "zod";
import { PeerError } from "./peer-error.js";

/** The tool a worker asks a peer with; a profile enables it with `permissions.tools.ask_peer.enabled: true`. */
export const ASK_PEER_TOOL = "ask_peer";

/** The longest message a peer request may carry, in characters. */
export const MAX_PEER_MESSAGE = 100_000;

/** Environment variable naming the orchestrator's bridge (`http://127.0.0.1:<port>`) in a process worker. */
export const PEER_BRIDGE_ENV = "ORCHESTRA_PEER_BRIDGE";
/** Environment variable holding a process worker's own bridge token (taken out at the plugin's start). */
export const PEER_TOKEN_ENV = "ORCHESTRA_PEER_TOKEN";

const requestSchema = z.strictObject({
  profile: z.string().min(1).max(200).optional(),
  worker: z.string().min(1).max(200).optional(),
  message: z.string().min(1).max(MAX_PEER_MESSAGE),
});

/** A worker-to-worker request: the target (a worker id, or a profile to reuse or spawn a worker of) and the message. */
export type PeerRequest = z.output<typeof requestSchema>;

/** The answer of a peer request, as the asking worker's tool receives it. */
export interface PeerAnswer {
  /** The worker that answered. */
  worker: string;
  /** Its profile (its own permissions applied to the work). */
  profile: string;
  /** The hops from the orchestrator to the answering worker (the orchestrator asking a worker is 1). */
  depth: number;
  /** Worker ids from the one the orchestrator asked to the one that answered. */
  chain: string[];
  /** True when the worker was started for this request. */
  spawned: boolean;
  /** The model that answered, `provider/model`. */
  model: string;
  /** The answer's text. */
  text: string;
}

/**
 * Validate a peer request: exactly the fields `{ profile?, worker?, message }` (anything else, such
 * as a depth or a chain, is refused: the orchestrator tracks those itself), and at least one target.
 *
 * @throws {PeerError} `JOB_PEER_INVALID` naming what is wrong.
 */
export function parsePeerRequest(value: unknown): PeerRequest {
  const parsed = requestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      i.code === "unrecognized_keys"
        ? `unknown field(s) ${i.keys.map((k) => `\`${k}\``).join(", ")}`
        : `${i.path.length ? `\`${i.path.join(".")}\`: ` : ""}${i.message}`,
    );
    throw new PeerError("JOB_PEER_INVALID", `the ask_peer request is invalid: ${problems.join("; ")}`, {
      hints: [
        `send { worker: "<id>" } or { profile: "<id>" } with a non-empty message of at most ${MAX_PEER_MESSAGE} characters; nothing else is accepted`,
      ],
    });
  }
  if (parsed.data.profile === undefined && parsed.data.worker === undefined) {
    throw new PeerError(
      "JOB_PEER_INVALID",
      "the ask_peer request names no peer: give `worker` or `profile`",
      {
        hints: [
          "worker: the id of a running worker; profile: a profile id whose worker is reused or started",
        ],
      },
    );
  }
  return parsed.data;
}
