import { homedir } from "node:os";
import { ConfigError, type LoadedConfig, loadConfig } from "@orchestra/config";
import { loadProfileRegistry, type ProfileRegistry } from "@orchestra/profiles";

/** Where the doctor looks: the project, the environment (XDG dirs, PATH, NEO4J_*) and HOME. */
export interface DoctorSetup {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

/** The current process's setup: the current directory, `process.env`, the user's home. */
export function currentSetup(): DoctorSetup {
  return { projectDir: process.cwd(), env: process.env, home: homedir() };
}

/** The merged orchestrator config, or the error listing every problem of every file. */
export type ConfigState = { ok: true; loaded: LoadedConfig } | { ok: false; error: ConfigError };

/** Load the global and project config files as every command does (JSONC, validated, merged). */
export async function readConfig(setup: DoctorSetup): Promise<ConfigState> {
  try {
    return {
      ok: true,
      loaded: await loadConfig({ projectDir: setup.projectDir, env: setup.env, home: setup.home }),
    };
  } catch (error) {
    if (ConfigError.isInstance(error)) return { ok: false, error };
    throw error;
  }
}

/**
 * The profiles the orchestrator would know: built-ins, the config's `profiles` and `workers`
 * entries (only when the config is valid: an invalid config is applied in no part), and the
 * project's markdown profiles.
 */
export function readProfiles(setup: DoctorSetup, config: ConfigState): Promise<ProfileRegistry> {
  return loadProfileRegistry({
    projectDir: setup.projectDir,
    ...(config.ok
      ? {
          config: { profiles: config.loaded.config.profiles, origins: config.loaded.origins.profiles },
          workers: { entries: config.loaded.config.workers, origins: config.loaded.origins.workers },
        }
      : {}),
  });
}
