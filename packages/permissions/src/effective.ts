import { z } from "zod";
import { EXECUTION_LEVELS, FILESYSTEM_LEVELS, NETWORK_LEVELS } from "./schema.js";

const glob = z.string().min(1).max(1024);

/**
 * Schema of the **effective** permissions a profile resolves to (`@orchestra/profiles`
 * `EffectiveProfile.permissions`): every category set, every tool entry with `constraints.deniedFlags`,
 * and `paths.allowed` as a list of glob lists that must all match. Strict, like the config shape.
 */
export const effectivePermissionsSchema = z.strictObject({
  categories: z.strictObject({
    filesystem: z.enum(FILESYSTEM_LEVELS),
    execution: z.enum(EXECUTION_LEVELS),
    network: z.enum(NETWORK_LEVELS),
  }),
  tools: z.record(
    z.string().min(1).max(100),
    z.strictObject({
      enabled: z.boolean(),
      constraints: z.strictObject({
        allowedCommands: z.array(z.string().min(1).max(200)).max(500).optional(),
        deniedFlags: z
          .array(
            z
              .string()
              .regex(/^-{1,2}[^\s]+$/, "a flag starts with - or --")
              .max(100),
          )
          .max(2000),
      }),
    }),
  ),
  paths: z.strictObject({
    allowed: z.array(z.array(glob).max(200)).max(64),
    denied: z.array(glob).max(2000),
  }),
});

/**
 * Permissions after `extends`/`compose` are resolved (structurally the same as `@orchestra/profiles`
 * `EffectivePermissions`). `paths.allowed` is an intersection: a path must match at least one glob of
 * **every** list; an empty outer array means "the project root and below"; an empty inner list allows nothing.
 */
export interface EffectivePermissions {
  /** Category levels, all set. */
  readonly categories: {
    readonly filesystem: (typeof FILESYSTEM_LEVELS)[number];
    readonly execution: (typeof EXECUTION_LEVELS)[number];
    readonly network: (typeof NETWORK_LEVELS)[number];
  };
  /** Per-tool entries (ids compared without regard to case, as in the config shape). */
  readonly tools: Readonly<
    Record<
      string,
      {
        readonly enabled: boolean;
        readonly constraints: {
          readonly allowedCommands?: readonly string[];
          readonly deniedFlags: readonly string[];
        };
      }
    >
  >;
  /** Path rules. */
  readonly paths: {
    readonly allowed: readonly (readonly string[])[];
    readonly denied: readonly string[];
  };
}

/** Marker key of {@link EffectiveInput}; `Symbol.for` so two copies of this package agree. */
export const EFFECTIVE = Symbol.for("@orchestra/permissions.effective");

/**
 * Permissions in the effective shape, marked for {@link check} and `toOpencodePermission`.
 * Build it with {@link fromEffective}; a plain object is always read as the config shape.
 */
export interface EffectiveInput {
  /** The effective permissions (validated when first checked). */
  readonly [EFFECTIVE]: unknown;
}

const handles = new WeakMap<object, EffectiveInput>();

/**
 * Mark resolved (effective) permissions so `check()` and `toOpencodePermission()` read them in the
 * effective shape, where `paths.allowed` is a list of lists. The config shape stays the default and
 * keeps its own strict validation: the effective shape is only accepted through this marker.
 *
 * The same object always yields the same marker, so the compiled policy is cached across calls;
 * treat the permissions as immutable. Invalid input is not rejected here: every call is then denied
 * with `permissions.invalid` and the JSON path of the fault.
 *
 * @example
 * ```ts
 * const { profile } = registry.resolveProfile("reviewer");
 * check(fromEffective(profile.permissions), { tool: "bash", args: { command: "rm -rf x" } }, context);
 * ```
 */
export function fromEffective(effective: EffectivePermissions): EffectiveInput {
  // Runtime input may be anything (fail closed later); the type documents the expected shape.
  if (typeof effective !== "object" || effective === null) return { [EFFECTIVE]: effective };
  const hit = handles.get(effective);
  if (hit) return hit;
  const handle: EffectiveInput = Object.freeze({ [EFFECTIVE]: effective });
  handles.set(effective, handle);
  return handle;
}

/** True for a value built by {@link fromEffective} (in this or another copy of the package). */
export function isEffectiveInput(value: unknown): value is EffectiveInput {
  return typeof value === "object" && value !== null && EFFECTIVE in value;
}
