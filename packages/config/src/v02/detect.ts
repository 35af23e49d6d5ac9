/** Recognising a v0.2.x `orchestrator.json`, for the loader's errors and `orchestra migrate`. */
import { formatPath, type PathSegment, showValue } from "@orchestra/core";
import { BUILTIN_PROFILE_IDS } from "@orchestra/profiles";
import type { ConfigIssue } from "../config-error.js";
import { findAll, isRecord } from "./paths.js";
import { V02_RETIRED_KEYS } from "./retired-keys.js";

/** The key under which `orchestra migrate` keeps what it could not place. */
export const UNPLACED_KEY = "//migrate";

/** The problem text of the loader's first issue for a v0.2 file. */
export const LOOKS_LIKE_V02 = "this looks like a v0.2 config: run `orchestra migrate`";

const PROFILE_ARRAYS = ["profiles", "workers"] as const;

/** A v0.2 boolean `tools` map (`{ "write": false }`): an object whose every value is a boolean. */
export function isBooleanToolsMap(value: unknown): value is Record<string, boolean> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === "boolean");
}

/** Each profile object of `profiles` and `workers`, with its path. */
export function profileObjects(doc: unknown): { path: PathSegment[]; profile: Record<string, unknown> }[] {
  return PROFILE_ARRAYS.flatMap((key) =>
    findAll(doc, [key, "*"]).flatMap(({ path, value }) =>
      isRecord(value) ? [{ path, profile: value }] : [],
    ),
  );
}

/**
 * True when a profile takes its permissions from nowhere: no `permissions`, no `extends` or
 * `compose`, and not an override of a built-in id. In v0.3 such a profile denies every call.
 */
export function hasNoPermissionSource(profile: Record<string, unknown>): boolean {
  return (
    profile.permissions === undefined &&
    profile.extends === undefined &&
    profile.compose === undefined &&
    !(typeof profile.id === "string" && BUILTIN_PROFILE_IDS.includes(profile.id))
  );
}

/** True for a v0.2 model tag: `node` or `node:<tag>` (v0.3 spells them `auto`, `auto:<tag>`). */
export function isNodeTag(value: unknown): value is string {
  return typeof value === "string" && (value === "node" || value.startsWith("node:"));
}

/** Where the loader fails a v0.2 file: every retired key, and every tools map that would deny everything. */
function blockingFinds(
  doc: unknown,
): { path: PathSegment[]; value: unknown; problem: string; expected?: string }[] {
  const out: { path: PathSegment[]; value: unknown; problem: string; expected?: string }[] = [];
  for (const key of V02_RETIRED_KEYS)
    for (const { path, value } of findAll(doc, key.pattern))
      out.push({ path, value, problem: `retired in v0.3: ${key.instead}` });
  for (const { path, profile } of profileObjects(doc)) {
    if (isBooleanToolsMap(profile.tools) && hasNoPermissionSource(profile))
      out.push({
        path: [...path, "tools"],
        value: profile.tools,
        problem:
          "a v0.2 boolean `tools` map on a profile without `permissions`: in v0.3 this profile would deny every call",
        expected:
          "`permissions` (run `orchestra migrate` to convert the map with the same effect), or `extends` of a built-in profile",
      });
  }
  if (isRecord(doc) && Object.hasOwn(doc, UNPLACED_KEY))
    out.push({
      path: [UNPLACED_KEY],
      value: doc[UNPLACED_KEY],
      problem: "keys that `orchestra migrate` could not place",
      expected: "each moved to its v0.3 place or deleted, then this list deleted",
    });
  return out;
}

/**
 * The JSON paths that show `raw` is a v0.2.x config: retired keys, boolean `tools` maps on
 * profiles, `node:*` model tags and a `"//migrate"` list left by `orchestra migrate`. Empty for a v0.3 config.
 */
export function v02Evidence(raw: unknown): string[] {
  const paths = blockingFinds(raw).map((f) => formatPath(f.path));
  for (const { path, profile } of profileObjects(raw)) {
    if (isBooleanToolsMap(profile.tools) && !paths.includes(formatPath([...path, "tools"])))
      paths.push(formatPath([...path, "tools"]));
    if (isNodeTag(profile.model)) paths.push(formatPath([...path, "model"]));
  }
  if (isRecord(raw) && isRecord(raw.agent) && isNodeTag(raw.agent.model)) paths.push("agent.model");
  return paths;
}

/**
 * True when `raw` (a parsed `orchestrator.json`) uses v0.2.x keys or spellings, so
 * `orchestra migrate` has something to do.
 *
 * @example
 * ```ts
 * looksLikeV02({ basePort: 14096, workers: ["docs"] }); // true
 * looksLikeV02({ healthCheck: { intervalMs: 30000 } }); // false
 * ```
 */
export function looksLikeV02(raw: unknown): boolean {
  return v02Evidence(raw).length > 0;
}

/** Up to four paths, then how many more. */
function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, 4).join(", ");
  return paths.length > 4 ? `${shown} and ${paths.length - 4} more` : shown;
}

/**
 * The loader's issues for v0.2 content that v0.3 must not accept: one `(root)` issue that says
 * "this looks like a v0.2 config: run `orchestra migrate`", then one issue per retired key
 * ("retired in v0.3: <what to do instead>") and per boolean `tools` map that would deny every call.
 * Empty when there is none.
 */
export function v02Issues(doc: unknown, file?: string): ConfigIssue[] {
  const finds = blockingFinds(doc);
  if (finds.length === 0) return [];
  const at = file === undefined ? {} : { file };
  return [
    {
      ...at,
      path: "(root)",
      problem: LOOKS_LIKE_V02,
      got: `v0.2 keys at ${listed(finds.map((f) => formatPath(f.path)))}`,
      expected:
        "a v0.3 config; `orchestra migrate` shows every change, `orchestra migrate --write` applies them and keeps the original as orchestrator.json.v02.bak",
    },
    ...finds.map((f) => ({
      ...at,
      path: formatPath(f.path),
      problem: f.problem,
      got: showValue(f.value),
      ...(f.expected === undefined ? {} : { expected: f.expected }),
    })),
  ];
}
