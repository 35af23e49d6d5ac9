import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import type { ProfileErrorCode, ProfileIssue } from "./profile-error.js";
import { type ProfileDefinition, profileSchema } from "./schema.js";

type Segment = string | number;
type ZodIssue = z.core.$ZodIssue;

/** Where a definition being validated came from, for error paths. */
export interface IssueLocation {
  /** The file, e.g. `orchestrator.json` or `.opencode/agent/reviewer.md`. */
  file?: string;
  /** JSON path prefix of the definition inside that file, e.g. `["profiles", 2]`. */
  path?: readonly Segment[];
}

/** The result of {@link validateProfileDefinition}: a definition, or every issue found. */
export type ProfileValidation =
  | { ok: true; profile: ProfileDefinition }
  | { ok: false; issues: ProfileIssue[] };

/** Render a path as `a.b[0]["odd key"]`; the empty path is `(root)`. */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || "(root)";
}

/** Render a value for an error line: JSON, shortened to 60 characters. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const segment of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[segment];
  }
  return v;
}

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

function bound(issue: {
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  origin?: string;
}): string {
  const small = issue.minimum !== undefined;
  const limit = Number(small ? issue.minimum : issue.maximum);
  const op = small ? (issue.inclusive === false ? ">" : ">=") : issue.inclusive === false ? "<" : "<=";
  if (issue.origin === "string") return `${small ? "at least" : "at most"} ${limit} characters`;
  if (issue.origin === "array") return `${small ? "at least" : "at most"} ${limit} items`;
  return `a number ${op} ${limit}`;
}

/**
 * Turn zod issues from {@link profileSchema} into {@link ProfileIssue}s: JSON path, the bad value,
 * what was expected, and a did-you-mean for unknown keys and levels. `input` is the raw definition.
 */
export function issuesFromZod(
  issues: readonly ZodIssue[],
  input: unknown,
  location: IssueLocation = {},
  base: readonly PropertyKey[] = [],
): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const prefix = location.path ?? [];
  const push = (
    code: ProfileErrorCode,
    path: readonly PropertyKey[],
    rest: Omit<ProfileIssue, "code" | "path">,
  ) =>
    out.push({
      code,
      ...(location.file === undefined ? {} : { file: location.file }),
      path: formatPath([...prefix, ...(path.filter((s) => typeof s !== "symbol") as Segment[])]),
      ...rest,
    });
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const got = valueAt(input, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = keysAt(profileSchema, path);
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, allowed);
          push("PROFILE_UNKNOWN_KEY", [...path, key], {
            problem: "unknown key (keys are case-sensitive)",
            got: showValue(key),
            expected: allowed.length
              ? `one of ${allowed.map((k) => JSON.stringify(k)).join(", ")}`
              : "no other keys",
            ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
          });
        }
        break;
      }
      case "invalid_value": {
        const values = issue.values.map((v) => String(v));
        const suggestion = typeof got === "string" ? didYouMean(got, values) : undefined;
        const last = path.at(-1);
        const isLevel = path.at(-2) === "categories" && typeof last === "string" && LEVEL_KEYS.has(last);
        push(isLevel ? "PROFILE_INVALID_LEVEL" : "PROFILE_INVALID", path, {
          problem: isLevel ? `invalid ${String(last)} level` : "invalid value",
          got: showValue(got),
          expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
          ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
        });
        break;
      }
      case "invalid_type":
        push("PROFILE_INVALID", path, {
          problem: got === undefined ? "missing required value" : "wrong type",
          got: got === undefined ? "nothing" : `${kindOf(got)} ${showValue(got)}`,
          expected: issue.expected,
        });
        break;
      case "too_small":
      case "too_big":
        push("PROFILE_INVALID", path, {
          problem: issue.code === "too_small" ? "too small" : "too big",
          got: showValue(got),
          expected: bound(
            issue as { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string },
          ),
        });
        break;
      case "invalid_format": {
        const custom = issue.message && !issue.message.startsWith("Invalid") ? issue.message : undefined;
        push("PROFILE_INVALID", path, {
          problem: "invalid format",
          got: showValue(got),
          expected:
            custom ?? (issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`),
        });
        break;
      }
      case "invalid_union": {
        const branches = issue.errors;
        const shapeMismatch = (b: readonly ZodIssue[]) =>
          b.some((i) => i.code === "invalid_type" && i.path.length === 0);
        const best =
          branches.find((b) => b.length > 0 && !shapeMismatch(b)) ??
          [...branches].sort((a, b) => a.length - b.length)[0] ??
          [];
        if (shapeMismatch(best)) {
          const expected = branches
            .map((b) => (b[0]?.code === "invalid_type" ? b[0].expected : undefined))
            .filter((e): e is string => e !== undefined);
          push("PROFILE_INVALID", path, {
            problem: "wrong type",
            got: `${kindOf(got)} ${showValue(got)}`,
            expected: [...new Set(expected)].join(" or ") || "another shape",
          });
        } else out.push(...issuesFromZod(best, input, location, path));
        break;
      }
      case "custom": {
        // The schema's cross-field rules carry their profile code in `params.code`.
        const code = (issue.params as { code?: ProfileErrorCode } | undefined)?.code ?? "PROFILE_INVALID";
        push(code, path, { problem: issue.message, got: showValue(got) });
        break;
      }
      case "invalid_key":
      case "invalid_element":
        out.push(...issuesFromZod(issue.issues, input, location, path));
        break;
      default:
        push("PROFILE_INVALID", path, { problem: issue.message, got: showValue(got) });
    }
  }
  return out;
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
