import type { ToolContext } from "@opencode-ai/plugin";
import { loadProfileRegistry } from "@orchestra/profiles";
import { type PeerBridge, startPeerBridge } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyFor, type SessionPolicy } from "../enforcement.js";
import { ASK_PEER_DESCRIPTION, askPeerEnabled, askPeerTools, formatPeerAnswer } from "./ask-peer.js";

let enabled: SessionPolicy;
let disabled: SessionPolicy;
let bridge: PeerBridge;

beforeAll(async () => {
  const profiles = await loadProfileRegistry({
    config: {
      profiles: [
        { id: "asker", purpose: "asks", permissions: { tools: { ask_peer: { enabled: true } } } },
        { id: "plain", purpose: "does not ask" },
      ],
    },
  });
  enabled = policyFor(profiles, "asker", "asker");
  disabled = policyFor(profiles, "plain", "plain");
  bridge = await startPeerBridge();
  bridge.serve({
    ask: async (from, request) => ({
      worker: request.worker ?? "docs",
      profile: "docs",
      depth: 2,
      chain: [from, request.worker ?? "docs"],
      spawned: false,
      model: "scripted/fake",
      text: `answer to ${request.message}`,
    }),
  });
});

afterAll(async () => {
  await bridge?.close();
});

const ctx = { abort: new AbortController().signal } as unknown as ToolContext;

describe("ask_peer in worker mode", () => {
  it("is offered only to a worker whose profile enables it", () => {
    expect(askPeerEnabled(enabled)).toBe(true);
    expect(Object.keys(askPeerTools(enabled, undefined))).toEqual(["ask_peer"]);
    expect(askPeerTools(enabled, undefined).ask_peer?.description).toBe(ASK_PEER_DESCRIPTION);
    expect(askPeerEnabled(disabled)).toBe(false);
    expect(askPeerTools(disabled, undefined)).toEqual({});
    const unresolved: SessionPolicy = { ok: false, worker: "w", profile: "x", reason: "broken" };
    expect(askPeerTools(unresolved, undefined)).toEqual({});
  });

  it("in a CLI-owned worker (no bridge) it says there is no orchestrator (JOB_PEER_NO_ORCHESTRATOR)", async () => {
    const tool = askPeerTools(enabled, undefined).ask_peer;
    await expect(tool?.execute({ worker: "docs", message: "hi" }, ctx)).rejects.toThrow(
      /^\[JOB_PEER_NO_ORCHESTRATOR\] this worker has no orchestrator to route ask_peer through: it was started by the CLI/,
    );
  });

  it("asks through the bridge as this worker and names who answered, at what depth", async () => {
    const env = bridge.envFor({ id: "coder" });
    const access = { url: env.ORCHESTRA_PEER_BRIDGE as string, token: env.ORCHESTRA_PEER_TOKEN as string };
    const out = await askPeerTools(enabled, access).ask_peer?.execute(
      { worker: "docs", message: "where?" },
      ctx,
    );
    expect(out).toBe(
      formatPeerAnswer({
        worker: "docs",
        profile: "docs",
        depth: 2,
        chain: ["coder", "docs"],
        spawned: false,
        model: "scripted/fake",
        text: "answer to where?",
      }),
    );
    expect(out).toContain("Worker docs (profile docs; depth 2: coder → docs) answered:\n\nanswer to where?");
  });
});
