// ask_peer with `delegation.maxDepth: 3` in the orchestrator config: the depth-3 chain that the
// default (2) refuses (see ask-peer.e2e.test.ts) is answered here; a loop is refused whatever the limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askThrough, callAskPeer } from "./test-support/peer-asks.js";
import { type RedTeam, startRedTeam } from "./test-support/red-team.js";

const readOnly = { filesystem: "read", execution: "none", network: "none" };
const asker = { categories: readOnly, tools: { ask_peer: { enabled: true } } };
const profiles = [
  { id: "pcoder", kind: "process", purpose: "ask_peer depth e2e: asker", permissions: asker },
  { id: "prelay", kind: "process", purpose: "ask_peer depth e2e: relay", permissions: asker },
  {
    id: "pdocs",
    kind: "process",
    purpose: "ask_peer depth e2e: docs",
    permissions: { categories: readOnly },
  },
];

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "ask-peer-depth",
    profiles,
    orchestrator: { delegation: { maxDepth: 3 } },
  });
  for (const id of ["pcoder", "prelay", "pdocs"])
    expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
}, 240_000);

afterAll(async () => {
  await rt?.stop();
});

describe("ask_peer with delegation.maxDepth 3", () => {
  it("depth 3 (coder → relay → docs) is allowed: the docs worker's answer comes back up the chain", async () => {
    const inner = callAskPeer({ worker: "pdocs", message: "deep question" });
    const run = await askThrough(rt, "pcoder", callAskPeer({ worker: "prelay", message: inner }));
    expect(run.peerResults).toHaveLength(2);
    expect(run.peerResults[0]).toContain(
      "Worker pdocs (profile pdocs; depth 3: pcoder → prelay → pdocs) answered:",
    );
    expect(run.peerResults[0]).toContain("Echo: deep question");
    expect(run.peerResults[1]).toContain(
      "Worker prelay (profile prelay; depth 2: pcoder → prelay) answered:",
    );
  });

  it("A → B → A is still refused with JOB_LOOP (loops are refused at any depth)", async () => {
    const inner = callAskPeer({ worker: "pcoder", message: "back to you" });
    const run = await askThrough(rt, "pcoder", callAskPeer({ worker: "prelay", message: inner }));
    expect(run.peerResults[0]).toContain("JOB_LOOP");
    expect(run.peerResults[0]).toContain("pcoder → prelay → pcoder");
  });

  it("after the chain ended, the relay is a depth-1 worker again: asked directly, it may ask the coder", async () => {
    const run = await askThrough(rt, "prelay", callAskPeer({ worker: "pcoder", message: "now fine" }));
    expect(run.peerResults[0]).toContain(
      "Worker pcoder (profile pcoder; depth 2: prelay → pcoder) answered:",
    );
    expect(run.peerResults[0]).toContain("Echo: now fine");
  });
});
