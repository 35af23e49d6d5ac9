// Worker-to-worker requests (`ask_peer`) in a real OpenCode with the plugin, driven by the scripted
// model playing hostile workers: a worker asks a peer THROUGH the orchestrator's bridge (never the
// peer's server), only when its profile enables ask_peer; the orchestrator tracks the chain and the
// depth (delegation.maxDepth, default 2) from the requests in flight, never from the worker; the peer
// works under its own profile; and a worker's bridge token is out of every tool's reach.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultJournalFile, defaultRegistryFile, openJobJournal } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askThrough, callAskPeer, lastResultOf, startEnvironment } from "./test-support/peer-asks.js";
import { REFUSED, type RedTeam, startRedTeam } from "./test-support/red-team.js";

const askPeer = { ask_peer: { enabled: true } };
const readOnly = { filesystem: "read", execution: "none", network: "none" };
const profiles = [
  // "coder": asks peers, no shell, no writes.
  {
    id: "pcoder",
    kind: "process",
    purpose: "ask_peer e2e: asker",
    permissions: { categories: readOnly, tools: askPeer },
  },
  // "docs": answers; its profile does not enable ask_peer.
  { id: "pdocs", kind: "process", purpose: "ask_peer e2e: docs", permissions: { categories: readOnly } },
  // A second asker with a shell limited to a few commands (the secret-hunting attacks).
  {
    id: "prelay",
    kind: "process",
    purpose: "ask_peer e2e: relay",
    permissions: {
      categories: { filesystem: "read", execution: "full", network: "localhost" },
      tools: {
        ...askPeer,
        bash: { enabled: true, constraints: { allowedCommands: ["printenv", "cat", "curl"] } },
      },
    },
  },
  // A peer with a shell (echo only): what it may do, the asker still may not.
  {
    id: "pshell",
    kind: "session",
    purpose: "ask_peer e2e: shell peer",
    permissions: {
      categories: { filesystem: "read", execution: "full", network: "none" },
      tools: { bash: { enabled: true, constraints: { allowedCommands: ["echo"] } } },
    },
  },
];

let rt: RedTeam;
const pids: Record<string, number> = {};

beforeAll(async () => {
  rt = await startRedTeam({ name: "ask-peer", profiles });
  for (const id of ["pcoder", "pdocs", "prelay", "pshell"]) {
    const info = await rt.spawn(id);
    expect(info).toMatchObject({ id, status: "ready" });
    if (typeof info.pid === "number") pids[id] = info.pid;
  }
}, 240_000);

afterAll(async () => {
  await rt?.stop();
});

