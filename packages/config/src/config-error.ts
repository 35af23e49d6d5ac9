import { errorMarker, formatIssue, type Issue, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link ConfigError}. */
export type ConfigErrorCode =
  /** A file is not valid JSON/JSONC. */
  | "CONFIG_PARSE"
  /** A file could not be read. */
  | "CONFIG_READ"
  /** A file parsed but does not match the schema. */
  | "CONFIG_INVALID"
  /** A file is a v0.2.x config (retired keys, or a boolean `tools` map that would deny every call): run `orchestra migrate`. */
  | "CONFIG_V02";

/** One problem found in a config file, with the JSON path of the bad value (the shared `Issue`). */
export type ConfigIssue = Issue;

/**
 * A config file could not be read, parsed or validated. `issues` lists every problem found,
 * so a user can fix them all in one pass; nothing of an invalid config is applied.
 */
export class ConfigError extends OrchestraError<ConfigErrorCode> {
  static override readonly marker = errorMarker("ConfigError");
  /** True for a ConfigError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is ConfigError {
    return OrchestraError.hasMarker(value, ConfigError.marker);
  }

  /** Every problem found, in file order. */
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    const files = [...new Set(issues.map((i) => i.file).filter((f): f is string => f !== undefined))];
    const count = `${issues.length} ${issues.length === 1 ? "error" : "errors"}`;
    const head =
      code === "CONFIG_INVALID"
        ? `Invalid orchestrator config (${count})`
        : code === "CONFIG_V02"
          ? `This looks like a v0.2 orchestrator config, run \`orchestra migrate\` (${count})`
          : code === "CONFIG_PARSE"
            ? "Orchestrator config is not valid JSON"
            : "Orchestrator config could not be read";
    const lines = issues.map((i) => `  ${i.file && files.length > 1 ? `${i.file}: ` : ""}${formatIssue(i)}`);
    super(code, `${head}${files.length === 1 ? ` in ${files[0]}` : ""}:\n${lines.join("\n")}`, {
      cause: options.cause,
      hints:
        code === "CONFIG_V02"
          ? [
              "run `orchestra migrate` to see every change, then `orchestra migrate --write` to apply them (the original is kept as orchestrator.json.v02.bak)",
            ]
          : ["fix the lines above, then run `orchestra config validate` to check"],
    });
    this.issues = issues;
  }
}
