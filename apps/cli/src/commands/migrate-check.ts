import { resolve } from "node:path";
import { ConfigError, configPaths, type LoadedConfig, loadConfig } from "@orchestra/config";
import { formatIssue, type Issue, OrchestraError } from "@orchestra/core";
import { loadProfileRegistry } from "@orchestra/profiles";
import { crossReferenceIssues } from "../config-cross-refs.js";

/**
 * The cross-reference errors `orchestra config validate` would report once `output` is written to
 * `file` (profiles whose `extends` names no profile, `workers` naming no profile, alias cycles), each
 * with its file and JSON path. The file is read the way `config validate` reads it: when it is one of
 * the config files of the current directory, merged with the others and with the project's markdown
 * profiles; otherwise on its own (as `config validate --file`). When the other config files cannot be
 * loaded (one is still v0.2, or invalid), the file is checked without them (with the markdown profiles).
 */
export async function migratedCrossReferenceIssues(
  file: string,
  output: Record<string, unknown>,
): Promise<Issue[]> {
  const path = resolve(file);
  const contents = { [path]: JSON.stringify(output) };
  const project = process.cwd();
  const inProject = configPaths({ projectDir: project }).some((p) => p.file === path);
  const check = async (merged: boolean): Promise<Issue[]> => {
    const loaded: LoadedConfig = await loadConfig(
      merged ? { projectDir: project, contents } : { file: path, contents },
    );
    const registry = await loadProfileRegistry({
      ...(inProject ? { projectDir: project } : {}),
      config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
      workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
    });
    return crossReferenceIssues(loaded, registry);
  };
  if (inProject) {
    try {
      return await check(true);
    } catch (error) {
      if (!ConfigError.isInstance(error)) throw error;
    }
  }
  try {
    return await check(false);
  } catch (error) {
    // The schema's own issues: the migrate command reports them itself.
    if (ConfigError.isInstance(error)) return [];
    throw error;
  }
}

/**
 * The failure of a migration whose result would not pass `config validate`: each error with its file
 * and JSON path, and what to do. Nothing was written.
 */
export function crossReferenceFailure(file: string, issues: readonly Issue[], again: string): OrchestraError {
  const count = `${issues.length} cross-reference ${issues.length === 1 ? "error" : "errors"}`;
  return new OrchestraError(
    "CLI_MIGRATE_CROSS_REFS",
    `The migrated ${file} would not pass \`orchestra config validate\`: ${count}; nothing was written.`,
    {
      hints: [
        ...issues.map((i) => `${i.file ? `${i.file}: ` : ""}${formatIssue(i)}`),
        `fix ${issues.length === 1 ? "it" : "each"} in ${file} (the paths are the migrated result's; the v0.2 file has the same ones unless the change list moved the entry), then run \`${again}\``,
      ],
    },
  );
}
