import type { Hooks } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";
import type { WorkerInfo } from "@orchestra/runtime";

/** The header of the injected worker list. */
export const WORKERS_CONTEXT_HEADER = "## Orchestra workers (live)";

/** The hook OpenCode calls to build each model request's system prompt. */
type SystemTransform = NonNullable<Hooks["experimental.chat.system.transform"]>;

/**
 * The short live list of workers for the orchestrator's system prompt: one line per worker
 * (id, profile, model, status), at most `max` of them, then "and N more".
 */
export function workersContext(workers: readonly WorkerInfo[], max: number): string {
  if (workers.length === 0)
    return `${WORKERS_CONTEXT_HEADER}\nNo workers are running. Start one with spawn_worker (see list_profiles).`;
  const shown = workers
    .slice(0, max)
    .map((w) => `- ${w.id}: profile ${w.profile}, model ${w.model}, ${w.status}`);
  const rest = workers.length - shown.length;
  return [
    WORKERS_CONTEXT_HEADER,
    ...shown,
    ...(rest > 0 ? [`- and ${rest} more (list_workers shows all)`] : []),
  ].join("\n");
}

/** What {@link workersContextHook} reads. */
export interface WorkersContextDeps {
  /** `ui.injectSystemContext` and `ui.systemContextMaxWorkers`. */
  readonly ui: Pick<OrchestratorConfig["ui"], "injectSystemContext" | "systemContextMaxWorkers">;
  /** The orchestra's workers, read at each request (live). */
  readonly workers: () => WorkerInfo[];
  /** True for a worker's session (and its child sessions): those never get the list. */
  readonly isWorkerSession: (sessionID: string) => boolean;
}

/**
 * `ui.injectSystemContext`: appends the live worker list to the system prompt of the user's own
 * sessions (never a worker's). `undefined` when the option is off.
 */
export function workersContextHook(deps: WorkersContextDeps): SystemTransform | undefined {
  if (!deps.ui.injectSystemContext) return undefined;
  return async (input, output) => {
    if (input.sessionID !== undefined && deps.isWorkerSession(input.sessionID)) return;
    output.system.push(workersContext(deps.workers(), deps.ui.systemContextMaxWorkers));
  };
}

/** Several system-prompt transforms run in order on the same request (`undefined` ones skipped). */
export function composeSystemTransforms(...transforms: (SystemTransform | undefined)[]): SystemTransform {
  const present = transforms.filter((t): t is SystemTransform => t !== undefined);
  return async (input, output) => {
    for (const transform of present) await transform(input, output);
  };
}
