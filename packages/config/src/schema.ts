import { modelRefSchema, profileEntrySchema, profileIdSchema } from "@orchestra/profiles";
import { z } from "zod";

// The one hand-edited source of the orchestrator config. Everything else — the committed JSON
// Schema, the TypeScript declaration of the file format, and the docs-site configuration
// reference — is generated from this file by `pnpm generate`, and a test fails when they drift.
// Rules kept here: every key has a description, a default (`.default()` or a `meta.default`
// note), an example, and bounds.

const ms = (min: number, max: number) => z.number().int().min(min).max(max);

const healthCheckSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Run periodic health checks on idle workers.")
      .meta({ examples: [true] }),
    intervalMs: ms(10_000, 3_600_000)
      .default(30_000)
      .describe("Time between checks of one worker, in milliseconds. At least 10 s.")
      .meta({ examples: [60_000] }),
    timeoutMs: ms(100, 60_000)
      .default(3_000)
      .describe("Timeout of one HTTP probe, in milliseconds.")
      .meta({ examples: [5_000] }),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe("Retries, with exponential backoff and jitter, before a worker is confirmed dead.")
      .meta({ examples: [5] }),
    recoverySuccesses: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(2)
      .describe("Consecutive successful probes a suspect worker needs before it is handed out again.")
      .meta({ examples: [3] }),
    respawn: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe("Respawn a worker of the same profile after its confirmed death.")
          .meta({ examples: [true] }),
        maxRestarts: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(3)
          .describe("Restart budget per profile within `windowMs`; past it the profile is not respawned.")
          .meta({ examples: [5] }),
        windowMs: ms(1_000, 86_400_000)
          .default(600_000)
          .describe("The sliding window of the restart budget, in milliseconds.")
          .meta({ examples: [300_000] }),
      })
      .default({ enabled: false, maxRestarts: 3, windowMs: 600_000 })
      .describe("Respawn after death, with a restart budget so a crash loop cannot become a spawn storm.")
      .meta({ examples: [{ enabled: true, maxRestarts: 3, windowMs: 600_000 }] }),
  })
  .default({
    enabled: true,
    intervalMs: 30_000,
    timeoutMs: 3_000,
    maxRetries: 3,
    recoverySuccesses: 2,
    respawn: { enabled: false, maxRestarts: 3, windowMs: 600_000 },
  })
  .describe("Active health monitoring of workers (seed §1.1).")
  .meta({ examples: [{ intervalMs: 60_000 }] });

const warmPoolProfileSchema = z
  .strictObject({
    size: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(0)
      .describe("Ready workers kept for this profile; 0 disables warming.")
      .meta({ examples: [1] }),
    idleTimeoutMs: ms(0, 86_400_000)
      .default(300_000)
      .describe("Idle time after which a worker above the warm target is released, in milliseconds.")
      .meta({ examples: [120_000] }),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100)
      .describe("Leases after which a worker is recycled.")
      .meta({ examples: [50] }),
    maxAgeMs: ms(1_000, 604_800_000)
      .default(3_600_000)
      .describe("Age after which a worker is recycled, in milliseconds.")
      .meta({ examples: [1_800_000] }),
  })
  .describe("Warm-pool settings of one profile.");

const warmPoolSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Keep pre-spawned workers ready.")
      .meta({ examples: [true] }),
    acquireTimeoutMs: ms(100, 600_000)
      .default(30_000)
      .describe("How long an acquire waits for a worker before failing, in milliseconds.")
      .meta({ examples: [10_000] }),
    profiles: z
      .record(profileIdSchema, warmPoolProfileSchema)
      .default({})
      .describe("Pool settings per profile id.")
      .meta({ examples: [{ coder: { size: 1, idleTimeoutMs: 300_000 } }] }),
  })
  .default({ enabled: false, acquireTimeoutMs: 30_000, profiles: {} })
  .describe("The warm pool of pre-spawned workers (seed §1.3).")
  .meta({ examples: [{ enabled: true, profiles: { explorer: { size: 2 } } }] });

const modelSelectionSchema = z
  .strictObject({
    mode: z
      .enum(["performance", "balanced", "economical"])
      .default("performance")
      .describe(
        "`performance` picks the best capability match, `balanced` trades capability against price, `economical` the cheapest qualifying model.",
      )
      .meta({ examples: ["balanced"] }),
    maxCostPer1kTokens: z
      .number()
      .min(0)
      .max(1_000)
      .optional()
      .describe(
        "Cap on the input (prompt) price in USD per 1k tokens (the catalog's per-1M price divided by 1000). Models of unknown price never pass a cap.",
      )
      .meta({ "x-default": "unset (no cap)", examples: [0.01] }),
    preferredProviders: z
      .array(z.string().min(1).max(100))
      .max(50)
      .default([])
      .describe(
        "An ordered filter with fallback: pick from the first listed provider that has a qualifying model; other connected providers only when none does.",
      )
      .meta({ examples: [["anthropic", "openai"]] }),
  })
  .default({ mode: "performance", preferredProviders: [] })
  .describe("Cost-aware model selection (seed §2.3).")
  .meta({ examples: [{ mode: "economical", maxCostPer1kTokens: 0.005 }] });

