// The router over a stand-in orchestra (its own interface, no OpenCode): each worker's "model" is a
// function that may itself ask a peer through the router, as a worker's ask_peer tool would.
import { type OrchestratorConfig, orchestratorConfigSchema } from "@orchestra/config";
import { loadProfileRegistry, type ProfileRegistry } from "@orchestra/profiles";
import { beforeAll, describe, expect, it } from "vitest";
import type { Job } from "../workers/jobs.js";
import type { AskOptions, AskResult, WorkerInfo } from "../workers/worker.js";
import { PeerError } from "./peer-error.js";
import type { PeerRequest } from "./peer-request.js";
import { type PeerOrchestra, PeerRouter } from "./peer-router.js";

const askPeer = { tools: { ask_peer: { enabled: true } } };
const profileEntries = [
  { id: "asker", purpose: "asks peers", permissions: askPeer },
  { id: "relay", purpose: "asks peers too", permissions: askPeer },
  { id: "quiet", purpose: "may not ask peers" },
  { id: "docs", purpose: "answers" },
];

let profiles: ProfileRegistry;
beforeAll(async () => {
  profiles = await loadProfileRegistry({ config: { profiles: profileEntries } });
});

type Answer = (message: string, options: AskOptions) => Promise<string>;

/** A stand-in orchestra: `workers` by id and profile; `answers` plays each worker's model. */
function orchestraOf(
  workers: Record<string, string>,
  answers: Record<string, Answer>,
  maxDepth = 2,
): PeerOrchestra & { asked: string[]; spawned: string[]; parents: (string | undefined)[]; running: Job[] } {
  const infos = new Map<string, WorkerInfo>();
  const add = (id: string, profile: string) =>
    infos.set(id, {
      id,
      profile,
      kind: "process",
      status: "ready",
      model: "scripted/fake",
      url: "http://127.0.0.1:1",
      sessionId: `ses_${id}`,
      startedAt: 0,
    });
  for (const [id, profile] of Object.entries(workers)) add(id, profile);
  const config: OrchestratorConfig = orchestratorConfigSchema.parse({ delegation: { maxDepth } });
  const asked: string[] = [];
  const spawned: string[] = [];
  const parents: (string | undefined)[] = [];
  // The journal as the router reads it: each ask is a running job while it runs (id, worker, status, start).
  const running: Job[] = [];
  const job = (id: string, worker: string, startedAt: number) =>
    ({ id, worker, status: "running", startedAt }) as unknown as Job;
  return {
    asked,
    spawned,
    parents,
    running,
    jobs: (workerId) => running.filter((j) => workerId === undefined || j.worker === workerId),
    config,
    profiles,
    workers: () => [...infos.values()],
    spawn: async (profile) => {
      const id = infos.has(profile) ? `${profile}-2` : profile;
      add(id, profile);
      spawned.push(id);
      return infos.get(id) as WorkerInfo;
    },
    ask: async (id, message, options = {}): Promise<AskResult> => {
      asked.push(id);
      parents.push(options.parentJobId);
      const own = job(`job-${id}`, id, running.length + 10);
      running.push(own);
      try {
        const answer = answers[id] ?? (async (m: string) => `${id} says: ${m}`);
        return { workerId: id, text: await answer(message, options), durationMs: 1, model: "scripted/fake" };
      } finally {
        running.splice(running.indexOf(own), 1);
      }
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<PeerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!PeerError.isInstance(error)) throw new Error(`expected a PeerError, got ${String(error)}`);
  return error;
}

describe("PeerRouter", () => {
  it("asks a named worker for a worker whose profile enables ask_peer, at depth 2", async () => {
    const orchestra = orchestraOf({ coder: "asker", docs: "docs" }, {});
    const router = new PeerRouter({ orchestra, directory: "/tmp" });
    const answer = await router.ask("coder", { worker: "docs", message: "where is the config?" });
    expect(answer).toMatchObject({
      worker: "docs",
      profile: "docs",
      depth: 2,
      chain: ["coder", "docs"],
      spawned: false,
      text: "docs says: where is the config?",
    });
  });

  it("refuses a worker whose profile does not enable ask_peer (JOB_PEER_DENIED), asking nobody", async () => {
    const orchestra = orchestraOf({ q: "quiet", docs: "docs" }, {});
    const error = await refusal(
      new PeerRouter({ orchestra, directory: "/tmp" }).ask("q", { worker: "docs", message: "x" }),
    );
    expect(error.code).toBe("JOB_PEER_DENIED");
    expect(error.message).toContain("worker q (profile quiet) may not use ask_peer");
    expect(error.hints.join(" ")).toContain("permissions.tools.ask_peer.enabled: true");
    expect(orchestra.asked).toEqual([]);
  });

  it("refuses A → B → A with JOB_LOOP; B's refusal is what A's peer answers", async () => {
    let router: PeerRouter | undefined;
    const orchestra = orchestraOf(
      { a: "asker", b: "relay" },
      {
        b: async () =>
          router?.ask("b", { worker: "a", message: "back to you" }).then(
            (x) => x.text,
            (e: PeerError) => `refused: ${e.code}`,
          ) ?? "",
      },
    );
    router = new PeerRouter({ orchestra, directory: "/tmp" });
    const answer = await router.ask("a", { worker: "b", message: "ask a" });
    expect(answer.text).toBe("refused: JOB_LOOP");
    expect(orchestra.asked).toEqual(["b"]);
  });

  it("counts depth from the requests in flight: depth 3 refused with maxDepth 2, allowed with 3", async () => {
    for (const [maxDepth, expected] of [
      [2, "refused: JOB_DEPTH_EXCEEDED"],
      [3, "docs says: deepest"],
    ] as const) {
      let router: PeerRouter | undefined;
      const orchestra = orchestraOf(
        { a: "asker", b: "relay", docs: "docs" },
        {
          b: async () =>
            router?.ask("b", { worker: "docs", message: "deepest" }).then(
              (x) => x.text,
              (e: PeerError) => `refused: ${e.code}`,
            ) ?? "",
        },
        maxDepth,
      );
      router = new PeerRouter({ orchestra, directory: "/tmp" });
      expect((await router.ask("a", { worker: "b", message: "go" })).text).toBe(expected);
    }
  });

  it("a profile target reuses a worker of it outside the chain, else starts one", async () => {
    const orchestra = orchestraOf({ a: "asker", docs: "docs" }, {});
    const router = new PeerRouter({ orchestra, directory: "/tmp" });
    expect((await router.ask("a", { profile: "docs", message: "x" })).worker).toBe("docs");
    const fresh = await router.ask("a", { profile: "relay", message: "x" });
    expect(fresh).toMatchObject({ worker: "relay", spawned: true, depth: 2 });
    expect(orchestra.spawned).toEqual(["relay"]);
  });

  it("starts a worker only of an enabled profile (a disabled or unknown one is JOB_PEER_NOT_FOUND)", async () => {
    const restricted = await loadProfileRegistry({ config: { profiles: ["docs", ...profileEntries] } });
    const orchestra = { ...orchestraOf({ a: "asker" }, {}), profiles: restricted };
    const router = new PeerRouter({ orchestra, directory: "/tmp" });
    for (const profile of ["coder", "no-such-profile"]) {
      const error = await refusal(router.ask("a", { profile, message: "x" }));
      expect(error.code).toBe("JOB_PEER_NOT_FOUND");
      expect(error.message).toContain(`"${profile}" is not an enabled profile`);
    }
    expect(restricted.enabledIds()).not.toContain("coder");
    expect((await router.ask("a", { profile: "docs", message: "x" })).spawned).toBe(true);
  });

  it("a profile whose only workers are in the chain is a loop, not a new worker", async () => {
    let router: PeerRouter | undefined;
    const orchestra = orchestraOf(
      { a: "asker", b: "relay" },
      {
        b: async () =>
          router?.ask("b", { profile: "asker", message: "x" }).then(
            (x) => x.text,
            (e: PeerError) => `refused: ${e.code}`,
          ) ?? "",
      },
      5,
    );
    router = new PeerRouter({ orchestra, directory: "/tmp" });
    expect((await router.ask("a", { worker: "b", message: "go" })).text).toBe("refused: JOB_LOOP");
    expect(orchestra.spawned).toEqual([]);
  });

  it("refuses a too-deep profile request before starting a worker", async () => {
    let router: PeerRouter | undefined;
    const orchestra = orchestraOf(
      { a: "asker", b: "relay" },
      {
        b: async () =>
          router?.ask("b", { profile: "docs", message: "x" }).then(
            (x) => x.text,
            (e: PeerError) => `refused: ${e.code}`,
          ) ?? "",
      },
    );
    router = new PeerRouter({ orchestra, directory: "/tmp" });
    expect((await router.ask("a", { worker: "b", message: "go" })).text).toBe("refused: JOB_DEPTH_EXCEEDED");
    expect(orchestra.spawned).toEqual([]);
  });

  it("names the running workers when the target does not run, and refuses a mismatched profile", async () => {
    const orchestra = orchestraOf({ a: "asker", docs: "docs" }, {});
    const router = new PeerRouter({ orchestra, directory: "/tmp" });
    const missing = await refusal(router.ask("a", { worker: "nope", message: "x" }));
    expect(missing.code).toBe("JOB_PEER_NOT_FOUND");
    expect(missing.message).toContain("(running: docs)");
    const request: PeerRequest = { worker: "docs", profile: "relay", message: "x" };
    expect((await refusal(router.ask("a", request))).code).toBe("JOB_PEER_INVALID");
    expect((await refusal(router.ask("gone", { worker: "docs", message: "x" }))).code).toBe(
      "JOB_PEER_NOT_FOUND",
    );
  });

  it("links each peer job to the job the asking worker runs (its newest running one), down the chain", async () => {
    let router: PeerRouter | undefined;
    const orchestra = orchestraOf(
      { a: "asker", b: "relay", docs: "docs" },
      { b: async () => (await router?.ask("b", { worker: "docs", message: "deeper" }))?.text ?? "" },
      3,
    );
    router = new PeerRouter({ orchestra, directory: "/tmp" });
    // No job of a's in the journal: the peer's job has no parent.
    await router.ask("a", { worker: "docs", message: "x" });
    expect(orchestra.parents).toEqual([undefined]);
    // a runs two jobs (the orchestrator's asks): the newest one is the parent.
    const older = { id: "job-older", worker: "a", status: "running", startedAt: 1 } as unknown as Job;
    const newer = { id: "job-newer", worker: "a", status: "queued", startedAt: 2 } as unknown as Job;
    const ended = { id: "job-ended", worker: "a", status: "done", startedAt: 3 } as unknown as Job;
    orchestra.running.push(older, newer, ended);
    await router.ask("a", { worker: "b", message: "go" });
    expect(orchestra.parents.slice(1)).toEqual(["job-newer", "job-b"]);
  });

  it("passes the signal to the peer's ask: ending the asker's call aborts the peer", async () => {
    let seen: AbortSignal | undefined;
    const orchestra = orchestraOf(
      { a: "asker", docs: "docs" },
      {
        docs: async (_m, options) => {
          seen = options.signal;
          return "ok";
        },
      },
    );
    const controller = new AbortController();
    await new PeerRouter({ orchestra, directory: "/tmp" }).ask(
      "a",
      { worker: "docs", message: "x" },
      { signal: controller.signal },
    );
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });
});
