/** Workflows and the security limits over them. */
import { profileIdSchema } from "@orchestra/profiles";
import { z } from "zod";
import { ms } from "./schema-primitives.js";

const workflowLimits = {
  maxSteps: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(4)
    .describe("Most steps in one run.")
    .meta({ examples: [6] }),
  maxTaskChars: z
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(12_000)
    .describe("Longest task text, in characters.")
    .meta({ examples: [20_000] }),
  maxCarryChars: z
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(24_000)
    .describe("Longest text carried from one step to the next, in characters.")
    .meta({ examples: [30_000] }),
  perStepTimeoutMs: ms(1_000, 3_600_000)
    .default(120_000)
    .describe("Timeout of one step, in milliseconds.")
    .meta({ examples: [300_000] }),
};

const workflowStepSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, "lower-case letters, digits and dashes, starting with a letter")
      .describe("Step id.")
      .meta({ examples: ["plan"] }),
    title: z
      .string()
      .max(200)
      .optional()
      .describe("Step title.")
      .meta({ "x-default": "the id", examples: ["Plan"] }),
    workerId: profileIdSchema
      .optional()
      .meta({ "x-default": "chosen by discovery", examples: ["architect"] }),
    prompt: z
      .string()
      .max(50_000)
      .optional()
      .describe("Prompt template; `{task}` and `{carry}` are replaced.")
      .meta({ "x-default": "the built-in step prompt", examples: ["Plan: {task}"] }),
    carry: z
      .boolean()
      .optional()
      .describe("Pass this step's output to the next step.")
      .meta({ "x-default": true, examples: [false] }),
  })
  .describe("One workflow step.");

export const workflowsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Enable `run_workflow`.")
      .meta({ examples: [false] }),
    roocodeBoomerang: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe("Enable the built-in boomerang workflow.")
          .meta({ examples: [false] }),
        steps: z
          .array(workflowStepSchema)
          .max(50)
          .optional()
          .describe("Replaces the built-in steps.")
          .meta({
            "x-default": "plan → implement → review",
            examples: [[{ id: "plan", workerId: "architect" }]],
          }),
        ...workflowLimits,
      })
      .prefault({})
      .describe("The boomerang workflow: plan, implement, review.")
      .meta({ examples: [{ maxSteps: 3 }] }),
  })
  .prefault({})
  .describe("Multi-step workflows run by `run_workflow`.")
  .meta({ examples: [{ enabled: false }] });

export const securitySchema = z
  .strictObject({
    workflows: z
      .strictObject(workflowLimits)
      .prefault({})
      .describe("Hard limits on every workflow, whatever the workflow's own settings say.")
      .meta({ examples: [{ maxSteps: 3 }] }),
  })
  .prefault({})
  .describe("Limits that config of individual features cannot raise.")
  .meta({ examples: [{ workflows: { maxSteps: 3 } }] });
