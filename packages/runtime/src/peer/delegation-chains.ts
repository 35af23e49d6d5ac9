import { PeerError } from "./peer-error.js";

/**
 * The chain of asks a worker answers: worker ids from the one the orchestrator asked (depth 1) to
 * the worker answering now (depth = length).
 */
export type DelegationChain = readonly string[];

/** `a → b → c`. */
export function formatChain(chain: DelegationChain): string {
  return chain.join(" → ");
}

/**
 * The chains of the worker-to-worker requests in flight, kept by the orchestrator. A worker that
 * answers none of them was asked by the orchestrator itself (or by the CLI): its chain is just
 * itself, depth 1. Nothing here comes from the worker: the asking worker is the one the bridge
 * authenticated, and its depth is that of the requests it is answering.
 */
export class DelegationChains {
  readonly #active = new Map<string, Map<symbol, DelegationChain>>();

  /** The chains `workerId` answers now: those of the peer requests it runs, else `[[workerId]]`. */
  chainsOf(workerId: string): DelegationChain[] {
    const active = this.#active.get(workerId);
    return active && active.size > 0 ? [...active.values()] : [[workerId]];
  }

  /**
   * The chain of a request from `from` to `to`: the deepest chain `from` answers, plus `to`.
   * When `from` answers several requests at once, every one of their chains counts for loops.
   *
   * @throws {PeerError} `JOB_LOOP` when `to` is in a chain `from` answers (itself included);
   * `JOB_DEPTH_EXCEEDED` when the new chain is longer than `maxDepth`.
   */
  plan(from: string, to: string, maxDepth: number): DelegationChain {
    const chains = this.chainsOf(from);
    const looping = chains.find((chain) => chain.includes(to));
    if (looping !== undefined) {
      const loop = formatChain([...looping, to]);
      throw new PeerError(
        "JOB_LOOP",
        to === from
          ? `worker ${from} asked itself (${loop}); a worker cannot be its own peer`
          : `asking ${to} would loop: ${loop}; ${to} is already waiting for this answer`,
        {
          hints: [
            "answer from what you have, or ask a worker that is not in the chain",
            "only the orchestrator can ask a worker in the chain again, once this request has ended",
          ],
        },
      );
    }
    const deepest = chains.reduce((a, b) => (b.length > a.length ? b : a));
    const chain = [...deepest, to];
    if (chain.length > maxDepth) {
      throw new PeerError(
        "JOB_DEPTH_EXCEEDED",
        `asking ${to} would be depth ${chain.length} (${formatChain(chain)}), deeper than delegation.maxDepth ${maxDepth}`,
        {
          hints: [
            "answer from what you have, or say what you need and let the orchestrator ask for it",
            `the user can raise delegation.maxDepth in orchestrator.json (now ${maxDepth})`,
          ],
        },
      );
    }
    return chain;
  }

  /** Record that the last worker of `chain` answers it, until the returned function is called. */
  enter(chain: DelegationChain): () => void {
    const worker = chain.at(-1);
    if (worker === undefined) return () => undefined;
    const key = Symbol(worker);
    const active = this.#active.get(worker) ?? new Map<symbol, DelegationChain>();
    active.set(key, chain);
    this.#active.set(worker, active);
    return () => {
      active.delete(key);
      if (active.size === 0 && this.#active.get(worker) === active) this.#active.delete(worker);
    };
  }
}
