import type { ProfileSource } from "./effective-profile.js";
import type { ProfileIssue } from "./profile-error.js";
import type { ProfileDefinition } from "./schema.js";

/** One user profile found while loading: a valid definition, or the issues that make it invalid. */
export interface LoadedProfile {
  /** The profile id (from the definition, or from the file path for markdown profiles). */
  readonly id: string;
  /** Where it was found. */
  readonly source: ProfileSource;
  /** The validated definition; absent when `issues` is not empty. */
  readonly definition?: ProfileDefinition;
  /** Problems that make this profile invalid. An invalid profile fails closed: it never resolves. */
  readonly issues: readonly ProfileIssue[];
}

/** A string entry in the config's `profiles` array: "enable this profile". */
export interface EnabledEntry {
  /** The id named. */
  readonly id: string;
  /** The config file, when known. */
  readonly file?: string;
  /** JSON path of the entry, e.g. `profiles[0]`. */
  readonly path: string;
}

/** What one source (a config, or the markdown files of a project) contributed. */
export interface ProfileLoadResult {
  /** Profiles defined by this source. */
  readonly profiles: readonly LoadedProfile[];
  /** Ids named by string entries. */
  readonly enabled: readonly EnabledEntry[];
  /** Problems that belong to no single profile (e.g. an entry without a usable id). */
  readonly issues: readonly ProfileIssue[];
}
