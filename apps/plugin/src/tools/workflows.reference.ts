import type { ToolReferences } from "./reference.js";

/** Reference entries of the workflow tools (workflows.ts). */
export const WORKFLOW_TOOL_REFERENCE: ToolReferences = {
  list_workflows: {
    category: "workflows",
    returns:
      "{ id: string; description: string; enabled: boolean; enabledKey: string; customSteps: boolean; steps: { id: string; title: string; profile?: string; prompt: string }[]; limits: Record<string, { value: number; key: string }> }[]. Text: per workflow its steps, profiles and limits.",
    example: {
      args: {},
      output: [
        "roocode-boomerang: Plan with the architect, implement with the coder, review with the architect; each step's output is carried into the next.",
        "  steps:",
        "  1. plan (Plan) → architect",
        "  2. implement (Implement) → coder",
        "  3. review (Review) → architect",
        "  limits: maxSteps 4, maxTaskChars 12000, maxCarryChars 24000, perStepTimeoutMs 120000",
        '  run: run_workflow workflow=roocode-boomerang task="..."',
      ].join("\n"),
    },
    errors: {},
  },
  run_workflow: {
    category: "workflows",
    returns:
      "{ workflow: string; durationMs: number; steps: { id: string; title: string; workerId: string; profile: string; prompt: string; output: string; durationMs: number }[] }. Text: a heading per step with its worker and answer.",
    example: {
      args: { workflow: "roocode-boomerang", task: "Add a --verbose flag." },
      output: [
        "Workflow roocode-boomerang: 3 step(s) in 4.2 s",
        "",
        "## 1. Plan — architect (architect, 1.3 s)",
        "Done.",
        "",
        "## 2. Implement — coder (coder, 1.9 s)",
        "Done.",
        "",
        "## 3. Review — architect (architect, 1.0 s)",
        "Done.",
      ].join("\n"),
    },
    errors: {
      PLUGIN_WORKFLOW_NOT_FOUND: "no workflow has that id",
      PLUGIN_WORKFLOW_DISABLED: "the workflow is disabled in the config",
      PLUGIN_WORKFLOW_LIMIT: "the task or a step's carried text passes a limit",
      PLUGIN_WORKFLOW_STEP_FAILED: "a step's worker failed (its code leads the message)",
    },
  },
};
