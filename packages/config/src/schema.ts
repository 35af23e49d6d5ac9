import { modelRefSchema, profileEntrySchema } from "@orchestra/profiles";
import { z } from "zod";
import { budgetsSchema } from "./schema-budgets.js";
import { delegationSchema } from "./schema-delegation.js";
import { memorySchema } from "./schema-memory.js";
import { capabilityOverrideSchema, modelSelectionSchema } from "./schema-models.js";
import { agentSchema, commandsSchema, notificationsSchema, pruningSchema, uiSchema } from "./schema-ui.js";
import { healthCheckSchema, spawnSchema, warmPoolSchema } from "./schema-workers.js";
import { securitySchema, workflowsSchema } from "./schema-workflows.js";

// The one hand-edited source of the orchestrator config. Everything else — the committed JSON
// Schema, the TypeScript declaration of the file format, and the docs-site configuration
// reference — is generated from this file by `pnpm generate`, and a test fails when they drift.
// Rules kept here (and in the section files schema-*.ts): every key has a description, a default
// (`.default()` on leaves, `.prefault({})` on objects so leaf defaults are not repeated, or a `meta.default`
// note), an example, and bounds.

/**
 * The zod schema of `orchestrator.json` (v0.3): the single source of truth for the config.
 * Parsing fills every default; `z.input` is the file format, `z.output` the effective config.
 */
export const orchestratorConfigSchema = z
  .strictObject({
    $schema: z
      .string()
      .max(4096)
      .optional()
      .describe("Path or URL of this JSON Schema, for editor completion.")
      .meta({
        "x-default": "unset",
        examples: ["./node_modules/@orchestra/config/schema.json"],
      }),
    autoSpawn: z
      .boolean()
      .default(true)
      .describe(
        "Spawn the profiles in `workers` when the orchestrator starts: in the background (OpenCode's start never waits for them), one after another, with progress in the activity log. A profile that already has a worker is not spawned again.",
      )
      .meta({ examples: [false] }),
    profiles: z
      .array(profileEntrySchema)
      .max(200)
      .default([])
      .describe(
        "Profiles available to spawn, added to or overriding the built-ins. A string enables a built-in id; an object defines or overrides one. Merged by id across files.",
      )
      .meta({
        examples: [
          [{ id: "safe-coder", extends: "coder", permissions: { categories: { execution: "sandboxed" } } }],
        ],
      }),
    workers: z
      .array(profileEntrySchema)
      .max(32)
      .default([])
      .describe(
        "Profiles to spawn when the orchestrator starts (see `autoSpawn`): ids, or profile objects that define a profile as a `profiles` entry does. Merged by id across files.",
      )
      .meta({ examples: [["vision", "coder"]] }),
    spawn: spawnSchema,
    delegation: delegationSchema,
    healthCheck: healthCheckSchema,
    warmPool: warmPoolSchema,
    modelSelection: modelSelectionSchema,
    budgets: budgetsSchema,
    modelAliases: z
      .record(
        z
          .string()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
            "letters, digits, dots, dashes and underscores, starting with a letter or digit",
          ),
        modelRefSchema,
      )
      .default({})
      .describe("Short names for model references. An alias may point at another alias; cycles are errors.")
      .meta({ examples: [{ sonnet: "anthropic/claude-sonnet-4-20250514", gpt4: "openai/gpt-4o" }] }),
    capabilityOverrides: z
      .record(
        z
          .string()
          .regex(/^[^/\s]+\/\S+$/, "provider/model, e.g. ollama/llava:13b")
          .max(300),
        capabilityOverrideSchema,
      )
      .default({})
      .describe(
        "Corrections to model capabilities, keyed by `provider/model`. They have the highest precedence (over catalog metadata, provider queries and name inference) and every answer records `override` as the source of the fields they set.",
      )
      .meta({ examples: [{ "ollama/llava:13b": { vision: true, toolCall: false, contextWindow: 32_768 } }] }),
    ui: uiSchema,
    notifications: notificationsSchema,
    agent: agentSchema,
    commands: commandsSchema,
    pruning: pruningSchema,
    workflows: workflowsSchema,
    security: securitySchema,
    memory: memorySchema,
  })
  .describe("Open Orchestra orchestrator configuration (orchestrator.json), v0.3.")
  .meta({ title: "Open Orchestra orchestrator config" });

/** The effective configuration, with every default filled in. */
export type OrchestratorConfig = z.output<typeof orchestratorConfigSchema>;
/** What a config file may contain (every key optional). */
export type OrchestratorConfigInput = z.input<typeof orchestratorConfigSchema>;
