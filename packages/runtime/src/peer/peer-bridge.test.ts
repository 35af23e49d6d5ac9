// The bridge over real HTTP on 127.0.0.1, with a recording router: who is asking is decided by the
// token alone, and every request without a worker's valid token is refused before the router.
import { afterEach, describe, expect, it } from "vitest";
import { PEER_BRIDGE_PATH, type PeerBridge, startPeerBridge } from "./peer-bridge.js";
import { askPeerOverBridge, takePeerBridge } from "./peer-client.js";
import { PeerError } from "./peer-error.js";
import { PEER_BRIDGE_ENV, PEER_TOKEN_ENV, type PeerAnswer, type PeerRequest } from "./peer-request.js";
import type { PeerAskOptions } from "./peer-router.js";

interface Call {
  from: string;
  request: PeerRequest;
  options: PeerAskOptions;
}

let bridge: PeerBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

async function started(
  answer?: (call: Call) => Promise<PeerAnswer>,
): Promise<{ bridge: PeerBridge; calls: Call[] }> {
  const calls: Call[] = [];
  bridge = await startPeerBridge();
  bridge.serve({
    ask: async (from, request, options = {}) => {
      const call = { from, request, options };
      calls.push(call);
      if (answer) return answer(call);
      return {
        worker: request.worker ?? "x",
        profile: "docs",
        depth: 2,
        chain: [from, "x"],
        spawned: false,
        model: "m/m",
        text: `hello ${from}`,
      };
    },
  });
  return { bridge, calls };
}

function access(env: Record<string, string>) {
  return { url: env[PEER_BRIDGE_ENV] as string, token: env[PEER_TOKEN_ENV] as string };
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${PEER_BRIDGE_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse((await res.text()).trim().split("\n").at(-1) ?? "{}") };
}

async function refusal(promise: Promise<unknown>): Promise<PeerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PeerError.isInstance(error)) throw new Error(`expected a PeerError, got ${String(error)}`);
  return error;
}

