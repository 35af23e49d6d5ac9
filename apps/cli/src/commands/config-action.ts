import { ConfigError, type LoadedConfig, loadConfig } from "@orchestra/config";
import { formatIssue, type Issue, parsePath } from "@orchestra/core";
import { loadProfileRegistry } from "@orchestra/profiles";
import { crossReferenceIssues } from "../config-cross-refs.js";
import { EXIT } from "../exit.js";

/** The options of `orchestra config validate` and `show`. */
export interface CommonOptions {
  file?: string;
  project?: string;
}

function load(options: CommonOptions): Promise<LoadedConfig> {
  return loadConfig({
    ...(options.file === undefined ? {} : { file: options.file }),
    ...(options.project === undefined ? {} : { projectDir: options.project }),
  });
}

function render(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
}

/** Flatten the effective config to `path = value` lines in the order of `sources`. */
function showLines(loaded: LoadedConfig): string[] {
  const lines: string[] = [];
  const files = loaded.layers.length
    ? loaded.layers.map((l) => `  ${l.kind.padEnd(7)} ${l.file}`)
    : ["  (none found: every value is a default)"];
  lines.push("Config files, in merge order (later wins):", ...files, "");
  const width = Math.max(...Object.keys(loaded.sources).map((p) => p.length));
  for (const [path, source] of Object.entries(loaded.sources)) {
    const value = parsePath(path).reduce<unknown>(
      (v, seg) => (v as Record<PropertyKey, unknown> | undefined)?.[seg],
      loaded.config,
    );
    lines.push(`${path.padEnd(width)}  ${render(value)}  ← ${source}`);
  }
  return lines;
}

/** `orchestra config validate`: print `valid: …`, or each issue on stderr and exit 1. */
export async function runValidate(options: CommonOptions): Promise<void> {
  let issues: readonly Issue[];
  let files: string[] = [];
  try {
    const loaded = await load(options);
    files = loaded.layers.map((l) => l.file);
    for (const warning of loaded.warnings) {
      process.stderr.write(`warning: ${warning.file ? `${warning.file}: ` : ""}${formatIssue(warning)}\n`);
    }
    // What only the whole config shows: profiles that don't resolve, ids that name no profile,
    // alias cycles. With --file, the project's profile files are not part of it.
    const registry = await loadProfileRegistry({
      ...(options.file === undefined ? { projectDir: options.project ?? process.cwd() } : {}),
      config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
      workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
    });
    issues = crossReferenceIssues(loaded, registry);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    issues = error.issues;
  }
  if (issues.length === 0) {
    process.stdout.write(
      files.length
        ? `valid: ${files.join(", ")}\n`
        : "valid: no config file found, every value is a default\n",
    );
    return;
  }
  for (const issue of issues) {
    process.stderr.write(`${issue.file ? `${issue.file}: ` : ""}${formatIssue(issue)}\n`);
  }
  process.stderr.write(
    `${issues.length} ${issues.length === 1 ? "error" : "errors"}; nothing was applied. Fix them and run again.\n`,
  );
  process.exitCode = EXIT.failure;
}

/** `orchestra config show`: the effective config and each value's source, as text or JSON. */
export async function runShow(options: CommonOptions & { json?: boolean }): Promise<void> {
  const loaded = await load(options);
  if (options.json) {
    const files = loaded.layers.map((l) => ({ kind: l.kind, file: l.file }));
    process.stdout.write(
      `${JSON.stringify({ config: loaded.config, sources: loaded.sources, files }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${showLines(loaded).join("\n")}\n`);
  }
}
