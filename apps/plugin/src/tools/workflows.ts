import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import {
  findWorkflow,
  formatRun,
  formatWorkflows,
  runWorkflow,
  type WorkflowHost,
  workflowDefinitions,
} from "../workflows.js";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

/** The workflow tools: `list_workflows` and `run_workflow`. */
export function workflowTools(orchestra: Orchestra, activity: Activity): Record<string, ToolDefinition> {
  // Each step's worker, asked through the orchestra by id.
  const host: WorkflowHost = {
    spawn: async (profile, options) => {
      const { id } = await orchestra.spawn(profile, options);
      return { id, ask: (message, askOptions) => orchestra.ask(id, message, askOptions) };
    },
    suggest: (task, limit) => orchestra.suggest(task, limit),
  };
  return {
    list_workflows: tool({
      description:
        "List the multi-step workflows run_workflow can run (e.g. roocode-boomerang: plan → implement → review), with their steps, worker profiles and limits. Use before run_workflow, or when a task needs several specialists in sequence.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const workflows = workflowDefinitions(orchestra.config);
          return respond(args.format, workflows, () => formatWorkflows(workflows));
        }),
    }),

    run_workflow: tool({
      description:
        "Run a multi-step workflow on a task and return each step's answer. Use for a change that deserves a plan, an implementation and a review by different workers (workflow roocode-boomerang), instead of asking the workers one by one. Takes minutes: every step waits for its worker.",
      args: {
        workflow: z.string().min(1).describe("Workflow id from list_workflows, e.g. roocode-boomerang."),
        task: z.string().min(1).describe("The task, in full: what to build or change, and why."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const workflow = findWorkflow(orchestra.config, args.workflow);
          ctx.metadata({ title: `${workflow.id}: starting (${workflow.steps.length} steps)` });
          const run = await runWorkflow(host, workflow, args.task, {
            signal: ctx.abort,
            onStep: ({ index, total, step, phase }) =>
              ctx.metadata({
                title: `${workflow.id} step ${index + 1}/${total} ${step.id}: ${phase === "start" ? `asking ${step.profile ?? "a worker"}` : "done"}`,
                metadata: { workflow: workflow.id, step: step.id, index, total, phase },
              }),
            onResult: (result) => {
              activity.log("workflow", `${workflow.id} ${result.id} answered by ${result.workerId}`);
              activity.result({
                workerId: result.workerId,
                prompt: result.prompt,
                text: result.output,
                durationMs: result.durationMs,
              });
            },
          });
          activity.log("workflow", `${workflow.id} finished: ${run.steps.length} steps`);
          return respond(args.format, run, () => formatRun(run));
        }),
    }),
  };
}
