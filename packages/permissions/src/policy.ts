import { formatPath } from "@orchestra/core";
import type { z } from "zod";
import type { CheckContext } from "./context.js";
import { Denial } from "./decision.js";
import { EFFECTIVE, effectivePermissionsSchema, isEffectiveInput } from "./effective.js";
import { PermissionsError } from "./errors.js";
import { PathPolicy } from "./paths.js";
import {
  type ExecutionLevel,
  type FilesystemLevel,
  type NetworkLevel,
  type Permissions,
  permissionsSchema,
} from "./schema.js";
import { normalizeToolName } from "./tool-names.js";

/** A tool entry after name normalisation. */
interface ToolEntry {
  /** The profile's switch; `undefined` (no `enabled` in the entry) means the tool falls under its category. */
  readonly enabled: boolean | undefined;
  readonly allowedCommands: readonly string[] | undefined;
  readonly deniedFlags: readonly string[];
}

/** Brand: only {@link compilePolicy} makes a {@link Policy}. */
declare const COMPILED: unique symbol;

/**
 * Validated permissions with defaults applied (context-independent part). The one validation
 * boundary: every rule (the shell analyzer, the OpenCode compiler, the sandbox) takes a `Policy`, and
 * only {@link compilePolicy} (or {@link requirePolicy}) makes one from a permissions block.
 */
export interface Policy {
  readonly [COMPILED]: true;
  readonly filesystem: FilesystemLevel;
  readonly execution: ExecutionLevel;
  readonly network: NetworkLevel;
  readonly tools: ReadonlyMap<string, ToolEntry>;
  /**
   * Allowed-path lists: a path must match at least one glob of **every** list. `undefined` means
   * "the project root and below". The config shape gives one list; the effective shape may give several.
   */
  readonly allowedLists: readonly (readonly string[])[] | undefined;
  readonly deniedGlobs: readonly string[];
}

/** The result of validating permissions: a policy, or the denial every call gets. */
export type PolicyResult = { ok: true; policy: Policy } | { ok: false; denial: Denial };

const cache = new WeakMap<object, PolicyResult>();

/**
 * Validate and compile `permissions`, in the config shape or marked effective (`fromEffective`).
 * Cached per object: a block is validated once however many calls it decides (treat permissions as
 * immutable once checked). An invalid block yields the `permissions.invalid` denial every call gets.
 */
export function compilePolicy(permissions: unknown): PolicyResult {
  const cacheable = typeof permissions === "object" && permissions !== null;
  if (cacheable) {
    const hit = cache.get(permissions);
    if (hit) return hit;
  }
  const result = buildPolicy(permissions);
  if (cacheable) cache.set(permissions, result);
  return result;
}

/**
 * {@link compilePolicy} for the entry points that cannot answer with a deny (`toOpencodePermission`,
 * `sandboxArgv`).
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID`, with the same message `check` denies with.
 */
export function requirePolicy(permissions: unknown): Policy {
  const compiled = compilePolicy(permissions);
  if (compiled.ok) return compiled.policy;
  throw new PermissionsError("PERMISSIONS_INVALID", compiled.denial.reason, {
    hints: ["Fix the profile's permissions; `orchestra permissions check` shows the same error."],
  });
}

/** Seal a policy built from validated input. */
function sealed(policy: Omit<Policy, typeof COMPILED>): Policy {
  return policy as Policy;
}

function invalid(error: z.ZodError): PolicyResult {
  const first = error.issues[0];
  const where = first ? formatPath(["permissions", ...first.path]) : "permissions";
  const keys =
    first && first.code === "unrecognized_keys" ? ` (${first.keys.map((k) => `\`${k}\``).join(", ")})` : "";
  return {
    ok: false,
    denial: new Denial(
      "permissions.invalid",
      `The profile's permissions are invalid at ${where}: ${first?.message ?? "invalid"}${keys}. Every call is denied until it is fixed.`,
      "fix the profile (keys are case-sensitive: categories.filesystem|execution|network, tools, paths.allowed|denied)",
    ),
  };
}

