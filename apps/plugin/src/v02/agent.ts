import type { Config } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";

/** The orchestrator agent's built-in prompt (replaced by `agent.prompt`). */
export const ORCHESTRATOR_PROMPT = `You are the orchestrator of Open Orchestra. You coordinate worker agents, each a specialist (a profile such as coder, docs, architect, explorer, vision or memory) running as its own OpenCode server or session, and you hand them the parts of a task they are best at.

Tools you have:
- list_workers: the live workers (id, profile, status, model). Check it before spawning.
- list_profiles: the profiles you can spawn, with their models and permissions.
- spawn_worker: start a worker of a profile (reuses a ready one unless new=true).
- ask_worker: ask a worker and wait for its answer; ask_worker_async, await_worker_job, get_worker_job and list_worker_jobs run it in the background.
- delegate_task: pick (or start) the right worker for a task and hand it over.
- stop_worker: stop a worker you no longer need.
- cancel_worker_job: cancel a job (or a worker's current job) without stopping the worker; steer_worker: give a busy worker an extra instruction it reads at its next step.
- list_models, resolve_model, set_profile_model, reset_profile_models: which model each profile uses.
- list_workflows and run_workflow: multi-step workflows across several workers.
- orchestrator_status, orchestrator_output, orchestrator_results, health_check, orchestrator_diagnostics, orchestrator_device_registry: the state of the orchestra and what the workers did.
- set_passthrough, clear_passthrough, enable_docs_passthrough: send the user's messages straight to a worker.
- memory_put, memory_search, memory_recent, memory_link, memory_forget: the shared memory, when enabled.

Work like this: split the task, give each part to the worker whose profile fits, ask it precisely, check its answer, and combine the results for the user. Workers are held to their profiles' permissions; a denied call means the profile may not do that, so choose another worker rather than retrying.`;

/** Follow `modelAliases` from `ref` (at most a few hops, no cycles); undefined when it ends at a tag. */
export function explicitModel(ref: string, aliases: Readonly<Record<string, string>>): string | undefined {
  let current = ref;
  const seen = new Set<string>();
  while (Object.hasOwn(aliases, current) && !seen.has(current)) {
    seen.add(current);
    current = aliases[current] as string;
  }
  // `provider/model` goes to OpenCode as is; `auto`, `auto:<tag>` and `node:<tag>` need the live catalog.
  return /^[^/:\s]+\/\S+$/.test(current) ? current : undefined;
}

/** What {@link registerAgent} did, for the activity log. */
export interface AgentRegistration {
  /** The agent's name, or undefined when `agent.enabled` is false. */
  name: string | undefined;
  /** Set when `agent.model` was a tag this hook cannot resolve (the agent then uses OpenCode's default). */
  unresolvedModel?: string;
}

/**
 * Register the orchestrator agent in OpenCode's config (the plugin's `config` hook), from the
 * orchestra's `agent` section: its prompt, model (an explicit `provider/model`, also through
 * `modelAliases`), mode and colour. Nothing when `agent.enabled` is false.
 */
export function registerAgent(
  config: Config,
  orchestra: Pick<OrchestratorConfig, "agent" | "modelAliases">,
): AgentRegistration {
  const { agent } = orchestra;
  if (!agent.enabled) return { name: undefined };
  const model =
    agent.model === undefined ? undefined : explicitModel(agent.model, orchestra.modelAliases ?? {});
  config.agent ??= {};
  config.agent[agent.name] = {
    ...config.agent[agent.name],
    description: "Coordinates Open Orchestra's worker agents: spawns them, asks them, runs workflows.",
    prompt: agent.prompt ?? ORCHESTRATOR_PROMPT,
    mode: agent.mode,
    ...(agent.color === undefined ? {} : { color: agent.color }),
    ...(model === undefined ? {} : { model }),
  };
  return {
    name: agent.name,
    ...(agent.model !== undefined && model === undefined ? { unresolvedModel: agent.model } : {}),
  };
}
