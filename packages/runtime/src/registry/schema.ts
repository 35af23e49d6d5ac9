import { z } from "zod";

/** The registry file format this version reads and writes. */
export const REGISTRY_VERSION = 1;

const pidSchema = z.int().positive();
const startTimeSchema = z.string().min(1).max(256);
const epochMsSchema = z.int().nonnegative();
/** Same alphabet as profile ids (`@orchestra/profiles`): safe in shells, URLs and file names. */
const profileIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "lower-case letters, digits and dashes");
const workerIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,79}$/, "lower-case letters, digits and dashes");
/** `sha256:<64 hex>`: the registry never holds a password, only this hash of one. */
const passwordHashSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, "a `sha256:<hex>` hash from hashPassword(), never the password itself");

/** The process that owns a worker: an orchestrator, or the `orchestra` CLI. */
const RegistryOwnerSchema = z.object({
  /** `cli` workers outlive the CLI process and are never killed while alive (DECISIONS). */
  kind: z.enum(["orchestrator", "cli"]),
  /** The owner's process id. */
  pid: pidSchema,
  /** The owner's start-time token from `processStartTime`; pid plus this identify the process. */
  startTime: startTimeSchema,
});

/** One worker known to the device registry. */
export const RegistryEntrySchema = z
  .object({
    /** Stable worker id: `<profile>`, then `<profile>-2`, … (see `nextWorkerId`). */
    id: workerIdSchema,
    /** The profile the worker runs. */
    profile: profileIdSchema,
    /** `process`: an `opencode serve` child; `session`: a session on the host OpenCode server. */
    kind: z.enum(["process", "session"]),
    /**
     * The process serving the worker. For `session` workers this is the host OpenCode server,
     * which must never be killed on the worker's behalf.
     */
    pid: pidSchema,
    /** The worker's own process group (a detached child leads it); `null` for `session` workers. */
    pgid: pidSchema.nullable(),
    /** Start-time token of `pid`, from `processStartTime`; a reused pid has a different one. */
    processStartTime: startTimeSchema,
    /** The worker server's base URL; `null` while a process worker is still `starting`. */
    url: z.url({ protocol: /^https?$/ }).nullable(),
    /** The worker server's port; `null` while a process worker is still `starting`. */
    port: z.int().min(1).max(65_535).nullable(),
    /** Who owns the worker. */
    owner: RegistryOwnerSchema,
    /** When the entry was created, in epoch milliseconds. */
    createdAt: epochMsSchema,
    /** When the owner last renewed the entry, in epoch milliseconds. */
    renewedAt: epochMsSchema,
    /** The entry expires `ttlMs` after `renewedAt` unless renewed (CLI-owned live workers excepted). */
    ttlMs: z.int().positive(),
    /** Lifecycle status as last recorded. */
    status: z.enum(["starting", "ready", "busy", "orphaned", "stopped", "dead"]),
    /** Hash of the worker's server password (`hashPassword`), never the password. */
    passwordHash: passwordHashSchema.optional(),
    /** The OpenCode session the worker talks through, once created. */
    sessionId: z.string().min(1).optional(),
    /** The model reference the worker runs, e.g. `anthropic/claude-sonnet-4`. */
    model: z.string().min(1).optional(),
    /** The project directory the worker serves. */
    directory: z.string().min(1),
  })
  .superRefine((entry, ctx) => {
    if (entry.kind === "process" && entry.pgid === null) {
      ctx.addIssue({
        code: "custom",
        path: ["pgid"],
        message: "a process worker needs its process group id",
      });
    }
    if (entry.kind === "session" && entry.pgid !== null) {
      ctx.addIssue({
        code: "custom",
        path: ["pgid"],
        message: "a session worker owns no process group: pgid must be null so that nobody kills the host",
      });
    }
  });

/** The top level of the registry file, before its entries are checked one by one. */
export const RegistryFileSchema = z.object({
  version: z.literal(REGISTRY_VERSION),
  entries: z.array(z.unknown()),
});

/** One worker in the recovery manifest. */
export const ManifestWorkerSchema = z.object({
  id: workerIdSchema,
  pid: pidSchema,
  pgid: pidSchema.nullable(),
  processStartTime: startTimeSchema,
  url: z.url({ protocol: /^https?$/ }).nullable(),
  passwordHash: passwordHashSchema.optional(),
});

/** The top level of the recovery manifest, before its workers are checked one by one. */
export const ManifestFileSchema = z.object({
  orchestrator: z.object({ pid: pidSchema, startTime: startTimeSchema }),
  writtenAt: epochMsSchema,
  workers: z.array(z.unknown()),
});

/** The recovery manifest an orchestrator writes when it shuts down (seed §1.2). */
export const ManifestSchema = z.object({
  /** The orchestrator that wrote the manifest. */
  orchestrator: z.object({ pid: pidSchema, startTime: startTimeSchema }),
  /** When it was written, in epoch milliseconds. */
  writtenAt: epochMsSchema,
  /** The workers it left behind. */
  workers: z.array(ManifestWorkerSchema),
});

/** One worker known to the device registry (see `RegistryEntrySchema`). */
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;
/** The owner of a registry entry. */
export type RegistryOwner = z.infer<typeof RegistryOwnerSchema>;
/** The recovery manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;
/** One worker in the recovery manifest. */
export type ManifestWorker = z.infer<typeof ManifestWorkerSchema>;

/** Formats zod issues as `path: message; …` for error messages and warnings. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`)
    .join("; ");
}
