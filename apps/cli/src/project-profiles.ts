import { join } from "node:path";
import { configPaths, type LoadedConfig, loadConfig } from "@orchestra/config";
import {
  loadProfileRegistry,
  ProfileError,
  type ProfileRegistry,
  type ResolvedProfile,
} from "@orchestra/profiles";
import type { ProjectOptions } from "./project-options.js";

/** The merged config and the profile registry built from it (what `orchestra workers spawn` uses). */
export interface ProjectProfiles {
  /** The validated, merged config. */
  readonly loaded: LoadedConfig;
  /** Built-ins, the config's `profiles` and the profile objects of `workers`, and the markdown profiles. */
  readonly registry: ProfileRegistry;
  /** Where the config and profiles were looked for, for a "not found" hint. */
  readonly lookedIn: string;
}

/**
 * Load the config and the profiles the way every command does: the global and project
 * `orchestrator.json` files (JSONC, validated once by `@orchestra/config`; an invalid config is refused
 * whole), or only `--config`, plus the markdown profiles of the project directory.
 *
 * @throws {ConfigError} when a config file is invalid.
 */
export async function loadProjectProfiles(options: ProjectOptions = {}): Promise<ProjectProfiles> {
  const directory = options.project ?? process.cwd();
  const source = options.config === undefined ? { projectDir: directory } : { file: options.config };
  const loaded = await loadConfig(source);
  const registry = await loadProfileRegistry({
    projectDir: directory,
    config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
    workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
  });
  const found = new Set(loaded.layers.map((l) => l.file));
  const files = configPaths(source).map((p) => (found.has(p.file) ? p.file : `${p.file} (not found)`));
  const markdown = ["agent", "agents", "skill", "skills"].map((d) => join(directory, ".opencode", d));
  const lookedIn = `config files read: ${files.join(", ")}; profile files read from ${markdown.join(", ")}`;
  return { loaded, registry, lookedIn };
}

/**
 * Resolve a profile of the project; an unknown id's error also says which files were read, so the
 * user can see when the profile is defined somewhere this command does not look.
 *
 * @throws {ProfileError} as {@link ProfileRegistry.resolveProfile} does.
 */
export function resolveProjectProfile(project: ProjectProfiles, id: string): ResolvedProfile {
  try {
    return project.registry.resolveProfile(id);
  } catch (error) {
    if (!ProfileError.isInstance(error) || error.code !== "PROFILE_NOT_FOUND") throw error;
    throw new ProfileError(error.code, error.message, {
      hints: [...error.hints, project.lookedIn],
      cause: error,
    });
  }
}
