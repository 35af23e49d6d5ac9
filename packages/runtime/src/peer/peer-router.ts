import { homedir } from "node:os";
import { check, fromEffective } from "@orchestra/permissions";
import type { Orchestra } from "../orchestra-types.js";
import type { AskProgress, WorkerInfo } from "../workers/worker.js";
import { DelegationChains, formatChain } from "./delegation-chains.js";
import { PeerError } from "./peer-error.js";
import { ASK_PEER_TOOL, type PeerAnswer, type PeerRequest } from "./peer-request.js";

/** What the router needs of an orchestra. */
export type PeerOrchestra = Pick<Orchestra, "workers" | "spawn" | "ask" | "jobs" | "profiles" | "config">;

/** Options of {@link PeerRouter}. */
export interface PeerRouterOptions {
  /** The orchestra that owns the asking workers and asks their peers. */
  orchestra: PeerOrchestra;
  /** The project directory (the permission check's `cwd`). */
  directory: string;
  /** Told about every request, answered or refused, one line each. */
  log?: (line: string) => void;
}

/** Options of one {@link PeerRouter.ask}. */
export interface PeerAskOptions {
  /** Aborts the peer's turn (the asking worker's tool call ended). */
  signal?: AbortSignal;
  /** The peer's progress while it works (as `AskOptions.onProgress`). */
  onProgress?: (progress: AskProgress) => void;
  /** How often `onProgress` is called, in ms (default 5 000). */
  progressIntervalMs?: number;
}

const live = (w: WorkerInfo) => w.status !== "dead" && w.status !== "stopped" && w.status !== "starting";

/**
 * Routes worker-to-worker requests (`ask_peer`) inside one orchestrator. The asking worker is the
 * one the bridge authenticated; its profile must enable `ask_peer`; the depth and the chain come
 * from the requests in flight here (see `DelegationChains`), never from the request. The peer
 * is asked like any ask of the orchestrator, so the peer's own profile governs what it does: the
 * asker gains nothing of the peer's permissions, and the peer nothing of the asker's.
 */
export class PeerRouter {
  readonly chains = new DelegationChains();
  readonly #options: PeerRouterOptions;

  constructor(options: PeerRouterOptions) {
    this.#options = options;
  }

