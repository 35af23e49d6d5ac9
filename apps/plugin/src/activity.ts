/** One line of orchestrator activity (spawns, asks, deaths), for `orchestrator_output`. */
export interface ActivityEntry {
  at: number;
  kind:
    | "spawn"
    | "ask"
    | "stop"
    | "dead"
    | "job"
    | "workflow"
    | "passthrough"
    | "vision"
    | "deny"
    | "info"
    | "warn"
    | "memory";
  message: string;
}

/** A finished ask, for `orchestrator_results`. */
export interface ResultEntry {
  at: number;
  workerId: string;
  prompt: string;
  text: string;
  durationMs: number;
}

/** Bounded in-memory logs of what the orchestrator did. */
export class Activity {
  readonly #entries: ActivityEntry[] = [];
  readonly #results: ResultEntry[] = [];
  readonly #limit: number;

  constructor(limit = 200) {
    this.#limit = limit;
  }

  log(kind: ActivityEntry["kind"], message: string): void {
    this.#entries.push({ at: Date.now(), kind, message });
    if (this.#entries.length > this.#limit) this.#entries.shift();
  }

  result(entry: Omit<ResultEntry, "at">): void {
    this.#results.push({ at: Date.now(), ...entry });
    if (this.#results.length > this.#limit) this.#results.shift();
  }

  /** The last `n` entries, oldest first. */
  recent(n: number): ActivityEntry[] {
    return this.#entries.slice(-n);
  }

  /** The last `n` results, newest first, optionally of one worker. */
  results(n: number, workerId?: string): ResultEntry[] {
    return this.#results
      .filter((r) => workerId === undefined || r.workerId === workerId)
      .slice(-n)
      .reverse();
  }
}
