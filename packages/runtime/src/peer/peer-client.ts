import type { PeerBridgeLine } from "./peer-bridge.js";
import { PEER_ERROR_CODES, PeerError } from "./peer-error.js";
import { PEER_BRIDGE_ENV, PEER_TOKEN_ENV, type PeerAnswer, type PeerRequest } from "./peer-request.js";

/** Where a process worker reaches its orchestrator's bridge, and its own token. */
export interface PeerBridgeAccess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  token: string;
}

/**
 * Take the bridge's URL and this worker's token out of `env` (so that no command the worker runs
 * inherits them). `undefined` when the worker has no orchestrator (a CLI-owned worker, or one
 * started without the bridge).
 */
export function takePeerBridge(env: NodeJS.ProcessEnv): PeerBridgeAccess | undefined {
  const url = env[PEER_BRIDGE_ENV];
  const token = env[PEER_TOKEN_ENV];
  delete env[PEER_BRIDGE_ENV];
  delete env[PEER_TOKEN_ENV];
  return url && token ? { url, token } : undefined;
}

/** Options of {@link askPeerOverBridge}. */
export interface AskPeerOverBridgeOptions {
  signal?: AbortSignal;
  /** The peer's progress while it works. */
  onProgress?: (progress: { worker: string; activity: string; elapsedMs: number }) => void;
}

function bridgeFailed(message: string, cause?: unknown): PeerError {
  return new PeerError("JOB_PEER_BRIDGE_FAILED", message, {
    ...(cause === undefined ? {} : { cause }),
    hints: ["the orchestrator that started this worker may have stopped; answer from what you have"],
  });
}

function thrown(line: Extract<PeerBridgeLine, { type: "error" }>): PeerError {
  const own = PEER_ERROR_CODES.find((code) => code === line.code);
  if (own !== undefined) return new PeerError(own, line.message, { hints: line.hints });
  // The peer's spawn or ask failed (WORKER_ASK_FAILED, PROFILE_…): its code leads the message.
  return new PeerError("JOB_PEER_FAILED", `[${line.code}] ${line.message}`, { hints: line.hints });
}

function parseLine(text: string): PeerBridgeLine {
  try {
    return JSON.parse(text) as PeerBridgeLine;
  } catch (error) {
    throw bridgeFailed(`the bridge sent something that is not its protocol: ${text.slice(0, 200)}`, error);
  }
}

/**
 * Ask a peer through the orchestrator's bridge, as this worker (its token): one POST, then the
 * bridge's newline-delimited answer (progress lines, then the answer or the refusal).
 *
 * @throws {PeerError} `JOB_PEER_NO_ORCHESTRATOR` without `access`; the bridge's refusal
 * (`JOB_LOOP`, `JOB_DEPTH_EXCEEDED`, `JOB_PEER_DENIED`, …) with its code and hints;
 * `JOB_PEER_BRIDGE_FAILED` when the bridge cannot be reached or its answer is cut off.
 */
export async function askPeerOverBridge(
  access: PeerBridgeAccess | undefined,
  request: PeerRequest,
  options: AskPeerOverBridgeOptions = {},
): Promise<PeerAnswer> {
  if (access === undefined) {
    throw new PeerError(
      "JOB_PEER_NO_ORCHESTRATOR",
      "this worker has no orchestrator to route ask_peer through: it was started by the CLI (`orchestra workers spawn`), whose process has exited",
      {
        hints: [
          "answer from what you have; the user can ask the other worker with `orchestra workers ask <id> <message>`",
          "workers started by an OpenCode with the Open Orchestra plugin (spawn_worker) can use ask_peer",
        ],
      },
    );
  }
  let response: Response;
  try {
    response = await fetch(`${access.url}/v1/ask-peer`, {
      method: "POST",
      headers: { authorization: `Bearer ${access.token}`, "content-type": "application/json" },
      body: JSON.stringify(request),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw bridgeFailed(
      `the orchestrator's bridge at ${access.url} cannot be reached: ${(error as Error).message}`,
      error,
    );
  }
  const body = response.body;
  if (body === null) throw bridgeFailed(`the bridge answered HTTP ${response.status} with no body`);
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = parseLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (line.type === "progress") options.onProgress?.(line);
      else if (line.type === "error") throw thrown(line);
      else {
        const { type: _type, ...answer } = line;
        return answer;
      }
      newline = buffered.indexOf("\n");
    }
  }
  const last = buffered.trim();
  if (last !== "") {
    const line = parseLine(last);
    if (line.type === "error") throw thrown(line);
  }
  throw bridgeFailed(`the bridge's answer ended before the peer's answer (HTTP ${response.status})`);
}
