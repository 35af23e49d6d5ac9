import type { OrchestratorConfig } from "@orchestra/config";
import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link WorkflowError}. */
type WorkflowErrorCode =
  /** No workflow of that id. */
  | "PLUGIN_WORKFLOW_NOT_FOUND"
  /** Workflows, or this workflow, are turned off in the config. */
  | "PLUGIN_WORKFLOW_DISABLED"
  /** The run would exceed a limit (steps, task or carry length). */
  | "PLUGIN_WORKFLOW_LIMIT"
  /** A step failed: no worker for it, or the worker did not answer in time. */
  | "PLUGIN_WORKFLOW_STEP_FAILED";

/** An error of `list_workflows` / `run_workflow`; `code` is stable, `hints` say what to do next. */
class WorkflowError extends OrchestraError<WorkflowErrorCode> {
  static override readonly marker = errorMarker("WorkflowError");
  /** True for a WorkflowError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is WorkflowError {
    return OrchestraError.hasMarker(value, WorkflowError.marker);
  }
}

/** The id of the built-in plan → implement → review workflow. */
export const BOOMERANG_ID = "roocode-boomerang";

/** The config key of the boomerang workflow, as users write it in `orchestrator.json`. */
const BOOMERANG_KEY = "workflows.roocodeBoomerang";

/** One step of a workflow, with its defaults filled in. */
interface WorkflowStep {
  /** Step id, e.g. `plan`. */
  id: string;
  /** Human title, e.g. `Plan`. */
  title: string;
  /** The profile that runs the step; `undefined`: chosen by discovery from the step and the task. */
  profile: string | undefined;
  /** Prompt template; `{task}` and `{carry}` are replaced. */
  prompt: string;
  /** Pass this step's output to the later steps (in `{carry}`). */
  carry: boolean;
}

/** The names of the limits a run is held to. */
export type WorkflowLimitName = "maxSteps" | "maxTaskChars" | "maxCarryChars" | "perStepTimeoutMs";

/** One effective limit: the smaller of the workflow's setting and the security hard limit. */
export interface WorkflowLimit {
  value: number;
  /** The config key that sets `value` (the smaller one; the workflow's key on a tie). */
  key: string;
  /** The workflow's own setting and key. */
  workflow: { value: number; key: string };
  /** The `security.workflows` hard limit and key. */
  security: { value: number; key: string };
}

/** A workflow as `list_workflows` shows it and `run_workflow` runs it. */
export interface WorkflowDefinition {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  /** The config key that turns the workflow on and off. */
  enabledKey: string;
  /** True when the steps come from the config rather than the built-in ones. */
  customSteps: boolean;
  steps: WorkflowStep[];
  limits: Record<WorkflowLimitName, WorkflowLimit>;
}

/** The built-in steps of the boomerang workflow. */
const BOOMERANG_STEPS: readonly WorkflowStep[] = [
  {
    id: "plan",
    title: "Plan",
    profile: "architect",
    carry: true,
    prompt: [
      "Plan the task below; do not write the code yourself.",
      "Break it into short numbered steps, naming the files, interfaces and tests involved, and the risks to watch.",
      "",
      "Task:",
      "{task}",
    ].join("\n"),
  },
  {
    id: "implement",
    title: "Implement",
    profile: "coder",
    carry: true,
    prompt: [
      "Implement the task below, following the plan. Keep the project building and its tests passing.",
      "Finish with what you changed (files, functions, tests) and anything you left undone.",
      "",
      "Task:",
      "{task}",
      "",
      "Earlier steps:",
      "{carry}",
    ].join("\n"),
  },
  {
    id: "review",
    title: "Review",
    profile: "architect",
    carry: false,
    prompt: [
      "Review the implementation of the task below against its plan: correctness, security, tests and design.",
      "List concrete problems with the fix for each, most serious first, and end with a verdict: approve, or changes needed.",
      "",
      "Task:",
      "{task}",
      "",
      "Earlier steps:",
      "{carry}",
    ].join("\n"),
  },
];

const LIMIT_NAMES: readonly WorkflowLimitName[] = [
  "maxSteps",
  "maxTaskChars",
  "maxCarryChars",
  "perStepTimeoutMs",
];

/** The effective limits: min(workflow setting, `security.workflows` hard limit), per limit. */
export function effectiveLimits(
  own: Readonly<Record<WorkflowLimitName, number>>,
  ownKey: string,
  security: Readonly<Record<WorkflowLimitName, number>>,
): Record<WorkflowLimitName, WorkflowLimit> {
  const out = {} as Record<WorkflowLimitName, WorkflowLimit>;
  for (const name of LIMIT_NAMES) {
    const workflow = { value: own[name], key: `${ownKey}.${name}` };
    const hard = { value: security[name], key: `security.workflows.${name}` };
    const binding = hard.value < workflow.value ? hard : workflow;
    out[name] = { value: binding.value, key: binding.key, workflow, security: hard };
  }
  return out;
}

/** The workflows this config defines (today: the built-in boomerang), with effective limits. */
export function workflowDefinitions(config: OrchestratorConfig): WorkflowDefinition[] {
  const boomerang = config.workflows.roocodeBoomerang;
  const configured = boomerang.steps;
  const steps: WorkflowStep[] =
    configured === undefined
      ? BOOMERANG_STEPS.map((s) => ({ ...s }))
      : configured.map((s, i) => {
          const builtin = BOOMERANG_STEPS.find((b) => b.id === s.id);
          return {
            id: s.id,
            title: s.title ?? builtin?.title ?? s.id,
            profile: s.workerId ?? builtin?.profile,
            prompt: s.prompt ?? builtin?.prompt ?? "{task}\n\nEarlier steps:\n{carry}",
            carry: s.carry ?? i < configured.length - 1,
          };
        });
  return [
    {
      id: BOOMERANG_ID,
      name: "RooCode boomerang",
      description:
        "Plan with the architect, implement with the coder, review with the architect; each step's output is carried into the next.",
      enabled: config.workflows.enabled && boomerang.enabled,
      enabledKey: config.workflows.enabled ? `${BOOMERANG_KEY}.enabled` : "workflows.enabled",
      customSteps: configured !== undefined,
      steps,
      limits: effectiveLimits(boomerang, BOOMERANG_KEY, config.security.workflows),
    },
  ];
}

/** Find a workflow by id (case-insensitive), or fail naming the ones that exist. */
export function findWorkflow(config: OrchestratorConfig, id: string): WorkflowDefinition {
  const all = workflowDefinitions(config);
  const found = all.find((w) => w.id === id.trim().toLowerCase());
  if (!found)
    throw new WorkflowError(
      "PLUGIN_WORKFLOW_NOT_FOUND",
      `no workflow "${id}"; workflows: ${all.map((w) => w.id).join(", ")}`,
      { hints: ["list them with list_workflows"] },
    );
  return found;
}

/**
 * Fill a step's prompt template: `{task}` and `{carry}` are replaced in one pass, so text
 * inside the task that looks like a placeholder is left alone.
 */
export function renderPrompt(template: string, task: string, carry: string): string {
  return template.replace(/\{(task|carry)\}/g, (_, name: string) =>
    name === "task" ? task : carry || "(nothing yet: this is the first step)",
  );
}

function limitError(limit: WorkflowLimit, name: WorkflowLimitName, what: string, extra: string[] = []) {
  const other = limit.key === limit.workflow.key ? limit.security : limit.workflow;
  return new WorkflowError(
    "PLUGIN_WORKFLOW_LIMIT",
    `${what}, over the ${name} limit of ${limit.value} (${limit.key}; ${other.key} is ${other.value})`,
    {
      hints: [
        ...extra,
        `or raise ${limit.key} in orchestrator.json${limit.key === limit.workflow.key ? "" : ` (the hard limit; ${limit.workflow.key} cannot exceed it)`}`,
      ],
    },
  );
}

/** Check a run against the limits that can be known before it starts. */
function checkRun(workflow: WorkflowDefinition, task: string): void {
  if (!workflow.enabled)
    throw new WorkflowError("PLUGIN_WORKFLOW_DISABLED", `workflow ${workflow.id} is turned off`, {
      hints: [`set ${workflow.enabledKey} to true in orchestrator.json`],
    });
  const { maxSteps, maxTaskChars } = workflow.limits;
  if (workflow.steps.length === 0)
    throw new WorkflowError("PLUGIN_WORKFLOW_STEP_FAILED", `workflow ${workflow.id} has no steps`, {
      hints: ["give workflows.roocodeBoomerang.steps at least one step, or remove it for the built-in ones"],
    });
  if (workflow.steps.length > maxSteps.value)
    throw limitError(maxSteps, "maxSteps", `workflow ${workflow.id} has ${workflow.steps.length} steps`, [
      "remove steps from workflows.roocodeBoomerang.steps",
    ]);
  if (task.length > maxTaskChars.value)
    throw limitError(maxTaskChars, "maxTaskChars", `the task is ${task.length} characters long`, [
      "shorten the task (put long material in a file and name the file)",
    ]);
}

/** A worker as a workflow step uses it. */
export interface StepWorker {
  readonly id: string;
  ask(
    message: string,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<{ text: string; durationMs: number }>;
}

/** What a workflow run needs from the orchestrator (the `Orchestrator` satisfies it). */
export interface WorkflowHost {
  spawn(profileId: string, options?: { signal?: AbortSignal }): Promise<StepWorker>;
  suggest(task: string, limit?: number): { profile: { id: string } }[];
}

/** One finished step. */
interface StepResult {
  id: string;
  title: string;
  profile: string;
  workerId: string;
  /** The prompt the worker got. */
  prompt: string;
  output: string;
  durationMs: number;
  /** Whether the output went into `{carry}` of the later steps. */
  carried: boolean;
}

/** A finished run, as `run_workflow` returns it. */
export interface WorkflowRun {
  workflow: string;
  task: string;
  steps: StepResult[];
  durationMs: number;
}

/** Options of {@link runWorkflow}. */
export interface RunWorkflowOptions {
  signal?: AbortSignal;
  /** Called as each step starts and ends (for progress titles). */
  onStep?: (event: { index: number; total: number; step: WorkflowStep; phase: "start" | "done" }) => void;
  /** Called with each finished step. */
  onResult?: (result: StepResult) => void;
}

function stepsSoFar(results: readonly StepResult[]): string {
  return results.length === 0
    ? "no step finished"
    : `finished: ${results.map((r) => `${r.id} (${r.workerId})`).join(", ")}`;
}

/**
 * Run a workflow: its steps in order, each on a worker of its profile (reused or spawned), each
 * prompt filled with the task and the carried output of the earlier steps.
 * @throws {WorkflowError} `PLUGIN_WORKFLOW_LIMIT`, `PLUGIN_WORKFLOW_DISABLED` or `PLUGIN_WORKFLOW_STEP_FAILED`.
 */
export async function runWorkflow(
  host: WorkflowHost,
  workflow: WorkflowDefinition,
  task: string,
  options: RunWorkflowOptions = {},
): Promise<WorkflowRun> {
  checkRun(workflow, task);
  const started = performance.now();
  const { maxCarryChars, perStepTimeoutMs } = workflow.limits;
  const results: StepResult[] = [];
  let carry = "";
  for (const [index, step] of workflow.steps.entries()) {
    const total = workflow.steps.length;
    options.onStep?.({ index, total, step, phase: "start" });
    const prompt = renderPrompt(step.prompt, task, carry);
    const profile = step.profile ?? host.suggest(`${step.title}: ${task}`, 1)[0]?.profile.id;
    if (profile === undefined)
      throw new WorkflowError(
        "PLUGIN_WORKFLOW_STEP_FAILED",
        `step ${step.id}: no profile fits it (${stepsSoFar(results)})`,
        { hints: [`name one with workerId in ${BOOMERANG_KEY}.steps; list_profiles shows them`] },
      );
    let worker: StepWorker;
    let answer: { text: string; durationMs: number };
    try {
      worker = await host.spawn(profile, options.signal ? { signal: options.signal } : {});
      answer = await worker.ask(prompt, {
        timeoutMs: perStepTimeoutMs.value,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      const detail = OrchestraError.isInstance(error) ? error.describe() : String(error);
      const timedOut = /timed out after/.test(detail);
      throw new WorkflowError(
        "PLUGIN_WORKFLOW_STEP_FAILED",
        `step ${step.id} on ${profile} failed (${stepsSoFar(results)}): ${detail}`,
        {
          cause: error,
          hints: timedOut
            ? [
                `each step may take ${perStepTimeoutMs.value} ms (perStepTimeoutMs, set by ${perStepTimeoutMs.key}); raise it or split the task`,
              ]
            : ["check the worker with list_workers or health_check, then run the workflow again"],
        },
      );
    }
    const result: StepResult = {
      id: step.id,
      title: step.title,
      profile,
      workerId: worker.id,
      prompt,
      output: answer.text,
      durationMs: answer.durationMs,
      carried: step.carry && index < total - 1,
    };
    results.push(result);
    options.onResult?.(result);
    options.onStep?.({ index, total, step, phase: "done" });
    if (result.carried) {
      const section = `## ${step.title} (${worker.id})\n${answer.text || "(no text)"}`;
      const next = carry ? `${carry}\n\n${section}` : section;
      if (next.length > maxCarryChars.value)
        throw limitError(
          maxCarryChars,
          "maxCarryChars",
          `after step ${step.id} the carried text is ${next.length} characters (${stepsSoFar(results)})`,
          ["ask for shorter answers in the step prompts, or set carry: false on a step"],
        );
      carry = next;
    }
  }
  return { workflow: workflow.id, task, steps: results, durationMs: performance.now() - started };
}

/** A run as readable text: a header, then each step's worker, time and output. */
export function formatRun(run: WorkflowRun): string {
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const head = `Workflow ${run.workflow}: ${run.steps.length} step(s) in ${secs(run.durationMs)}`;
  const steps = run.steps.map(
    (s, i) =>
      `## ${i + 1}. ${s.title} — ${s.workerId} (${s.profile}, ${secs(s.durationMs)})\n${s.output || "(no text)"}`,
  );
  return [head, ...steps].join("\n\n");
}

/** The `list_workflows` text: each workflow, its steps and its effective limits. */
export function formatWorkflows(workflows: readonly WorkflowDefinition[]): string {
  return workflows
    .map((w) => {
      const steps = w.steps
        .map((s, i) => `  ${i + 1}. ${s.id} (${s.title}) → ${s.profile ?? "chosen by discovery"}`)
        .join("\n");
      const limits = LIMIT_NAMES.map((n) => `${n} ${w.limits[n].value}`).join(", ");
      return [
        `${w.id}${w.enabled ? "" : ` (disabled: ${w.enabledKey} is false)`}: ${w.description}`,
        `  steps${w.customSteps ? " (from workflows.roocodeBoomerang.steps)" : ""}:`,
        steps,
        `  limits: ${limits}`,
        `  run: run_workflow workflow=${w.id} task="..."`,
      ].join("\n");
    })
    .join("\n\n");
}
