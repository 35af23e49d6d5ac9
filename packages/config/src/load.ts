import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { formatPath, showValue } from "@orchestra/core";
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { ConfigError, type ConfigErrorCode, type ConfigIssue } from "./config-error.js";
import { duplicateKeys } from "./duplicate-keys.js";
import { issuesFromZod } from "./issues.js";
import { KEYED_ARRAYS, mergeLayers } from "./merge.js";
import { type OrchestratorConfig, orchestratorConfigSchema } from "./schema.js";
import { LOOKS_LIKE_V02, v02Issues } from "./v02/detect.js";

/** Where a config layer came from. */
export type LayerKind = "global" | "project";

/** One config file that was read. */
export interface ConfigLayer {
  /** `global` (user-wide) or `project`. */
  kind: LayerKind;
  /** Absolute path of the file. */
  file: string;
  /** The parsed (and validated) document, before defaults. */
  raw: Record<string, unknown>;
}

/** Options of {@link loadConfig} and {@link configPaths}. */
export interface LoadConfigOptions {
  /** The project directory (default: `process.cwd()`). */
  projectDir?: string;
  /** The user's home directory (default: `os.homedir()`). */
  home?: string;
  /** Environment for `XDG_CONFIG_HOME` (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Read only this file instead of the global and project files. */
  file?: string;
  /**
   * Text to use in place of a file's content, by absolute path: a file that is about to be written
   * (`orchestra migrate`'s result) is checked as the loader will read it, before it is written.
   */
  contents?: Readonly<Record<string, string>>;
}

/** Where one item of a keyed array (`profiles`, `workers`) of the merged config was written. */
export interface EntryOrigin {
  /** The file. */
  readonly file: string;
  /** The item's index in that file's array (merging by id renumbers items). */
  readonly index: number;
}

/** The effective config and where each value came from. */
export interface LoadedConfig {
  /** The merged config with every default filled in. */
  config: OrchestratorConfig;
  /** The files read, in merge order (later wins). */
  layers: ConfigLayer[];
  /** For each leaf JSON path of `config`, the file it came from or `"default"`. */
  sources: Record<string, string>;
  /**
   * For each item of `config.profiles` and `config.workers`, by index, the file and the index in
   * that file's array it came from, so later errors (e.g. a profile's unknown parent) name the
   * file and the JSON path the user wrote. Pass `origins.profiles` to `@orchestra/profiles`.
   */
  origins: { profiles: (EntryOrigin | undefined)[]; workers: (EntryOrigin | undefined)[] };
  /** What is allowed but probably a mistake, with file and JSON path: keys written twice in one object. */
  warnings: ConfigIssue[];
}

/** The config files, in merge order: the global file, then the project files. */
export function configPaths(options: LoadConfigOptions = {}): { kind: LayerKind; file: string }[] {
  if (options.file !== undefined) return [{ kind: "project", file: resolve(options.file) }];
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config");
  const project = resolve(options.projectDir ?? process.cwd());
  return [
    { kind: "global", file: join(configHome, "opencode", "orchestrator.json") },
    { kind: "project", file: join(project, "orchestrator.json") },
    { kind: "project", file: join(project, ".opencode", "orchestrator.json") },
  ];
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Parse a JSON or JSONC document (comments and trailing commas allowed).
 * @throws {ConfigError} `CONFIG_PARSE` with the line and column of every syntax error.
 */
export function parseJsonc(text: string, file?: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new ConfigError(
      "CONFIG_PARSE",
      errors.map((e) => ({
        ...(file === undefined ? {} : { file }),
        path: lineCol(text, e.offset),
        problem: `syntax error: ${printParseErrorCode(e.error)}`,
      })),
    );
  }
  return value;
}

function duplicateIds(doc: Record<string, unknown>, file: string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of KEYED_ARRAYS) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((item: unknown, index) => {
      const id = typeof item === "string" ? item : (item as { id?: unknown } | null)?.id;
      if (typeof id !== "string") return;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else
        issues.push({
          ...(file === undefined ? {} : { file }),
          path: formatPath([key, index, ...(typeof item === "string" ? [] : ["id"])]),
          problem: "duplicate id",
          got: showValue(id),
          expected: `each id once (first at ${formatPath([key, first])})`,
        });
    });
  }
  return issues;
}

/** Result of {@link validateConfig}: the effective config, or every issue found. */
export type ValidationResult =
  | { ok: true; config: OrchestratorConfig }
  | { ok: false; issues: ConfigIssue[] };

/** True when `path` is `at` or lies under it (`a.b` is under `a`, so is `a[0]`). */
const within = (path: string, at: string): boolean =>
  path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);

/**
 * Validate one parsed document against the schema and fill in defaults. Never throws.
 * v0.2 content comes first: a `(root)` issue "this looks like a v0.2 config: run `orchestra migrate`",
 * then "retired in v0.3: <what to do instead>" for each retired key (in place of a generic
 * unknown-key error) and an issue for each boolean `tools` map that would deny every call.
 */
export function validateConfig(doc: unknown, file?: string): ValidationResult {
  const result = orchestratorConfigSchema.safeParse(doc, { reportInput: true });
  const v02 = v02Issues(doc, file);
  const covered = v02.map((i) => i.path).filter((p) => p !== "(root)");
  const schemaIssues = result.success ? [] : issuesFromZod(result.error.issues, doc, file);
  const issues = [...v02, ...schemaIssues.filter((i) => !covered.some((at) => within(i.path, at)))];
  if (doc !== null && typeof doc === "object" && !Array.isArray(doc))
    issues.push(...duplicateIds(doc as Record<string, unknown>, file));
  return result.success && issues.length === 0 ? { ok: true, config: result.data } : { ok: false, issues };
}