describe("the peer bridge", () => {
  it("listens on 127.0.0.1 and answers a worker's request as that worker", async () => {
    const { bridge, calls } = await started();
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}`);
    const env = bridge.envFor({ id: "coder" });
    const answer = await askPeerOverBridge(access(env), { worker: "docs", message: "hi" });
    expect(answer).toMatchObject({ worker: "docs", text: "hello coder", depth: 2 });
    expect(calls.map((c) => c.from)).toEqual(["coder"]);
  });

  it("attack: no token, a made-up token or a malformed header is refused before the router", async () => {
    const { bridge, calls } = await started();
    bridge.envFor({ id: "coder" });
    for (const token of [undefined, "A".repeat(43), "not a token!"]) {
      const res = await post(bridge.url, { worker: "docs", message: "hi" }, token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ type: "error", code: "JOB_PEER_UNAUTHENTICATED" });
    }
    expect(calls).toEqual([]);
  });

  it("attack: a worker cannot ask as another: the token alone names the asker, whatever the body says", async () => {
    const { bridge, calls } = await started();
    const coder = bridge.envFor({ id: "coder" });
    bridge.envFor({ id: "docs" });
    const res = await post(bridge.url, { worker: "docs", message: "hi", from: "docs" }, access(coder).token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "JOB_PEER_INVALID" });
    expect(String(res.body.message)).toContain("unknown field(s) `from`");
    await askPeerOverBridge(access(coder), { worker: "docs", message: "hi" });
    expect(calls.map((c) => c.from)).toEqual(["coder"]);
  });

  it("attack: a forged depth or chain in the body is refused (JOB_PEER_INVALID), never used", async () => {
    const { bridge, calls } = await started();
    const coder = access(bridge.envFor({ id: "coder" }));
    const res = await post(bridge.url, { worker: "docs", message: "hi", depth: 0, chain: [] }, coder.token);
    expect(res.body).toMatchObject({ code: "JOB_PEER_INVALID" });
    expect(String(res.body.message)).toContain("`depth`, `chain`");
    expect(calls).toEqual([]);
  });

  it("attack: a stopped worker's token, and a token replaced by a new spawn of the id, are refused", async () => {
    const { bridge, calls } = await started();
    const first = access(bridge.envFor({ id: "coder" }));
    const second = access(bridge.envFor({ id: "coder" }));
    expect((await refusal(askPeerOverBridge(first, { worker: "docs", message: "x" }))).code).toBe(
      "JOB_PEER_UNAUTHENTICATED",
    );
    await askPeerOverBridge(second, { worker: "docs", message: "x" });
    bridge.forget("coder");
    expect((await refusal(askPeerOverBridge(second, { worker: "docs", message: "x" }))).code).toBe(
      "JOB_PEER_UNAUTHENTICATED",
    );
    expect(calls).toHaveLength(1);
  });

  it("passes the router's refusal to the asking worker with its code and hints", async () => {
    const { bridge } = await started(async () => {
      throw new PeerError("JOB_LOOP", "asking a would loop: a → b → a", {
        hints: ["answer from what you have"],
      });
    });
    const error = await refusal(
      askPeerOverBridge(access(bridge.envFor({ id: "b" })), { worker: "a", message: "x" }),
    );
    expect(error.code).toBe("JOB_LOOP");
    expect(error.message).toContain("a → b → a");
    expect(error.hints).toEqual(["answer from what you have"]);
  });

  it("a peer's own failure comes back as JOB_PEER_FAILED led by the peer's code", async () => {
    const { bridge } = await started(async () => {
      throw Object.assign(new PeerError("JOB_PEER_NOT_FOUND", "x"), {
        code: "WORKER_ASK_FAILED",
        message: "worker docs did not answer",
      });
    });
    const error = await refusal(
      askPeerOverBridge(access(bridge.envFor({ id: "b" })), { worker: "docs", message: "x" }),
    );
    expect(error.code).toBe("JOB_PEER_FAILED");
    expect(error.message).toBe("[WORKER_ASK_FAILED] worker docs did not answer");
  });

  it("streams the peer's progress, and aborting the asker's call aborts the peer's ask", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { bridge, calls } = await started(async (call) => {
      call.options.onProgress?.({ workerId: "docs", activity: "running grep", elapsedMs: 5 });
      await new Promise<void>((resolve) => call.options.signal?.addEventListener("abort", () => resolve()));
      release();
      throw new Error("aborted");
    });
    const controller = new AbortController();
    const progress: string[] = [];
    const asking = askPeerOverBridge(
      access(bridge.envFor({ id: "coder" })),
      { worker: "docs", message: "x" },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(`${p.worker}: ${p.activity}`);
          controller.abort();
        },
      },
    );
    await expect(asking).rejects.toThrow();
    await held;
    expect(progress).toEqual(["docs: running grep"]);
    expect(calls[0]?.options.signal?.aborted).toBe(true);
  });

  it("a worker without a bridge (CLI-owned) is told it has no orchestrator", async () => {
    const error = await refusal(askPeerOverBridge(undefined, { worker: "docs", message: "x" }));
    expect(error.code).toBe("JOB_PEER_NO_ORCHESTRATOR");
    expect(error.message).toContain("started by the CLI");
  });

  it("an unreachable bridge is JOB_PEER_BRIDGE_FAILED", async () => {
    const { bridge } = await started();
    const env = access(bridge.envFor({ id: "coder" }));
    await bridge.close();
    await expect(bridge.close()).resolves.toBeUndefined(); // twice: never throws
    const error = await refusal(askPeerOverBridge(env, { worker: "docs", message: "x" }));
    expect(error.code).toBe("JOB_PEER_BRIDGE_FAILED");
  });
});

describe("takePeerBridge", () => {
  it("takes both variables out of the environment, so no command inherits the token", () => {
    const env: NodeJS.ProcessEnv = {
      [PEER_BRIDGE_ENV]: "http://127.0.0.1:1",
      [PEER_TOKEN_ENV]: "t".repeat(43),
      KEEP: "1",
    };
    expect(takePeerBridge(env)).toEqual({ url: "http://127.0.0.1:1", token: "t".repeat(43) });
    expect(env).toEqual({ KEEP: "1" });
    expect(takePeerBridge(env)).toBeUndefined();
  });
});
