import { z } from "zod";

/** Levels of the `filesystem` category, from widest to narrowest. */
export const FILESYSTEM_LEVELS = ["full", "read", "none"] as const;
/** Levels of the `execution` category, from widest to narrowest. */
export const EXECUTION_LEVELS = ["full", "sandboxed", "none"] as const;
/** Levels of the `network` category, from widest to narrowest. */
export const NETWORK_LEVELS = ["full", "localhost", "none"] as const;

const glob = z
  .string()
  .min(1)
  .max(1024)
  .describe(
    "A path glob. `~` is the home directory, a relative glob is relative to the project root; `*` stays within one path segment, `**` crosses segments.",
  );

/** Shell constraints, and the slot for other tools' constraints. */
export const toolConstraintsSchema = z
  .strictObject({
    allowedCommands: z
      .array(z.string().min(1).max(200))
      .max(500)
      .optional()
      .describe(
        "Shell tool only: the command names that may run (the literal first word, e.g. `git`). An empty list allows no command. Unset means any command the categories allow.",
      )
      .meta({ "x-default": "unset (no list)", examples: [["git", "npm", "bun"]] }),
    deniedFlags: z
      .array(
        z
          .string()
          .regex(/^-{1,2}[^\s]+$/, "a flag starts with - or --")
          .max(100),
      )
      .max(500)
      .optional()
      .describe(
        "Shell tool only: flags that may never be passed, compared the way the program reads them (bundled short flags are split, unambiguous long-flag prefixes count).",
      )
      .meta({ "x-default": "unset (no flag denied)", examples: [["--force", "-f"]] }),
  })
  .describe(
    "Tool-specific constraints. The shell tool (`bash`/`shell`) understands `allowedCommands` and `deniedFlags`.",
  );

/** One tool's entry in a profile's `permissions.tools`. */
export const toolPermissionSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe(
        "Whether the tool may be used. `true` never widens a category: it cannot lift `execution: none` or `network: none`. Unset: a child profile keeps its parent's switch; otherwise the tool falls under its category (a tool no category covers stays denied).",
      )
      .meta({
        "x-default": "the parent profile's switch, else as the category says",
        examples: [true],
      }),
    constraints: toolConstraintsSchema.optional().meta({
      "x-default": "unset (no constraints)",
      examples: [{ allowedCommands: ["git"], deniedFlags: ["--force"] }],
    }),
  })
  .describe("Per-tool switch and constraints.");

/** The `permissions` block of a profile (seed §3.1). */
export const permissionsSchema = z
  .strictObject({
    categories: z
      .strictObject({
        filesystem: z
          .enum(FILESYSTEM_LEVELS)
          .optional()
          .describe(
            "File access: `full` reads and writes, `read` allows no write by any route (tools or shell), `none` allows no file tool at all.",
          )
          .meta({ "x-default": "none", examples: ["read"] }),
        execution: z
          .enum(EXECUTION_LEVELS)
          .optional()
          .describe(
            "Shell access: `full`, `sandboxed` (commands run under bubblewrap; refused where bubblewrap is missing) or `none` (no shell tool).",
          )
          .meta({ "x-default": "none", examples: ["sandboxed"] }),
        network: z
          .enum(NETWORK_LEVELS)
          .optional()
          .describe(
            "Network access: `full`, `localhost` (real loopback only, never the orchestrator's own ports) or `none`.",
          )
          .meta({ "x-default": "none", examples: ["localhost"] }),
      })
      .optional()
      .describe("Category levels. A level that is not set, here or by a parent profile, means `none`.")
      .meta({ "x-default": "all categories none", examples: [{ filesystem: "read", execution: "none" }] }),
    tools: z
      .record(z.string().min(1).max(100), toolPermissionSchema)
      .optional()
      .describe(
        "Per-tool overrides keyed by OpenCode tool id, matched without regard to case; `bash`/`shell` and `apply_patch`/`patch` are one tool each. A tool can narrow its category, never widen it; a tool no category covers (MCP, custom) is denied unless enabled here.",
      )
      .meta({
        "x-default": "none: every tool falls under its category",
        examples: [{ bash: { enabled: true, constraints: { allowedCommands: ["git"] } } }],
      }),
    paths: z
      .strictObject({
        allowed: z
          .array(glob)
          .max(200)
          .optional()
          .describe("Globs a tool may touch. Unset means the project root and below.")
          .meta({ "x-default": "the project root and below", examples: [["src/**", "~/notes/**"]] }),
        denied: z
          .array(glob)
          .max(200)
          .optional()
          .describe("Globs no tool may touch. Deny beats allow.")
          .meta({ "x-default": [], examples: [["**/.env", "~/.ssh/**"]] }),
      })
      .optional()
      .describe("Path rules, applied after `~`, `$HOME`, `..` and symlinks are resolved.")
      .meta({ "x-default": "project root allowed, nothing denied", examples: [{ denied: ["**/.env"] }] }),
  })
  .describe(
    "Fine-grained tool permissions, decided for every tool call. Invalid permissions fail closed: every call is denied.",
  );

/** A profile's permissions, as written in config. */
export type Permissions = z.infer<typeof permissionsSchema>;
/** One tool entry of {@link Permissions}. */
export type ToolPermission = z.infer<typeof toolPermissionSchema>;
/** A `filesystem` level. */
export type FilesystemLevel = (typeof FILESYSTEM_LEVELS)[number];
/** An `execution` level. */
export type ExecutionLevel = (typeof EXECUTION_LEVELS)[number];
/** A `network` level. */
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];
