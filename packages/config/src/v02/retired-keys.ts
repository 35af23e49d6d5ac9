/**
 * The keys of a v0.2.x `orchestrator.json` that do not exist in v0.3, and what becomes of each.
 * One table, read by the loader (errors that say what to do instead) and by `orchestra migrate`.
 */

/** What happens to a v0.2 key in v0.3. */
export type V02Fate =
  /** The same setting under another name: `orchestra migrate` moves the value to `to`. */
  | "moved"
  /** The value is rewritten (e.g. into `model`); `orchestra migrate` converts it. */
  | "converted"
  /** Nothing in v0.3 reads it: `orchestra migrate` deletes it, and `instead` says what to do. */
  | "removed";

/** One v0.2 key that v0.3 does not accept. */
export interface V02Key {
  /** Where the key sits: object keys, with `*` for each item of an array (`profiles.*.port`). */
  readonly pattern: readonly string[];
  /** What `orchestra migrate` does with it. */
  readonly fate: V02Fate;
  /** For `moved`: the v0.3 path (dotted). */
  readonly to?: string;
  /** For `moved` numbers: the v0.3 bounds; `orchestra migrate` brings a value outside them to the nearest bound. */
  readonly range?: readonly [min: number, max: number];
  /** Why it is gone and what to do instead: the text after "retired in v0.3: ". */
  readonly instead: string;
}

const profileKeys = (key: string, fate: V02Fate, instead: string): [V02Key, V02Key] => [
  { pattern: ["profiles", "*", key], fate, instead },
  { pattern: ["workers", "*", key], fate, instead },
];

/**
 * Every v0.2.3 key that v0.3 does not accept, from v0.2.3's config loader, JSON Schema, types and
 * built-in profiles. Keys whose meaning changed but which v0.3 still accepts (boolean `tools` maps,
 * `node:*` model tags, the merge of `profiles`/`workers` across files) are handled by
 * `orchestra migrate` and the loader's deny-all check, not here.
 */
export const V02_RETIRED_KEYS: readonly V02Key[] = [
  {
    pattern: ["basePort"],
    fate: "removed",
    instead:
      "every worker listens on a free port on 127.0.0.1 that the kernel picks for it, so there is no port range; delete it",
  },
  {
    pattern: ["startupTimeout"],
    fate: "moved",
    to: "spawn.startupTimeoutMs",
    range: [1_000, 600_000],
    instead: "use `spawn.startupTimeoutMs` (milliseconds, 1000 to 600000)",
  },
  {
    pattern: ["healthCheckInterval"],
    fate: "moved",
    to: "healthCheck.intervalMs",
    range: [10_000, 3_600_000],
    instead: "use `healthCheck.intervalMs` (milliseconds, at least 10000)",
  },
  {
    pattern: ["telemetry"],
    fate: "removed",
    instead: "v0.3 sends no telemetry (v0.2's PostHog client is gone); delete it",
  },
  {
    pattern: ["ui", "firstRunDemo"],
    fate: "removed",
    instead: "v0.3 runs no demo at first start; delete it",
  },
  {
    pattern: ["ui", "wakeupInjection"],
    fate: "removed",
    instead:
      "workers do not inject wake-up prompts into the orchestrator's session; collect async answers with `await_worker_job`; delete it",
  },
  {
    pattern: ["agent", "applyToBuild"],
    fate: "removed",
    instead:
      "v0.3 never changes OpenCode's `build` agent; set `agent.build.model` in opencode.json to change its model",
  },
  {
    pattern: ["memory", "autoSpawn"],
    fate: "removed",
    instead:
      'the memory store runs inside the orchestrator, no worker is needed; list `"memory"` in `workers` to start the memory worker',
  },
  {
    pattern: ["memory", "maxChars"],
    fate: "removed",
    instead:
      "v0.3 stores no raw message snippets; `memory.maxValueChars` caps one stored value, `memory.inject.maxChars` the injected text",
  },
  {
    pattern: ["memory", "summaries"],
    fate: "removed",
    instead: "v0.3 records one summary of each finished turn (`memory.autoRecord`); delete it",
  },
  {
    pattern: ["memory", "trim"],
    fate: "removed",
    instead: "v0.3 records turn summaries, not every message, and has no trim limits; delete it",
  },
  ...["includeMessages", "includeSessionSummary", "includeProjectSummary"].map(
    (key): V02Key => ({
      pattern: ["memory", "inject", key],
      fate: "removed",
      instead:
        "v0.3 injects stored memories only; `memory.inject.maxEntries` and `memory.inject.maxChars` bound them",
    }),
  ),
  {
    pattern: ["memory", "inject", "maxGlobalEntries"],
    fate: "removed",
    instead:
      "global memories count towards `memory.inject.maxEntries`; `memory.inject.includeGlobal: false` leaves them out",
  },
  ...profileKeys(
    "providerID",
    "converted",
    "write the provider into `model` as `provider/model` (e.g. `anthropic/claude-sonnet-4-5`)",
  ),
  ...profileKeys(
    "port",
    "removed",
    "every worker listens on a free port on 127.0.0.1 that the kernel picks for it; delete it",
  ),
  ...profileKeys(
    "injectRepoContext",
    "removed",
    "v0.3 injects no repository summary; say what the worker needs in `systemPrompt`",
  ),
];
