import { normalizeToolName, permissionsSchema } from "@orchestra/permissions";
import { z } from "zod";

/** Profile ids: lower-case, start with a letter, at most 64 characters. */
export const profileIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, "lower-case letters, digits and dashes, starting with a letter")
  .describe("A profile id: lower-case letters, digits and dashes, starting with a letter.");

/** A model reference: an `auto`/`auto:*`/`node:*` tag, an alias, or `provider/model`. */
export const modelRefSchema = z
  .string()
  .min(1)
  .max(300)
  .describe(
    "A model reference: `auto`, `auto:<tag>`, `node:<tag>`, an alias from `modelAliases`, or `provider/model`.",
  );

/** One worker profile (seed §3.1–3.2). */
export const profileSchema = z
  .strictObject({
    id: profileIdSchema.meta({ examples: ["safe-coder"] }),
    name: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("Human-readable name shown in lists.")
      .meta({ "x-default": "the id", examples: ["Safe coder"] }),
    extends: z
      .union([profileIdSchema, z.array(profileIdSchema).min(1).max(16)])
      .optional()
      .describe(
        "Parent profile(s). The child inherits everything; restrictions never widen silently. Several parents combine as `compose` does.",
      )
      .meta({ "x-default": "none", examples: ["coder"] }),
    compose: z
      .array(profileIdSchema)
      .min(1)
      .max(16)
      .optional()
      .describe(
        "Profiles combined to the most restrictive result; fields beside `compose` act as one more member.",
      )
      .meta({ "x-default": "none", examples: [["coder", "docs"]] }),
    kind: z
      .enum(["process", "session"])
      .optional()
      .describe(
        "How the worker runs: `process` is an isolated `opencode serve` child; `session` is a session on the host server (milliseconds to create, no isolation).",
      )
      .meta({ "x-default": "process (session for built-ins that need no isolation)", examples: ["session"] }),
    isolation: z
      .enum(["none", "worktree"])
      .optional()
      .describe(
        "Where a process worker works: `none`, in the project directory; `worktree`, in a new git worktree of the project on the branch `orchestra/<worker id>`, created from HEAD, outside the project (`$XDG_STATE_HOME/orchestra/worktrees`). The worktree is the worker's project root for its permissions and sandbox. At stop, its edits are committed onto the branch; without changes the worktree and branch are removed, with changes they are kept for `merge_worker` / `orchestra workers merge`. Needs a git repository with a commit; a session worker cannot be isolated (spawn error).",
      )
      .meta({ "x-default": "none", examples: ["worktree"] }),
    model: z
      .union([modelRefSchema, z.array(modelRefSchema).min(1).max(10)])
      .optional()
      .describe(
        "The worker's model: a reference, or an ordered list of them. The first is used; when a request to it fails (HTTP 429, 5xx, overloaded, quota or auth errors) the worker retries, then moves to the next (a list `[a, b]` is `a` with `fallbackModels: [b]`).",
      )
      .meta({
        "x-default": "auto",
        examples: [
          "auto:code",
          "anthropic/claude-sonnet-4-20250514",
          ["anthropic/claude-sonnet-4-5", "openai/gpt-5"],
        ],
      }),
    fallbackModels: z
      .array(modelRefSchema)
      .max(10)
      .optional()
      .describe(
        "Model references tried in order when `model` cannot be resolved, and, at run time, when requests to the worker's model fail (after the entries of a `model` list).",
      )
      .meta({ "x-default": [], examples: [["auto:code", "auto"]] }),
    purpose: z
      .string()
      .max(500)
      .optional()
      .describe("What this worker specialises in, one sentence.")
      .meta({ "x-default": "empty", examples: ["Implements and refactors code"] }),
    whenToUse: z
      .string()
      .max(1000)
      .optional()
      .describe("When the orchestrator should pick this worker; injected into the orchestrator's context.")
      .meta({ "x-default": "empty", examples: ["For code changes that need tests"] }),
    systemPrompt: z
      .string()
      .max(50_000)
      .optional()
      .describe(
        "The worker's system prompt: a process worker's agent prompt (sent with every ask), a session worker's first `noReply` prompt.",
      )
      .meta({ "x-default": "empty", examples: ["You are a careful implementation specialist."] }),
    tags: z
      .array(z.string().min(1).max(50))
      .max(50)
      .optional()
      .describe("Keywords used by discovery (`suggest_worker`).")
      .meta({ "x-default": [], examples: [["code", "refactor"]] }),
    temperature: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .describe("Sampling temperature passed to the model.")
      .meta({ "x-default": "the model's default", examples: [0.2] }),
    supportsVision: z
      .boolean()
      .optional()
      .describe("Require a model with image input (v0.2 key; `model: auto:vision` says the same).")
      .meta({ "x-default": false, examples: [true] }),
    supportsWeb: z
      .boolean()
      .optional()
      .describe("Require web access for this worker (v0.2 key).")
      .meta({ "x-default": false, examples: [true] }),
    tools: z
      .record(z.string().min(1).max(100), z.boolean())
      .optional()
      .describe(
        "v0.2 on/off tool switches, passed to the worker's OpenCode config. Prefer `permissions.tools`.",
      )
      .meta({ "x-default": {}, examples: [{ webfetch: false }] }),
    permissions: permissionsSchema.optional().meta({
      "x-default": "inherited, else every category none",
      examples: [{ categories: { filesystem: "read", execution: "sandboxed", network: "none" } }],
    }),
  })
  .superRefine((profile, ctx) => {
    // The rules the shape cannot express, checked here so that every reader of a profile (the
    // config loader, markdown profiles) validates them once, with the same JSON paths.
    if (profile.extends !== undefined && profile.compose !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["compose"],
        message:
          "`extends` and `compose` cannot be combined: use either `extends` (inherit, explicit widening allowed) or `compose` (most restrictive)",
        params: { code: "PROFILE_CONFLICT" },
      });
    }
    const seen = new Map<string, string>();
    for (const name of Object.keys(profile.permissions?.tools ?? {})) {
      const id = normalizeToolName(name);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, name);
      else
        ctx.addIssue({
          code: "custom",
          path: ["permissions", "tools", name],
          message: `names the same tool as ${JSON.stringify(first)}: give one entry for the tool "${id}"`,
          params: { code: "PROFILE_DUPLICATE_TOOL" },
        });
    }
  })
  .describe("A worker profile: what the worker is for, its model, prompt and permissions.");

/** A profile entry in config: a built-in id, or a full profile object. */
export const profileEntrySchema = z
  .union([profileIdSchema, profileSchema])
  .describe("A built-in profile id, or a full profile object.");

/** A profile as written in config or front-matter. */
export type ProfileDefinition = z.infer<typeof profileSchema>;
/** A profile entry: an id or a definition. */
export type ProfileEntry = z.infer<typeof profileEntrySchema>;