function buildPolicy(permissions: unknown): PolicyResult {
  if (isEffectiveInput(permissions)) return buildEffectivePolicy(permissions[EFFECTIVE]);
  const parsed = permissionsSchema.safeParse(permissions);
  if (!parsed.success) return invalid(parsed.error);
  const p: Permissions = parsed.data;
  const tools = toolEntries(
    Object.entries(p.tools ?? {}).map(([name, entry]) => [
      name,
      {
        enabled: entry.enabled,
        allowedCommands: entry.constraints?.allowedCommands,
        deniedFlags: entry.constraints?.deniedFlags ?? [],
      },
    ]),
  );
  if (tools instanceof Denial) return { ok: false, denial: tools };
  return {
    ok: true,
    policy: sealed({
      filesystem: p.categories?.filesystem ?? "none",
      execution: p.categories?.execution ?? "none",
      network: p.categories?.network ?? "none",
      tools,
      allowedLists: p.paths?.allowed === undefined ? undefined : [p.paths.allowed],
      deniedGlobs: p.paths?.denied ?? [],
    }),
  };
}

/** The effective shape: categories all set, `paths.allowed` a list of lists (empty = project root). */
function buildEffectivePolicy(effective: unknown): PolicyResult {
  const parsed = effectivePermissionsSchema.safeParse(effective);
  if (!parsed.success) return invalid(parsed.error);
  const p = parsed.data;
  const tools = toolEntries(
    Object.entries(p.tools).map(([name, entry]) => [
      name,
      {
        enabled: entry.enabled,
        allowedCommands: entry.constraints.allowedCommands,
        deniedFlags: entry.constraints.deniedFlags,
      },
    ]),
  );
  if (tools instanceof Denial) return { ok: false, denial: tools };
  return {
    ok: true,
    policy: sealed({
      filesystem: p.categories.filesystem,
      execution: p.categories.execution,
      network: p.categories.network,
      tools,
      allowedLists: p.paths.allowed.length === 0 ? undefined : p.paths.allowed,
      deniedGlobs: p.paths.denied,
    }),
  };
}

function toolEntries(entries: readonly (readonly [string, ToolEntry])[]): Map<string, ToolEntry> | Denial {
  const tools = new Map<string, ToolEntry>();
  const seen = new Map<string, string>();
  for (const [name, entry] of entries) {
    const id = normalizeToolName(name);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      return new Denial(
        "permissions.invalid",
        `The profile's permissions are invalid at permissions.tools: \`${earlier}\` and \`${name}\` name the same tool.`,
        "one entry per tool (`bash`/`shell` and `apply_patch`/`patch` are the same tool)",
      );
    }
    seen.set(id, name);
    tools.set(id, entry);
  }
  return tools;
}

const pathCache = new WeakMap<Policy, Map<string, { links: unknown; paths: PathPolicy }>>();

/** The path policy of `policy` in `context` (cached per policy, cwd, home, case rule, control dirs and symlink map). */
export function pathPolicyFor(policy: Policy, context: CheckContext): PathPolicy {
  let byKey = pathCache.get(policy);
  if (!byKey) {
    byKey = new Map();
    pathCache.set(policy, byKey);
  }
  const key = `${context.cwd}\0${context.home}\0${context.caseInsensitiveFs}\0${context.user ?? ""}\0${context.controlDirs?.join("\0") ?? ""}`;
  const hit = byKey.get(key);
  // Compiled globs are reused per (cwd, home, case rule, user, symlink map). With the real
  // filesystem, only the glob base directories are resolved once; call arguments are always
  // resolved on disk afresh.
  if (hit && hit.links === context.symlinks) return hit.paths;
  const paths = new PathPolicy(context, policy.allowedLists, policy.deniedGlobs);
  if (byKey.size > 64) byKey.clear();
  byKey.set(key, { links: context.symlinks, paths });
  return paths;
}