/** What reading one file gave: its layer, or its issues (and the code they get); warnings either way. */
interface LayerRead {
  layer?: ConfigLayer;
  issues: ConfigIssue[];
  code?: ConfigErrorCode;
  warnings: ConfigIssue[];
}

async function readLayer(kind: LayerKind, file: string, given?: string): Promise<LayerRead> {
  let text: string;
  try {
    text = given ?? (await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { issues: [], warnings: [] };
    return {
      issues: [{ file, path: "(root)", problem: (error as Error).message }],
      code: "CONFIG_READ",
      warnings: [],
    };
  }
  // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  let doc: unknown;
  try {
    doc = parseJsonc(text, file);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return { issues: [...error.issues], code: error.code, warnings: [] };
  }
  const warnings = duplicateKeys(text, file);
  const checked = validateConfig(doc, file);
  if (!checked.ok) return { issues: checked.issues, warnings };
  return { layer: { kind, file, raw: doc as Record<string, unknown> }, issues: [], warnings };
}

/** The code of a failed load: a file unread, then unparsable, then v0.2, then invalid. */
function failureCode(codes: readonly ConfigErrorCode[], issues: readonly ConfigIssue[]): ConfigErrorCode {
  if (codes.includes("CONFIG_READ")) return "CONFIG_READ";
  if (codes.includes("CONFIG_PARSE")) return "CONFIG_PARSE";
  return issues.some((i) => i.problem === LOOKS_LIKE_V02) ? "CONFIG_V02" : "CONFIG_INVALID";
}

const entryId = (item: unknown): unknown =>
  typeof item === "string" ? item : (item as { id?: unknown } | null)?.id;

/** The file and index each item of a merged keyed array came from: the last layer naming its id. */
function entryOrigins(
  key: "profiles" | "workers",
  merged: readonly unknown[],
  layers: readonly ConfigLayer[],
): (EntryOrigin | undefined)[] {
  return merged.map((item) => {
    const id = entryId(item);
    for (const layer of [...layers].reverse()) {
      const list = layer.raw[key];
      const index = Array.isArray(list) ? list.findIndex((x) => entryId(x) === id) : -1;
      if (index >= 0) return { file: layer.file, index };
    }
    return undefined;
  });
}

function leafSources(
  value: unknown,
  path: (string | number)[],
  layers: readonly ConfigLayer[],
  out: Record<string, string>,
) {
  const top = path[0];
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leafSources(v, [...path, k], layers, out);
    return;
  }
  if (Array.isArray(value) && path.length === 1 && typeof top === "string" && KEYED_ARRAYS.includes(top)) {
    value.forEach((item: unknown, i) => {
      const id = typeof item === "string" ? item : (item as { id?: string }).id;
      const from = [...layers]
        .reverse()
        .find((l) =>
          (l.raw[top] as unknown[] | undefined)?.some(
            (x) => (typeof x === "string" ? x : (x as { id?: string })?.id) === id,
          ),
        );
      out[formatPath([top, i])] = from?.file ?? "default";
    });
    return;
  }
  const from = [...layers].reverse().find((l) => {
    let v: unknown = l.raw;
    for (const seg of path) {
      if (v === null || typeof v !== "object" || !(String(seg) in (v as object))) return false;
      v = (v as Record<string, unknown>)[String(seg)];
    }
    return true;
  });
  out[formatPath(path)] = from?.file ?? "default";
}

/**
 * Load the effective orchestrator config: the global `~/.config/opencode/orchestrator.json`
 * (`$XDG_CONFIG_HOME` respected), then the project's `orchestrator.json`, then the project's
 * `.opencode/orchestrator.json`, each merged over the previous by {@link mergeLayers}, then defaults.
 * Missing files are skipped. Every file is validated on its own so errors name the file.
 *
 * @throws {ConfigError} with every issue of every file; nothing of an invalid config is applied.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const layers: ConfigLayer[] = [];
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const codes: ConfigErrorCode[] = [];
  // Every file is read and checked, so one broken file never hides another's errors.
  for (const { kind, file } of configPaths(options)) {
    const read = await readLayer(kind, file, options.contents?.[file]);
    issues.push(...read.issues);
    warnings.push(...read.warnings);
    if (read.code) codes.push(read.code);
    if (read.layer) layers.push(read.layer);
  }
  if (options.file !== undefined && layers.length === 0 && issues.length === 0) {
    throw new ConfigError("CONFIG_READ", [
      { file: resolve(options.file), path: "(root)", problem: "file not found" },
    ]);
  }
  if (issues.length > 0) throw new ConfigError(failureCode(codes, issues), issues);

  const merged = layers.reduce<unknown>((acc, layer) => mergeLayers(acc, layer.raw), {});
  const checked = validateConfig(merged);
  if (!checked.ok) throw new ConfigError("CONFIG_INVALID", checked.issues);
  const sources: Record<string, string> = {};
  leafSources(checked.config, [], layers, sources);
  const origins = {
    profiles: entryOrigins("profiles", checked.config.profiles, layers),
    workers: entryOrigins("workers", checked.config.workers, layers),
  };
  return { config: checked.config, layers, sources, origins, warnings };
}
