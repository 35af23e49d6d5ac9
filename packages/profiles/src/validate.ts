import {
  issuesFromZod as issuesFromSchema,
  type PathSegment,
  type SchemaIssue,
  type SchemaIssueFound,
} from "@orchestra/core";
import type { ProfileErrorCode, ProfileIssue } from "./profile-error.js";
import { type ProfileDefinition, profileSchema } from "./schema.js";

/** Where a definition being validated came from, for error paths. */
export interface IssueLocation {
  /** The file, e.g. `orchestrator.json` or `.opencode/agent/reviewer.md`. */
  file?: string;
  /** JSON path prefix of the definition inside that file, e.g. `["profiles", 2]`. */
  path?: readonly PathSegment[];
}

/** The result of {@link validateProfileDefinition}: a definition, or every issue found. */
export type ProfileValidation =
  | { ok: true; profile: ProfileDefinition }
  | { ok: false; issues: ProfileIssue[] };

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: ReadonlyArray<{ _zod: { def: Def } }>;
  in?: { _zod: { def: Def } };
}

/** The keys an object schema at `path` accepts (walks optional, record, array and union wrappers). */
function keysAt(schema: { _zod: { def: Def } }, path: readonly PropertyKey[]): string[] {
  let defs: Def[] = [schema._zod.def];
  const unwrap = (d: Def): Def[] => {
    if (d.innerType) return unwrap(d.innerType._zod.def);
    if (d.in) return unwrap(d.in._zod.def);
    if (d.type === "union" && d.options) return d.options.flatMap((o) => unwrap(o._zod.def));
    return [d];
  };
  defs = defs.flatMap(unwrap);
  for (const segment of path) {
    const next: Def[] = [];
    for (const d of defs) {
      if (d.type === "object" && typeof segment === "string" && d.shape?.[segment])
        next.push(d.shape[segment]._zod.def);
      else if (d.type === "record" && d.valueType) next.push(d.valueType._zod.def);
      else if (d.type === "array" && d.element && typeof segment === "number") next.push(d.element._zod.def);
    }
    defs = next.flatMap(unwrap);
  }
  return defs.flatMap((d) => (d.type === "object" && d.shape ? Object.keys(d.shape) : []));
}

const LEVEL_KEYS = new Set(["filesystem", "execution", "network"]);

/** The profile code of an issue: by its zod kind, its path, or the code a refinement carries. */
function profileIssue(found: SchemaIssueFound): ProfileIssue {
  const { kind, at, params, ...issue } = found;
  const last = at.at(-1);
  if (kind === "unrecognized_keys") {
    return { code: "PROFILE_UNKNOWN_KEY", ...issue, problem: "unknown key (keys are case-sensitive)" };
  }
  if (
    kind === "invalid_value" &&
    at.at(-2) === "categories" &&
    typeof last === "string" &&
    LEVEL_KEYS.has(last)
  ) {
    return { code: "PROFILE_INVALID_LEVEL", ...issue, problem: `invalid ${last} level` };
  }
  // The schema's cross-field rules carry their profile code in `params.code`.
  const code = kind === "custom" ? (params as { code?: ProfileErrorCode } | undefined)?.code : undefined;
  return { code: code ?? "PROFILE_INVALID", ...issue };
}

/**
 * Turn zod issues from {@link profileSchema} into {@link ProfileIssue}s: JSON path, the bad value,
 * what was expected, and a did-you-mean for unknown keys and levels. `input` is the raw definition.
 */
function issuesFromZod(
  issues: readonly SchemaIssue[],
  input: unknown,
  location: IssueLocation = {},
): ProfileIssue[] {
  return issuesFromSchema(issues, input, {
    ...(location.file === undefined ? {} : { file: location.file }),
    ...(location.path === undefined ? {} : { prefix: location.path }),
    keysAt: (path) => keysAt(profileSchema, path),
  }).map(profileIssue);
}

/**
 * Validate one profile definition against {@link profileSchema} (its shape and its cross-field
 * rules). For markdown profiles; config entries are validated by the config loader. Returns every issue, with paths prefixed by `location.path` and tagged with `location.file`.
 */
export function validateProfileDefinition(input: unknown, location: IssueLocation = {}): ProfileValidation {
  const parsed = profileSchema.safeParse(input);
  return parsed.success
    ? { ok: true, profile: parsed.data }
    : { ok: false, issues: issuesFromZod(parsed.error.issues, input, location) };
}
