import { profileIdSchema } from "@orchestra/profiles";
import { z } from "zod";

/** One profile's spending limit (`budgets.<profile>`). */
const budgetSchema = z
  .strictObject({
    maxCostUsd: z
      .number()
      .positive()
      .max(1_000_000)
      .optional()
      .describe(
        "The most the profile's workers may spend, in USD, over `scope`: a job that goes past it is cancelled (`BUDGET_EXCEEDED`), and an ask that would start with it already reached is refused. Costs are OpenCode's, else computed from the model catalog's prices; a model with unknown prices is a warning in `orchestra doctor` and at spawn.",
      )
      .meta({ "x-default": "no cost limit", examples: [2.5] }),
    maxTokens: z
      .number()
      .int()
      .positive()
      .max(1_000_000_000_000)
      .optional()
      .describe(
        "The most tokens the profile's workers may use over `scope`, counting all five kinds (input, output, reasoning, cache read, cache write); enforced like `maxCostUsd`.",
      )
      .meta({ "x-default": "no token limit", examples: [2_000_000] }),
    scope: z
      .enum(["job", "worker", "session"])
      .default("worker")
      .describe(
        "What the budget is spent over: `job` (each ask on its own), `worker` (everything one worker of the profile spends over its life) or `session` (everything the profile's workers spend for one orchestrator session).",
      )
      .meta({ examples: ["session"] }),
    warnAt: z
      .number()
      .gt(0)
      .max(1)
      .default(0.8)
      .describe(
        "The fraction of the budget at which a warning is given (a toast, an activity-log line and a note in the tool's output), once per scope.",
      )
      .meta({ examples: [0.5] }),
  })
  .refine((b) => b.maxCostUsd !== undefined || b.maxTokens !== undefined, {
    message: "a budget needs maxCostUsd, maxTokens or both",
  })
  .describe("A profile's budget: `maxCostUsd` and/or `maxTokens` over a `scope`, with a warning at `warnAt`.")
  .meta({ examples: [{ maxCostUsd: 2.5, scope: "worker", warnAt: 0.8 }] });

/** Budgets per profile id (`budgets`). */
export const budgetsSchema = z
  .record(profileIdSchema, budgetSchema)
  .default({})
  .describe(
    "Spending limits per profile id: each entry is that profile's `budget`. When spending goes past one during a job, the job is cancelled cleanly (as a cancel would) with `BUDGET_EXCEEDED`; reaching it exactly at a job's end is not past it. See `orchestra usage` for what was spent.",
  )
  .meta({ examples: [{ coder: { maxCostUsd: 2.5 }, researcher: { maxTokens: 500_000, scope: "session" } }] });