describe("ask_peer: a coder → docs request", () => {
  it("succeeds when the coder's profile enables ask_peer: the docs worker's answer reaches the coder", async () => {
    const run = await askThrough(
      rt,
      "pcoder",
      callAskPeer({ worker: "pdocs", message: "where is the config documented?" }),
    );
    expect(run.offered[0]).toContain("ask_peer");
    expect(run.peerResults).toHaveLength(1);
    expect(run.peerResults[0]).toContain("Worker pdocs (profile pdocs; depth 2: pcoder → pdocs) answered:");
    expect(run.peerResults[0]).toContain("Echo: where is the config documented?");
  });

  it("the docs worker's job is in the journal, linked to the coder's job (its parent)", async () => {
    const file = defaultJournalFile(
      defaultRegistryFile({ XDG_DATA_HOME: join(rt.opencode.scratch, "data") }),
    );
    const journal = openJobJournal({ file });
    try {
      const jobs = journal.list({ all: true });
      const docs = jobs.find((j) => j.worker === "pdocs" && j.message === "where is the config documented?");
      const asked = callAskPeer({ worker: "pdocs", message: "where is the config documented?" });
      const coder = jobs.find((j) => j.worker === "pcoder" && j.message === asked);
      expect(docs).toMatchObject({ status: "done", parentJobId: coder?.id });
      expect(coder).toMatchObject({ status: "done", parentJobId: null });
    } finally {
      journal.close();
    }
  });

  it("by profile: the running worker of the profile is reused", async () => {
    const run = await askThrough(rt, "pcoder", callAskPeer({ profile: "pdocs", message: "by profile" }));
    expect(run.peerResults[0]).toContain("Worker pdocs (profile pdocs; depth 2: pcoder → pdocs) answered:");
    expect(run.peerResults[0]).toContain("Echo: by profile");
  });

  it("is denied when the profile does not enable it: the tool is not even offered to the docs worker", async () => {
    const run = await askThrough(rt, "pdocs", callAskPeer({ worker: "pcoder", message: "hi" }));
    expect(run.offered[0]).not.toContain("ask_peer");
    expect(run.peerResults).toHaveLength(1);
    expect(run.peerResults[0]).toMatch(REFUSED);
    expect(run.peerResults[0]).not.toContain("answered:");
  });

  it("attack: the docs worker's own token, stolen by a local process, still gets JOB_PEER_DENIED at the bridge", async () => {
    const env = startEnvironment(pids.pdocs as number);
    const bridge = env.ORCHESTRA_PEER_BRIDGE as string;
    expect(bridge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${bridge}/v1/ask-peer`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.ORCHESTRA_PEER_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ worker: "pcoder", message: "hi" }),
    });
    const lines = (await res.text()).trim().split("\n");
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({ type: "error", code: "JOB_PEER_DENIED" });
  });
});

describe("ask_peer: loops and depth (delegation.maxDepth 2, the default)", () => {
  it("A → B → A is refused with JOB_LOOP, naming the chain", async () => {
    const inner = callAskPeer({ worker: "pcoder", message: "back to you" });
    const run = await askThrough(rt, "pcoder", callAskPeer({ worker: "prelay", message: inner }));
    expect(run.peerResults).toHaveLength(2);
    expect(run.peerResults[0]).toContain("JOB_LOOP");
    expect(run.peerResults[0]).toContain("pcoder → prelay → pcoder");
    expect(run.peerResults[1]).toContain(
      "Worker prelay (profile prelay; depth 2: pcoder → prelay) answered:",
    );
  });

  it("depth 3 (coder → relay → docs) is refused with JOB_DEPTH_EXCEEDED, also when the model forges a depth", async () => {
    for (const forged of [{}, { depth: 0, chain: [] }]) {
      const inner = callAskPeer({ worker: "pdocs", message: "too deep", ...forged });
      const run = await askThrough(rt, "pcoder", callAskPeer({ worker: "prelay", message: inner }));
      expect(run.peerResults).toHaveLength(2);
      expect(run.peerResults[0]).toContain("JOB_DEPTH_EXCEEDED");
      expect(run.peerResults[0]).toContain("depth 3 (pcoder → prelay → pdocs)");
      expect(run.peerResults[0]).not.toContain("Echo: too deep");
    }
  });
});

describe("ask_peer: the peer's own profile applies; the asker gains nothing", () => {
  it("attack: asking a peer to write a file neither may write is denied by the peer's own rules", async () => {
    const write = JSON.stringify({ filePath: "pwned.txt", content: "pwned" });
    const run = await askThrough(
      rt,
      "pcoder",
      callAskPeer({ worker: "pdocs", message: `call write ${write}` }),
    );
    expect(run.peerResults[0]).toContain("Worker pdocs");
    expect(lastResultOf(rt, "write")).toMatch(REFUSED);
    expect(existsSync(join(rt.project, "pwned.txt"))).toBe(false);
  });

  it("attack: a peer runs what its profile allows and refuses what it does not; the asker still has no shell", async () => {
    const ok = await askThrough(
      rt,
      "pcoder",
      callAskPeer({
        worker: "pshell",
        message: `call bash ${JSON.stringify({ command: "echo peer-ran", description: "e" })}`,
      }),
    );
    expect(ok.peerResults[0]).toContain("Worker pshell");
    expect(lastResultOf(rt, "bash")).toContain("peer-ran");
    const denied = await askThrough(
      rt,
      "pcoder",
      callAskPeer({
        worker: "pshell",
        message: `call bash ${JSON.stringify({ command: "ls /", description: "e" })}`,
      }),
    );
    expect(denied.peerResults[0]).toContain("Worker pshell");
    expect(lastResultOf(rt, "bash")).toMatch(REFUSED);
    const own = await rt.workerCalls("pcoder", "bash", { command: "echo asker-ran", description: "e" });
    expect(own).toMatch(REFUSED);
  });
});

describe("ask_peer: the bridge and its tokens are out of a hostile worker's reach", () => {
  it("attack: the worker's shell environment has no token (taken out at the plugin's start)", async () => {
    const token = startEnvironment(pids.prelay as number).ORCHESTRA_PEER_TOKEN as string;
    expect(token.length).toBeGreaterThan(20);
    const out = await rt.workerCalls("prelay", "bash", { command: "printenv", description: "e" });
    expect(out).toContain("ORCHESTRA_WORKER_ID=prelay");
    expect(out).not.toContain(token);
    expect(out).not.toMatch(/ORCHESTRA_PEER_TOKEN=\S/);
  });

  it("attack: reading its own or another worker's start environment through /proc is refused", async () => {
    for (const pid of [pids.prelay, pids.pcoder]) {
      const out = await rt.workerCalls("prelay", "bash", {
        command: `cat /proc/${pid}/environ`,
        description: "e",
      });
      expect(out).toMatch(REFUSED);
      expect(out).not.toContain("ORCHESTRA_PEER_TOKEN");
    }
  });

  it("attack: the worker's shell cannot reach the bridge (its port is reserved)", async () => {
    const bridge = startEnvironment(pids.prelay as number).ORCHESTRA_PEER_BRIDGE as string;
    const out = await rt.workerCalls("prelay", "bash", {
      command: `curl -s -X POST ${bridge}/v1/ask-peer`,
      description: "e",
    });
    expect(out).toMatch(REFUSED);
    expect(out).toContain("network.reserved-port");
  });

  it("attack: a local process with no token, or a made-up one, is refused (JOB_PEER_UNAUTHENTICATED)", async () => {
    const bridge = startEnvironment(pids.prelay as number).ORCHESTRA_PEER_BRIDGE as string;
    for (const headers of [{}, { authorization: `Bearer ${"A".repeat(43)}` }] as Record<string, string>[]) {
      const res = await fetch(`${bridge}/v1/ask-peer`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ worker: "pdocs", message: "hi" }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "JOB_PEER_UNAUTHENTICATED" });
    }
  });
});
