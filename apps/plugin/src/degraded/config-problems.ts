import { ConfigError, type LoadConfigOptions, loadConfig } from "@orchestra/config";
import { formatIssue } from "@orchestra/core";

/**
 * What the user does next, in every degraded-mode answer, toast and log line. The plugin reads its
 * config once, when OpenCode starts it, so a fixed file takes effect at the next start.
 */
export const NEXT_STEPS: readonly string[] = [
  "fix each error in the file it names (the JSON path says where), then run `orchestra config validate` to check",
  "restart OpenCode: the plugin reads its config when it starts",
];

/**
 * Load the orchestrator config files (global, then project) the way the plugin does, and return
 * their problems as one {@link ConfigError} with the code `CONFIG_INVALID`, whatever the loader's
 * code was (`CONFIG_PARSE`, `CONFIG_READ`, …): degraded mode answers under one stable code.
 * `undefined` when the config is valid. Errors that are not config errors propagate.
 */
export async function findConfigProblems(options: LoadConfigOptions): Promise<ConfigError | undefined> {
  try {
    await loadConfig(options);
    return undefined;
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return error.code === "CONFIG_INVALID"
      ? error
      : new ConfigError("CONFIG_INVALID", error.issues, { cause: error });
  }
}

/** Every issue as one line, `file: path: problem (got …, expected …)`. */
export function problemLines(problems: ConfigError): string[] {
  return problems.issues.map((issue) => formatIssue(issue, { file: true }));
}

/** The files the issues are in, each once, in order. */
export function problemFiles(problems: ConfigError): string[] {
  return [...new Set(problems.issues.flatMap((issue) => (issue.file === undefined ? [] : [issue.file])))];
}

/** `N config error(s)`. */
export function errorCount(problems: ConfigError): string {
  const n = problems.issues.length;
  return `${n} config ${n === 1 ? "error" : "errors"}`;
}
