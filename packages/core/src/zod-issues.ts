import { didYouMean } from "./did-you-mean.js";
import { formatPath, type Issue, type PathSegment, showValue } from "./issue.js";

/**
 * The shape of a zod 4 issue (`z.core.$ZodIssue`) as read here. Structural, so `@orchestra/core`
 * needs no zod: pass `error.issues` of any `ZodError`.
 */
export interface SchemaIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly errors?: readonly (readonly SchemaIssue[])[];
  readonly issues?: readonly SchemaIssue[];
  readonly params?: unknown;
}

/** An {@link Issue} made from a zod issue, with what a package needs to give it its own code. */
export interface SchemaIssueFound extends Issue {
  /** The zod code of the leaf issue: `unrecognized_keys`, `invalid_value`, `custom`… */
  readonly kind: string;
  /** The path of the bad value inside the validated input (without `options.prefix`). */
  readonly at: readonly PathSegment[];
  /** The leaf issue's `params` (a refinement may carry a package's code there). */
  readonly params?: unknown;
}

/** Options of {@link issuesFromZod}. */
export interface SchemaIssueOptions {
  /** The file the input came from; set on every issue. */
  readonly file?: string;
  /** Where the input sits in its file, e.g. `["profiles", 2]`; prepended to every issue's path. */
  readonly prefix?: readonly PathSegment[];
  /** The keys the object at `path` (inside the input) accepts: named in unknown-key issues and suggested from. */
  readonly keysAt?: (path: readonly PathSegment[]) => readonly string[];
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function bound(issue: SchemaIssue): string {
  const small = issue.minimum !== undefined;
  const limit = Number(small ? issue.minimum : issue.maximum);
  const op = small ? (issue.inclusive === false ? ">" : ">=") : issue.inclusive === false ? "<" : "<=";
  switch (issue.origin) {
    case "string":
      return `${small ? "at least" : "at most"} ${limit} characters`;
    case "array":
      return `${small ? "at least" : "at most"} ${limit} items`;
    case "set":
    case "file":
      return `${small ? "at least" : "at most"} ${limit}`;
    default:
      return `a number ${op} ${limit}`;
  }
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const segment of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PathSegment, unknown>)[segment];
  }
  return v;
}

const segments = (path: readonly PropertyKey[]): PathSegment[] =>
  path.filter((s): s is PathSegment => typeof s !== "symbol");

/**
 * Turn zod issues into {@link Issue}s: the JSON path of the bad value, the value, what was expected
 * and, for unknown keys and enum values, a did-you-mean (the one rule of `didYouMean`). Unions
 * report the branch that matches the value's shape; nested key and element issues are flattened.
 * `input` is the value that was validated.
 */
export function issuesFromZod(
  issues: readonly SchemaIssue[],
  input: unknown,
  options: SchemaIssueOptions = {},
  base: readonly PathSegment[] = [],
): SchemaIssueFound[] {
  const out: SchemaIssueFound[] = [];
  const prefix = options.prefix ?? [];
  const push = (leaf: SchemaIssue, at: readonly PathSegment[], rest: Omit<Issue, "path" | "file">) =>
    out.push({
      ...(options.file === undefined ? {} : { file: options.file }),
      path: formatPath([...prefix, ...at]),
      ...rest,
      kind: leaf.code ?? "custom",
      at,
      ...(leaf.params === undefined ? {} : { params: leaf.params }),
    });
  const suggest = (value: string, candidates: readonly string[]) => {
    const best = didYouMean(value, candidates);
    return best === undefined ? {} : { didYouMean: best };
  };

  for (const issue of issues) {
    const path = [...base, ...segments(issue.path)];
    const got = valueAt(input, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = options.keysAt?.(path) ?? [];
        for (const key of issue.keys ?? []) {
          push(issue, [...path, key], {
            problem: "unknown key",
            got: showValue(key),
            expected: allowed.length
              ? `one of ${allowed.map((k) => JSON.stringify(k)).join(", ")}`
              : "no other keys",
            ...suggest(key, allowed),
          });
        }
        break;
      }
      case "invalid_type":
        push(issue, path, {
          problem: got === undefined ? "missing required value" : "wrong type",
          got: got === undefined ? "nothing" : `${kindOf(got)} ${showValue(got)}`,
          ...(issue.expected === undefined ? {} : { expected: issue.expected }),
        });
        break;
      case "too_small":
      case "too_big":
        push(issue, path, {
          problem: issue.code === "too_small" ? "too small" : "too big",
          got: showValue(got),
          expected: bound(issue),
        });
        break;
      case "invalid_value": {
        const values = issue.values ?? [];
        push(issue, path, {
          problem: "invalid value",
          got: showValue(got),
          expected: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
          ...(typeof got === "string" ? suggest(got, values.map(String)) : {}),
        });
        break;
      }
      case "invalid_format": {
        const custom = issue.message && !issue.message.startsWith("Invalid") ? issue.message : undefined;
        push(issue, path, {
          problem: "invalid format",
          got: showValue(got),
          expected:
            custom ?? (issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`),
        });
        break;
      }
      case "invalid_union": {
        // Report the branch that matches the value's shape: strings against the string branch,
        // objects against the object branch; fall back to the branch with the fewest issues.
        const branches = issue.errors ?? [];
        const shapeMismatch = (b: readonly SchemaIssue[]) =>
          b.some((i) => i.code === "invalid_type" && i.path.length === 0);
        const best =
          branches.find((b) => b.length > 0 && !shapeMismatch(b)) ??
          [...branches].sort((a, b) => a.length - b.length)[0] ??
          [];
        if (best.length === 0 || shapeMismatch(best)) {
          const expected = branches
            .map((b) => (b[0]?.code === "invalid_type" ? b[0].expected : undefined))
            .filter((e): e is string => e !== undefined);
          push(issue, path, {
            problem: best.length === 0 ? issue.message : "wrong type",
            got: `${kindOf(got)} ${showValue(got)}`,
            expected: [...new Set(expected)].join(" or ") || "another shape",
          });
        } else {
          out.push(...issuesFromZod(best, input, options, path));
        }
        break;
      }
      case "invalid_key": {
        const key = path.at(-1);
        out.push(
          ...issuesFromZod(issue.issues ?? [], input, options, path).map((i) => ({
            ...i,
            problem: `invalid key: ${i.problem}`,
            got: showValue(key),
          })),
        );
        break;
      }
      case "invalid_element":
        out.push(...issuesFromZod(issue.issues ?? [], input, options, path));
        break;
      default:
        push(issue, path, { problem: issue.message, got: showValue(got) });
    }
  }
  return out;
}
