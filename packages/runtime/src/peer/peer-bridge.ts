import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OrchestraError } from "@orchestra/core";
import { PeerError } from "./peer-error.js";
import { PEER_BRIDGE_ENV, PEER_TOKEN_ENV, type PeerAnswer, parsePeerRequest } from "./peer-request.js";
import type { PeerAskOptions, PeerRouter } from "./peer-router.js";

/** The bridge's one route. */
export const PEER_BRIDGE_PATH = "/v1/ask-peer";
/** The largest request body the bridge reads, in bytes. */
const MAX_BODY = 512 * 1024;

/**
 * One line of the bridge's answer (newline-delimited JSON): `progress` while the peer works (at
 * once, then every few seconds, which also keeps the connection alive), then one `answer` or `error`.
 */
export type PeerBridgeLine =
  | { type: "progress"; worker: string; activity: string; elapsedMs: number }
  | ({ type: "answer" } & PeerAnswer)
  | { type: "error"; code: string; message: string; hints: readonly string[] };

/** The orchestrator's side of worker-to-worker requests. */
export interface PeerBridge {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /**
   * The environment of a process worker about to start: the bridge's URL and a new token that
   * authenticates that worker id (replacing any earlier token of the id).
   */
  envFor(worker: { id: string }): Record<string, string>;
  /** Drop a worker's token (it stopped or died): its requests are refused from now on. */
  forget(workerId: string): void;
  /** Route authenticated requests to `router` (until then, and after `close`, they are refused). */
  serve(router: Pick<PeerRouter, "ask">): void;
  /** Stop listening at once and drop open requests and every token; never waits and never throws. */
  close(): Promise<void>;
}

/** Options of {@link startPeerBridge}. */
export interface PeerBridgeOptions {
  /** Told about every refused request, one line each. */
  log?: (line: string) => void;
  /** How often the peer's progress is sent while it works, in ms (default 5 000). */
  progressIntervalMs?: number;
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest();

function errorLine(error: unknown): PeerBridgeLine {
  if (OrchestraError.isInstance(error))
    return { type: "error", code: error.code, message: error.message, hints: error.hints };
  return {
    type: "error",
    code: "JOB_PEER_BRIDGE_FAILED",
    message: error instanceof Error ? error.message : String(error),
    hints: [],
  };
}

function refuse(res: ServerResponse, status: number, error: PeerError): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(errorLine(error)));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Start the orchestrator's peer bridge: an HTTP server on 127.0.0.1 (port 0) that process workers
 * call for `ask_peer`. Each worker gets its own random token in its environment at spawn
 * ({@link PeerBridge.envFor}); the bridge keeps only the tokens' SHA-256 and finds the calling
 * worker by its token (compared in constant time). A worker therefore never holds a peer's
 * credentials, and nothing in a request (no header, no field) can name another asker, a depth or
 * a chain: the router tracks those.
 */
export async function startPeerBridge(options: PeerBridgeOptions = {}): Promise<PeerBridge> {
  const tokens = new Map<string, Buffer>();
  let router: Pick<PeerRouter, "ask"> | undefined;

  const authenticate = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!match?.[1]) return undefined;
    const presented = digest(match[1]);
    let found: string | undefined;
    for (const [id, stored] of tokens) if (timingSafeEqual(stored, presented)) found = id;
    return found;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST" || req.url !== PEER_BRIDGE_PATH) {
      res.writeHead(404).end();
      return;
    }
    const from = authenticate(req);
    if (from === undefined) {
      options.log?.("ask_peer: refused a request without a valid worker token");
      refuse(
        res,
        401,
        new PeerError(
          "JOB_PEER_UNAUTHENTICATED",
          "the request carries no token of a worker of this orchestrator",
          { hints: ["only the ask_peer tool of a worker this orchestrator started can call its bridge"] },
        ),
      );
      return;
    }
    const text = await readBody(req);
    if (text === undefined) {
      refuse(res, 413, new PeerError("JOB_PEER_INVALID", `the request is larger than ${MAX_BODY} bytes`));
      return;
    }
    let request: ReturnType<typeof parsePeerRequest>;
    try {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PeerError("JOB_PEER_INVALID", "the request body is not JSON");
      }
      request = parsePeerRequest(body);
    } catch (error) {
      refuse(res, 400, error as PeerError);
      return;
    }
    if (router === undefined) {
      refuse(
        res,
        503,
        new PeerError("JOB_PEER_BRIDGE_FAILED", "the orchestrator is still starting", {
          hints: ["try again in a few seconds"],
        }),
      );
      return;
    }
    // The asking tool call ended (aborted, or its worker stopped): the peer's turn is aborted too.
    const ended = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) ended.abort("the asking worker's tool call ended");
    });
    res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
    const send = (line: PeerBridgeLine) => {
      if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
    };
    const askOptions: PeerAskOptions = {
      signal: ended.signal,
      onProgress: (p) =>
        send({ type: "progress", worker: p.workerId, activity: p.activity, elapsedMs: p.elapsedMs }),
      ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
    };
    try {
      const answer = await router.ask(from, request, askOptions);
      send({ type: "answer", ...answer });
    } catch (error) {
      send(errorLine(error));
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, new PeerError("JOB_PEER_BRIDGE_FAILED", String(error)));
      else res.end();
    });
  });
  // A peer's answer can take long: no request timeout (the progress lines keep the socket busy).
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    envFor(worker) {
      const token = randomBytes(32).toString("base64url");
      tokens.set(worker.id, digest(token));
      return { [PEER_BRIDGE_ENV]: url, [PEER_TOKEN_ENV]: token };
    },
    forget(workerId) {
      tokens.delete(workerId);
    },
    serve(next) {
      router = next;
    },
    // Stops listening at once and drops open requests; never waits or throws (it runs in the
    // host's dispose, before other clean-up).
    async close() {
      tokens.clear();
      router = undefined;
      try {
        server.close();
        server.closeAllConnections();
      } catch {
        // already closed, or a runtime without closeAllConnections: nothing more to release
      }
    },
  };
}
