import type { z } from "zod";
import type { ConfigIssue } from "./config-error.js";
import { didYouMean } from "./did-you-mean.js";
import { type JsonSchemaNode, objectBranches, orchestratorJsonSchema, schemaAt } from "./json-schema.js";

type Path = readonly PropertyKey[];
type ZodIssue = z.core.$ZodIssue;

/** Render a path as `a.b[0]["odd key"]`; the empty path is `(root)`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || "(root)";
}

/** Render a value for an error line: JSON, shortened to 60 characters. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function bound(issue: {
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  origin?: string;
}): string {
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

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const segment of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[segment as string];
  }
  return v;
}

function allowedKeys(schema: JsonSchemaNode | undefined): string[] {
  if (!schema) return [];
  return objectBranches(schema).flatMap((b) => Object.keys(b.properties ?? {}));
}

/**
 * Turn zod issues into {@link ConfigIssue}s with JSON paths, the bad value, what was expected and,
 * for unknown keys and enum values, a "did you mean" suggestion. `input` is the parsed document.
 */
export function issuesFromZod(
  issues: readonly ZodIssue[],
  input: unknown,
  file?: string,
  base: Path = [],
): ConfigIssue[] {
  const root = orchestratorJsonSchema();
  const out: ConfigIssue[] = [];
  const push = (issue: Omit<ConfigIssue, "file">) =>
    out.push(file === undefined ? issue : { file, ...issue });

  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const got = valueAt(input, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeys(
          schemaAt(root, path.filter((s) => typeof s !== "symbol") as (string | number)[]),
        );
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, allowed);
          push({
            path: formatPath([...path, key]),
            problem: "unknown key",
            got: show(key),
            expected: allowed.length
              ? `one of ${allowed.map((k) => JSON.stringify(k)).join(", ")}`
              : "no other keys",
            ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
          });
        }
        break;
      }
      case "invalid_type":
        push({
          path: formatPath(path),
          problem: got === undefined ? "missing required value" : "wrong type",
          got: got === undefined ? "nothing" : `${kindOf(got)} ${show(got)}`,
          expected: issue.expected,
        });
        break;
      case "too_small":
      case "too_big":
        push({
          path: formatPath(path),
          problem: issue.code === "too_small" ? "too small" : "too big",
          got: show(got),
          expected: bound(
            issue as { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string },
          ),
        });
        break;
      case "invalid_value": {
        const values = issue.values.map((v) => String(v));
        const suggestion = typeof got === "string" ? didYouMean(got, values) : undefined;
        push({
          path: formatPath(path),
          problem: "invalid value",
          got: show(got),
          expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
          ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
        });
        break;
      }
      case "invalid_format": {
        const custom = issue.message && !issue.message.startsWith("Invalid") ? issue.message : undefined;
        push({
          path: formatPath(path),
          problem: "invalid format",
          got: show(got),
          expected:
            custom ?? (issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`),
        });
        break;
      }
      case "invalid_union": {
        // Report the branch that matches the value's shape: strings against the string branch,
        // objects against the object branch; fall back to the branch with the fewest issues.
        const branches = issue.errors;
        const shapeMismatch = (b: readonly ZodIssue[]) =>
          b.some((i) => i.code === "invalid_type" && i.path.length === 0);
        const sameKind = branches.find((b) => b.length > 0 && !shapeMismatch(b));
        const best =
          sameKind ?? [...branches].sort((a, b) => a.length - b.length)[0] ?? ([] as readonly ZodIssue[]);
        if (shapeMismatch(best)) {
          const expected = branches
            .map((b) => (b[0]?.code === "invalid_type" ? b[0].expected : undefined))
            .filter((e): e is string => e !== undefined);
          push({
            path: formatPath(path),
            problem: "wrong type",
            got: `${kindOf(got)} ${show(got)}`,
            expected: [...new Set(expected)].join(" or ") || "another shape",
          });
        } else {
          out.push(...issuesFromZod(best, input, file, path));
        }
        break;
      }
      case "invalid_key": {
        const key = path.at(-1);
        out.push(
          ...issuesFromZod(issue.issues, input, file, path).map((i) => ({
            ...i,
            problem: `invalid key: ${i.problem}`,
            got: show(key),
          })),
        );
        break;
      }
      case "invalid_element":
        out.push(...issuesFromZod(issue.issues, input, file, path));
        break;
      default:
        push({ path: formatPath(path), problem: issue.message, got: show(got) });
    }
  }
  return out;
}
