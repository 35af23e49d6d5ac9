import { formatPath } from "@orchestra/core";
import type { ConfigProfileKey } from "./effective-profile.js";
import type { EnabledEntry, LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
import type { ProfileEntry } from "./schema.js";

/** Where one entry of the config's `profiles` array was written: the file, and its index in that file's array. */
export interface ProfileEntryOrigin {
  /** The config file. */
  readonly file: string;
  /** The entry's index in that file's `profiles` array (merged configs renumber entries). */
  readonly index: number;
}

/** Options of {@link profilesFromConfig}. */
export interface ConfigProfilesOptions {
  /** Where each entry was written, by index (`loadConfig`'s `origins.profiles`); wins over `file`. */
  readonly origins?: readonly (ProfileEntryOrigin | undefined)[];
  /** The one config file every entry came from, when there is no `origins`. */
  readonly file?: string;
  /**
   * The config array the entries are from (default `profiles`). In `workers` (the profiles to spawn
   * at start) an object defines a profile as in `profiles`, and a string only names one to spawn: it
   * enables nothing.
   */
  readonly key?: ConfigProfileKey;
}

/**
 * Take the `profiles` array of an orchestrator config that the config loader has already validated
 * (so nothing is validated twice): a string entry enables a profile by id (a built-in, or one defined
 * in a markdown file); an object defines a profile, or overrides a built-in of the same id. Each
 * entry keeps its origin (file and JSON path), so problems found later, while resolving `extends` or
 * `compose`, name the file and the path the user wrote.
 *
 * @example
 * ```ts
 * const loaded = await loadConfig({ projectDir });
 * const fromConfig = profilesFromConfig(loaded.config.profiles, { origins: loaded.origins.profiles });
 * const registry = createProfileRegistry({ sources: [fromConfig] });
 * ```
 */
export function profilesFromConfig(
  entries: readonly ProfileEntry[],
  options: ConfigProfilesOptions = {},
): ProfileLoadResult {
  const profiles: LoadedProfile[] = [];
  const enabled: EnabledEntry[] = [];
  const key = options.key ?? "profiles";
  entries.forEach((entry, i) => {
    const origin = options.origins?.[i];
    const index = origin?.index ?? i;
    const file = origin?.file ?? options.file;
    const fileField = file === undefined ? {} : { file };
    if (typeof entry === "string") {
      if (key === "profiles") enabled.push({ id: entry, ...fileField, path: formatPath([key, index]) });
      return;
    }
    profiles.push({
      id: entry.id,
      source: { kind: "config", index, ...fileField, ...(key === "profiles" ? {} : { key }) },
      definition: entry,
      issues: [],
    });
  });
  return { profiles, enabled, issues: [] };
}