const MODALITIES = ["text", "image", "audio", "video", "pdf"] as const;

const flag = (what: string, example: boolean) =>
  z
    .boolean()
    .optional()
    .describe(what)
    .meta({ "x-default": "unset (the catalog's value)", examples: [example] });

const modalityOverrideSchema = (direction: "input" | "output", example: Record<string, boolean>) =>
  z
    .strictObject(
      Object.fromEntries(
        MODALITIES.map((m) => [
          m,
          flag(`Whether the model ${direction === "input" ? "accepts" : "produces"} ${m}.`, m !== "audio"),
        ]),
      ) as Record<(typeof MODALITIES)[number], ReturnType<typeof flag>>,
    )
    .optional()
    .describe(
      `${direction === "input" ? "Input" : "Output"} modalities to correct; modalities not named keep the catalog's value.`,
    )
    .meta({ "x-default": "unset (the catalog's modalities)", examples: [example] });

const tokenLimit = (what: string, example: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .optional()
    .describe(what)
    .meta({
      "x-default": "unset (the catalog's value; a catalog value of 0 means unknown)",
      examples: [example],
    });

const capabilityOverrideSchema = z
  .strictObject({
    kind: z
      .enum(["chat", "embedding", "rerank", "moderation", "transcription", "tts", "image", "video", "audio"])
      .optional()
      .describe("What the model is for. Only `chat` models are picked by `auto:*` tags.")
      .meta({ "x-default": "unset (the catalog's value, else inferred from the name)", examples: ["chat"] }),
    vision: flag("Image input (shorthand for `input.image`). Vision is image input, not attachments.", true),
    toolCall: flag("Supports tool calls (every worker is an agent and needs them).", true),
    reasoning: flag("Has a reasoning mode.", true),
    attachment: flag("Accepts file attachments (not the same as vision).", false),
    input: modalityOverrideSchema("input", { image: true, pdf: true }),
    output: modalityOverrideSchema("output", { text: true }),
    contextWindow: tokenLimit("Context window in tokens.", 200_000),
    maxOutputTokens: tokenLimit("Maximum output tokens.", 32_000),
  })
  .describe("Corrections for one model; every field is optional and wins over the catalog.");

const uiSchema = z
  .strictObject({
    toasts: z
      .boolean()
      .default(true)
      .describe("Show OpenCode toasts for worker events.")
      .meta({ examples: [false] }),
    injectSystemContext: z
      .boolean()
      .default(true)
      .describe("Inject the list of available workers into the orchestrator's system context.")
      .meta({ examples: [false] }),
    systemContextMaxWorkers: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(12)
      .describe("Most workers listed in the injected context.")
      .meta({ examples: [6] }),
    defaultListFormat: z
      .enum(["markdown", "json"])
      .default("markdown")
      .describe("Format of tool answers when the call does not ask for one.")
      .meta({ examples: ["json"] }),
    debug: z
      .boolean()
      .default(false)
      .describe("Log debug detail.")
      .meta({ examples: [true] }),
    logToConsole: z
      .boolean()
      .default(false)
      .describe("Also log to the console, not only to OpenCode's log.")
      .meta({ examples: [true] }),
  })
  .default({
    toasts: true,
    injectSystemContext: true,
    systemContextMaxWorkers: 12,
    defaultListFormat: "markdown",
    debug: false,
    logToConsole: false,
  })
  .describe("User-interface behaviour.")
  .meta({ examples: [{ toasts: false }] });

const notificationsSchema = z
  .strictObject({
    idle: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe("Notify when the orchestrator session goes idle.")
          .meta({ examples: [true] }),
        title: z
          .string()
          .max(200)
          .default("OpenCode")
          .describe("Notification title.")
          .meta({ examples: ["Orchestra"] }),
        message: z
          .string()
          .max(1000)
          .default("Session is idle")
          .describe("Notification text.")
          .meta({ examples: ["Workers are done"] }),
        delayMs: ms(0, 600_000)
          .default(1_500)
          .describe("Delay after idle before notifying, in milliseconds.")
          .meta({ examples: [3_000] }),
      })
      .default({ enabled: false, title: "OpenCode", message: "Session is idle", delayMs: 1_500 })
      .describe("Idle notification.")
      .meta({ examples: [{ enabled: true }] }),
  })
  .default({ idle: { enabled: false, title: "OpenCode", message: "Session is idle", delayMs: 1_500 } })
  .describe("Desktop notifications.")
  .meta({ examples: [{ idle: { enabled: true } }] });

const agentSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Register the orchestrator agent with OpenCode.")
      .meta({ examples: [false] }),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, "lower-case letters, digits and dashes, starting with a letter")
      .default("orchestrator")
      .describe("The agent's name.")
      .meta({ examples: ["conductor"] }),
    model: modelRefSchema
      .optional()
      .meta({ "x-default": "OpenCode's default model", examples: ["auto:reasoning"] }),
    prompt: z
      .string()
      .max(50_000)
      .optional()
      .describe("Replaces the orchestrator agent's built-in prompt.")
      .meta({ "x-default": "the built-in prompt", examples: ["You coordinate workers."] }),
    mode: z
      .enum(["primary", "subagent"])
      .default("primary")
      .describe("OpenCode agent mode.")
      .meta({ examples: ["subagent"] }),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "a #rrggbb colour")
      .optional()
      .describe("Agent colour in the TUI.")
      .meta({ "x-default": "OpenCode's choice", examples: ["#7c3aed"] }),
  })
  .default({ enabled: true, name: "orchestrator", mode: "primary" })
  .describe("The orchestrator agent registered in OpenCode.")
  .meta({ examples: [{ mode: "subagent" }] });

const commandsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Register slash commands.")
      .meta({ examples: [false] }),
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9.-]{0,31}$/, "lower-case letters, digits, dots and dashes, starting with a letter")
      .default("orchestrator.")
      .describe("Prefix of the registered commands.")
      .meta({ examples: ["orc."] }),
  })
  .default({ enabled: true, prefix: "orchestrator." })
  .describe("Slash commands.")
  .meta({ examples: [{ enabled: false }] });

const pruningSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Truncate large tool inputs and outputs.")
      .meta({ examples: [true] }),
    maxToolOutputChars: z
      .number()
      .int()
      .min(100)
      .max(10_000_000)
      .default(12_000)
      .describe("Longest tool output kept, in characters.")
      .meta({ examples: [20_000] }),
    maxToolInputChars: z
      .number()
      .int()
      .min(100)
      .max(10_000_000)
      .default(4_000)
      .describe("Longest tool input kept, in characters.")
      .meta({ examples: [8_000] }),
    protectedTools: z
      .array(z.string().min(1).max(100))
      .max(100)
      .default(["task", "todowrite", "todoread"])
      .describe("Tools never pruned.")
      .meta({ examples: [["task"]] }),
  })
  .default({
    enabled: false,
    maxToolOutputChars: 12_000,
    maxToolInputChars: 4_000,
    protectedTools: ["task", "todowrite", "todoread"],
  })
  .describe("Context pruning before text is sent to the model.")
  .meta({ examples: [{ enabled: true }] });

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
const workflowLimitDefaults = {
  maxSteps: 4,
  maxTaskChars: 12_000,
  maxCarryChars: 24_000,
  perStepTimeoutMs: 120_000,
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

const workflowsSchema = z
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
      .default({ enabled: true, ...workflowLimitDefaults })
      .describe("The boomerang workflow: plan, implement, review.")
      .meta({ examples: [{ maxSteps: 3 }] }),
  })
  .default({ enabled: true, roocodeBoomerang: { enabled: true, ...workflowLimitDefaults } })
  .describe("Multi-step workflows run by `run_workflow`.")
  .meta({ examples: [{ enabled: false }] });

const securitySchema = z
  .strictObject({
    workflows: z
      .strictObject(workflowLimits)
      .default(workflowLimitDefaults)
      .describe("Hard limits on every workflow, whatever the workflow's own settings say.")
      .meta({ examples: [{ maxSteps: 3 }] }),
  })
  .default({ workflows: workflowLimitDefaults })
  .describe("Limits that config of individual features cannot raise.")
  .meta({ examples: [{ workflows: { maxSteps: 3 } }] });

const neo4jSchema = z
  .strictObject({
    uri: z
      .string()
      .regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, "a neo4j:// or bolt:// URI")
      .describe("Bolt URI of the Neo4j server.")
      .meta({ examples: ["bolt://127.0.0.1:7687"] }),
    user: z
      .string()
      .min(1)
      .max(200)
      .default("neo4j")
      .describe("User name.")
      .meta({ examples: ["neo4j"] }),
    password: z
      .string()
      .max(1_000)
      .optional()
      .describe("Password; falls back to the NEO4J_PASSWORD environment variable.")
      .meta({ "x-default": "$NEO4J_PASSWORD", examples: ["secret"] }),
    database: z
      .string()
      .min(1)
      .max(200)
      .default("neo4j")
      .describe("Database name.")
      .meta({ examples: ["memory"] }),
  })
  .describe("Use a Neo4j server instead of the embedded store.");

const memorySchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Enable memory tools and injection.")
      .meta({ examples: [false] }),
    autoRecord: z
      .boolean()
      .default(true)
      .describe("Record a summary of each finished turn.")
      .meta({ examples: [false] }),
    autoInject: z
      .boolean()
      .default(true)
      .describe("Inject relevant memories at session start.")
      .meta({ examples: [false] }),
    allowRestrictedSources: z
      .boolean()
      .default(false)
      .describe(
        "Let memories from a more restricted source reach a less restricted session: a worker's memories reach a session whose profile allows more in some category (the orchestrator allows everything), and memories of unknown source (stored before provenance was recorded) reach every session. They are injected and listed as quoted data with their provenance either way. Off: a memory reaches only sessions at least as restricted as its source (every category level at or below the source's).",
      )
      .meta({ examples: [true] }),
    scope: z
      .enum(["project", "global"])
      .default("project")
      .describe("Default scope of new memories.")
      .meta({ examples: ["global"] }),
    maxValueChars: z
      .number()
      .int()
      .min(100)
      .max(1_000_000)
      .default(20_000)
      .describe("Longest value `memory_put` accepts, in characters.")
      .meta({ examples: [5_000] }),
    inject: z
      .strictObject({
        maxChars: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .default(2_000)
          .describe("Budget of injected memory text, in characters.")
          .meta({ examples: [4_000] }),
        maxEntries: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(8)
          .describe("Most memories injected.")
          .meta({ examples: [12] }),
        includeGlobal: z
          .boolean()
          .default(true)
          .describe("Also inject global memories.")
          .meta({ examples: [false] }),
      })
      .default({ maxChars: 2_000, maxEntries: 8, includeGlobal: true })
      .describe("What goes into a session's context at start.")
      .meta({ examples: [{ maxEntries: 4 }] }),
    embedded: z
      .strictObject({
        path: z
          .string()
          .min(1)
          .max(4096)
          .optional()
          .describe("Database file of the embedded store.")
          .meta({
            "x-default": "~/.local/share/opencode/orchestra/memory.db",
            examples: ["~/orchestra-memory.db"],
          }),
      })
      .default({})
      .describe("The embedded store, used unless `neo4j` is set.")
      .meta({ examples: [{ path: "/tmp/memory.db" }] }),
    neo4j: neo4jSchema.optional().meta({
      "x-default":
        "unset (embedded store); NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE are read when unset",
      examples: [{ uri: "bolt://127.0.0.1:7687", user: "neo4j", password: "secret" }],
    }),
  })
  .default({
    enabled: true,
    autoRecord: true,
    autoInject: true,
    allowRestrictedSources: false,
    scope: "project",
    maxValueChars: 20_000,
    inject: { maxChars: 2_000, maxEntries: 8, includeGlobal: true },
    embedded: {},
  })
  .describe("The memory graph: an embedded store by default, Neo4j when configured.")
  .meta({ examples: [{ autoRecord: false }] });

const spawnSchema = z
  .strictObject({
    startupTimeoutMs: ms(1_000, 600_000)
      .default(30_000)
      .describe("How long a process worker may take to print its `listening on` line, in milliseconds.")
      .meta({ examples: [60_000] }),
    registryTtlMs: ms(60_000, 604_800_000)
      .default(86_400_000)
      .describe("Time-to-live of a device-registry entry without renewal, in milliseconds.")
      .meta({ examples: [3_600_000] }),
    shutdownGraceMs: ms(0, 60_000)
      .default(5_000)
      .describe("How long a worker may take to stop before SIGTERM, then SIGKILL, by process group.")
      .meta({ examples: [2_000] }),
  })
  .default({ startupTimeoutMs: 30_000, registryTtlMs: 86_400_000, shutdownGraceMs: 5_000 })
  .describe("Worker start and stop.")
  .meta({ examples: [{ startupTimeoutMs: 60_000 }] });

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
        examples: ["./node_modules/@orchestra/config/orchestrator.schema.json"],
      }),
    autoSpawn: z
      .boolean()
      .default(true)
      .describe("Spawn the profiles in `workers` when the plugin starts.")
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
        "Profiles to spawn at start: built-in ids or full profile objects. Merged by id across files.",
      )
      .meta({ examples: [["vision", "coder"]] }),
    spawn: spawnSchema,
    healthCheck: healthCheckSchema,
    warmPool: warmPoolSchema,
    modelSelection: modelSelectionSchema,
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
