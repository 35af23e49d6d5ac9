/** The v0.2 features: UI, notifications, the orchestrator agent, slash commands, pruning. */
import { modelRefSchema } from "@orchestra/profiles";
import { z } from "zod";
import { ms } from "./schema-primitives.js";

export const uiSchema = z
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
  .prefault({})
  .describe("User-interface behaviour.")
  .meta({ examples: [{ toasts: false }] });

export const notificationsSchema = z
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
      .prefault({})
      .describe("Idle notification.")
      .meta({ examples: [{ enabled: true }] }),
  })
  .prefault({})
  .describe("Desktop notifications.")
  .meta({ examples: [{ idle: { enabled: true } }] });

export const agentSchema = z
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
      .describe(
        "The agent's model: provider/model or an alias of one. OpenCode registers agents before any catalog is read, so an auto tag cannot be resolved here: the agent then uses OpenCode's default model and the log says so.",
      )
      .meta({ "x-default": "OpenCode's default model", examples: ["anthropic/claude-sonnet-4-5"] }),
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
  .prefault({})
  .describe("The orchestrator agent registered in OpenCode.")
  .meta({ examples: [{ mode: "subagent" }] });

export const commandsSchema = z
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
  .prefault({})
  .describe("Slash commands.")
  .meta({ examples: [{ enabled: false }] });

export const pruningSchema = z
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
  .prefault({})
  .describe("Context pruning before text is sent to the model.")
  .meta({ examples: [{ enabled: true }] });
