import { readFile } from "node:fs/promises";
import { OrchestraError } from "@orchestra/core";
import {
  type CheckContext,
  check,
  type Decision,
  fromEffective,
  type RuleId,
  type ToolCall,
} from "@orchestra/permissions";
import {
  createProfileRegistry,
  formatProfileIssue,
  type LoadedProfile,
  type ProfileRegistry,
  validateProfileDefinition,
} from "@orchestra/profiles";
import { EXIT } from "../exit.js";
import type { ProjectOptions } from "../project-options.js";
import { loadProjectProfiles } from "../project-profiles.js";

/** One output line of `orchestra permissions check`. */
interface CheckOutput {
  /** The input line's `id`, or its 1-based line number. */
  id: string | number;
  decision: Decision["decision"];
  reason: string;
  rule: RuleId;
}

/** The permissions to check with, or why the profile cannot be used. */
type Resolution = { ok: true; permissions: unknown } | { ok: false; rule: RuleId; reason: string };

/** Profile codes that mean "the permissions block itself is invalid" rather than "cannot resolve". */
const INVALID_CODES = new Set([
  "PROFILE_INVALID",
  "PROFILE_UNKNOWN_KEY",
  "PROFILE_INVALID_LEVEL",
  "PROFILE_DUPLICATE_TOOL",
]);

/** Build a registry from a line's `profiles` map (keys are ids), on top of the built-in profiles. */
function registryFromMap(profiles: Record<string, unknown>): ProfileRegistry {
  const loaded: LoadedProfile[] = Object.entries(profiles).map(([id, def], index) => {
    const source = { kind: "config" as const, index };
    const ownId =
      typeof def === "object" && def !== null && !Array.isArray(def)
        ? (def as { id?: unknown }).id
        : undefined;
    if (ownId !== undefined && ownId !== id) {
      return {
        id,
        source,
        issues: [
          {
            code: "PROFILE_INVALID" as const,
            path: `profiles.${id}.id`,
            problem: "the id differs from the key of `profiles`",
            got: JSON.stringify(ownId),
            expected: JSON.stringify(id),
          },
        ],
      };
    }
    const input = typeof def === "object" && def !== null && !Array.isArray(def) ? { ...def, id } : def;
    const v = validateProfileDefinition(input, { path: ["profiles", id] });
    return v.ok ? { id, source, definition: v.profile, issues: [] } : { id, source, issues: v.issues };
  });
  return createProfileRegistry({ sources: [{ profiles: loaded, enabled: [], issues: [] }] });
}

const registries = new Map<string, ProfileRegistry>();

/** The registry of a line's own `profiles` map (built-ins plus the map), cached by the map's text. */
function registryOfMap(profiles: Record<string, unknown>): ProfileRegistry {
  const key = JSON.stringify(profiles);
  let registry = registries.get(key);
  if (!registry) {
    registry = registryFromMap(profiles);
    if (registries.size > 100) registries.clear();
    registries.set(key, registry);
  }
  return registry;
}

/**
 * Resolve through `@orchestra/profiles`: `extends` and `compose` are applied (the built-in profiles
 * can be extended too), and the effective permissions are checked. Invalid permission blocks deny
 * with `permissions.invalid`; missing parents, cycles and unknown ids with `profile.unresolved`.
 */
function resolveIn(registry: ProfileRegistry, id: string, where: string): Resolution {
  if (!registry.has(id)) {
    return {
      ok: false,
      rule: "profile.unresolved",
      reason: `The profile \`${id}\` is not defined in ${where} and is not a built-in profile.`,
    };
  }
  const r = registry.tryResolveProfile(id);
  if (r.ok) return { ok: true, permissions: fromEffective(r.resolved.profile.permissions) };
  const invalidPermissions =
    INVALID_CODES.has(r.error.code) && r.error.issues.some((i) => /\.permissions(\.|\[|$)/.test(i.path));
  const detail = r.error.issues.length ? r.error.issues.map(formatProfileIssue).join("; ") : r.error.message;
  return {
    ok: false,
    rule: invalidPermissions ? "permissions.invalid" : "profile.unresolved",
    reason: `The profile \`${id}\` cannot be used: ${detail}. Every call is denied until it is fixed.`,
  };
}

function deny(id: string | number, rule: RuleId, reason: string): CheckOutput {
  return { id, decision: "deny", reason, rule };
}

/** One input line, parsed: an object to decide, or the output that denies it. */
type ParsedLine =
  | { ok: true; id: string | number; input: Record<string, unknown> }
  | { ok: false; out: CheckOutput };

function parseLine(line: string, lineNo: number): ParsedLine {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    return {
      ok: false,
      out: deny(lineNo, "call.invalid", `Line ${lineNo} is not valid JSON (${(error as Error).message}).`),
    };
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, out: deny(lineNo, "call.invalid", `Line ${lineNo} is not a JSON object.`) };
  }
  const o = input as Record<string, unknown>;
  return { ok: true, id: typeof o.id === "string" || typeof o.id === "number" ? o.id : lineNo, input: o };
}

/**
 * Decide one parsed line. Never throws: malformed lines are denied with a reason. A line without
 * `profiles` is decided with `project`'s profiles (the built-ins and the merged config's); a line
 * with its own `profiles` with those and the built-ins only.
 */
function checkLine(
  { id, input: o }: { id: string | number; input: Record<string, unknown> },
  project: ProfileRegistry | undefined,
): CheckOutput {
  if (typeof o.profile !== "string")
    return deny(id, "profile.unresolved", "`profile` must be a profile id (string).");
  let resolved: Resolution;
  if (o.profiles === undefined && project !== undefined) {
    resolved = resolveIn(project, o.profile, "the config or .opencode/agent");
  } else if (typeof o.profiles !== "object" || o.profiles === null || Array.isArray(o.profiles)) {
    return deny(
      id,
      "profile.unresolved",
      "`profiles`, when given, must be an object of profile definitions keyed by id (leave it out to use the config's profiles).",
    );
  } else {
    resolved = resolveIn(registryOfMap(o.profiles as Record<string, unknown>), o.profile, "`profiles`");
  }
  if (!resolved.ok) return deny(id, resolved.rule, resolved.reason);
  const d = check(resolved.permissions, o.call as ToolCall, o.context as CheckContext);
  return { id, decision: d.decision, reason: d.reason, rule: d.rule };
}

async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new OrchestraError("PERMISSIONS_INPUT_UNREADABLE", `Cannot read ${file}.`, {
      cause,
      hints: ["Pass an existing JSONL file, or `-` to read standard input."],
    });
  }
}

/** The options of `orchestra permissions check`. */
export type CheckOptions = ProjectOptions & { input: string; strict?: boolean };

/** `orchestra permissions check`: one JSON decision per input line; `--strict` exits 1 when any is denied. */
export async function runCheck(opts: CheckOptions): Promise<void> {
  const text = await readInput(opts.input);
  const parsed = text
    .split("\n")
    .map((line, i) => (line.trim() === "" ? undefined : parseLine(line.trim(), i + 1)))
    .filter((p) => p !== undefined);
  // Loaded before any output, and only when a line needs it: an invalid config fails the command.
  const needsProject = parsed.some((p) => p.ok && p.input.profiles === undefined);
  const project = needsProject ? (await loadProjectProfiles(opts)).registry : undefined;
  let denied = 0;
  for (const p of parsed) {
    const out = p.ok ? checkLine(p, project) : p.out;
    if (out.decision === "deny") denied++;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  if (opts.strict && denied > 0) process.exitCode = EXIT.failure;
}