  /**
   * Ask a peer for worker `from`.
   *
   * @throws {PeerError} `JOB_PEER_DENIED` (the asker's profile does not enable `ask_peer`),
   * `JOB_PEER_NOT_FOUND`, `JOB_PEER_INVALID`, `JOB_LOOP`, `JOB_DEPTH_EXCEEDED`; the ask's own
   * errors (`WORKER_ASK_FAILED`, …) and the spawn's as they are.
   */
  async ask(from: string, request: PeerRequest, options: PeerAskOptions = {}): Promise<PeerAnswer> {
    try {
      const answer = await this.#ask(from, request, options);
      this.#options.log?.(
        `ask_peer ${formatChain(answer.chain)}: answered (depth ${answer.depth}, ${answer.text.length} chars)`,
      );
      return answer;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.#options.log?.(
        `ask_peer from ${from} to ${request.worker ?? request.profile}: ${typeof code === "string" ? `${code} ` : ""}${(error as Error).message}`,
      );
      throw error;
    }
  }

  async #ask(from: string, request: PeerRequest, options: PeerAskOptions): Promise<PeerAnswer> {
    const { orchestra } = this.#options;
    const asker = orchestra.workers().find((w) => w.id === from && live(w));
    if (asker === undefined) {
      throw new PeerError(
        "JOB_PEER_NOT_FOUND",
        `the asking worker ${from} is not running in this orchestrator`,
        {
          hints: ["ask_peer works for workers of a running orchestrator"],
        },
      );
    }
    this.#authorize(asker, request);
    const maxDepth = orchestra.config.delegation.maxDepth;
    const { target, spawned } = await this.#target(asker, request, maxDepth, options.signal);
    const chain = this.chains.plan(from, target.id, maxDepth);
    const parent = this.#runningJob(from);
    const leave = this.chains.enter(chain);
    try {
      // A job of the journal like any ask, linked to the job the asking worker runs.
      const answer = await orchestra.ask(target.id, request.message, {
        ...(parent === undefined ? {} : { parentJobId: parent }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.progressIntervalMs === undefined
          ? {}
          : { progressIntervalMs: options.progressIntervalMs }),
      });
      return {
        worker: target.id,
        profile: target.profile,
        depth: chain.length,
        chain: [...chain],
        spawned,
        model: answer.model,
        text: answer.text,
      };
    } finally {
      leave();
    }
  }

  /** The job `workerId` runs now (the newest queued or running one in the journal), if any. */
  #runningJob(workerId: string): string | undefined {
    const running = this.#options.orchestra
      .jobs(workerId)
      .filter((job) => job.status === "running" || job.status === "queued");
    return running.reduce<(typeof running)[number] | undefined>(
      (newest, job) => (newest === undefined || job.startedAt > newest.startedAt ? job : newest),
      undefined,
    )?.id;
  }

  /** The asker's own profile must enable the tool, by the same rules as its `tool.execute.before`. */
  #authorize(asker: WorkerInfo, request: PeerRequest): void {
    const resolved = this.#options.orchestra.profiles.tryResolveProfile(asker.profile);
    const decision = resolved.ok
      ? check(
          fromEffective(resolved.resolved.profile.permissions),
          { tool: ASK_PEER_TOOL, args: request },
          {
            cwd: this.#options.directory,
            home: homedir(),
            platform: process.platform,
            caseInsensitiveFs: false,
          },
        )
      : { decision: "deny" as const, reason: `its profile cannot be resolved: ${resolved.error.message}` };
    if (decision.decision === "deny") {
      throw new PeerError(
        "JOB_PEER_DENIED",
        `worker ${asker.id} (profile ${asker.profile}) may not use ${ASK_PEER_TOOL}: ${decision.reason}`,
        {
          hints: [
            `a profile enables it with permissions.tools.${ASK_PEER_TOOL}.enabled: true; until then, answer from what you have`,
          ],
        },
      );
    }
  }

  /** The named worker, or a worker of the named profile outside the chain (reused, else started). */
  async #target(
    asker: WorkerInfo,
    request: PeerRequest,
    maxDepth: number,
    signal: AbortSignal | undefined,
  ): Promise<{ target: WorkerInfo; spawned: boolean }> {
    const { orchestra } = this.#options;
    const workers = orchestra.workers().filter(live);
    if (request.worker !== undefined) {
      const target = workers.find((w) => w.id === request.worker);
      if (target === undefined) {
        const others = workers.filter((w) => w.id !== asker.id).map((w) => w.id);
        throw new PeerError(
          "JOB_PEER_NOT_FOUND",
          `no running worker "${request.worker}" in this orchestrator${others.length ? ` (running: ${others.join(", ")})` : " (no other worker runs)"}`,
          { hints: ["name a running worker, or give `profile` to reuse or start a worker of that profile"] },
        );
      }
      if (request.profile !== undefined && request.profile !== target.profile) {
        throw new PeerError(
          "JOB_PEER_INVALID",
          `worker ${target.id} runs profile ${target.profile}, not ${request.profile}`,
          { hints: ["give only `worker`, or only `profile`"] },
        );
      }
      return { target, spawned: false };
    }
    const profile = request.profile as string;
    const inChain = new Set(this.chains.chainsOf(asker.id).flat());
    const ofProfile = workers.filter((w) => w.profile === profile);
    const free = ofProfile.filter((w) => !inChain.has(w.id));
    const chosen = free.find((w) => w.status === "ready") ?? free[0];
    if (chosen !== undefined) return { target: chosen, spawned: false };
    // Every worker of the profile is in the chain: planning names the loop.
    const looping = ofProfile[0];
    if (looping !== undefined) this.chains.plan(asker.id, looping.id, maxDepth);
    // None runs: refuse a too-deep request before starting anything, and start only enabled profiles.
    this.chains.plan(asker.id, `(a new ${profile} worker)`, maxDepth);
    const enabled = orchestra.profiles.enabledIds();
    if (!enabled.includes(profile)) {
      throw new PeerError(
        "JOB_PEER_NOT_FOUND",
        `no worker of profile "${profile}" runs, and "${profile}" is not an enabled profile to start one of`,
        { hints: [`enabled profiles: ${enabled.join(", ")}`, "or name a running worker with `worker`"] },
      );
    }
    const target = await orchestra.spawn(profile, signal ? { signal } : {});
    return { target, spawned: true };
  }
}
