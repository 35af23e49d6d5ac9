import type { ProfileIssue } from "./profile-error.js";
import type { EnabledEntry, LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
import { profileIdSchema } from "./schema.js";
import { formatPath, showValue, validateProfileDefinition } from "./validate.js";

/** Options of {@link profilesFromConfig}. */
export interface ConfigProfilesOptions {
  /** The config file, used in error lines. */
  file?: string;
  /** JSON path of the array inside the file; defaults to `["profiles"]`. */
  path?: readonly (string | number)[];
}

/**
 * Read the `profiles` array of an orchestrator config. A string entry enables a profile by id
 * (a built-in, or one defined in a markdown file); an object defines a profile, or overrides a
 * built-in of the same id. Every entry is validated with the profile schema; an invalid entry with a
 * usable `id` becomes an invalid profile that fails closed, so it can never resolve to something wider.
 */
export function profilesFromConfig(entries: unknown, options: ConfigProfilesOptions = {}): ProfileLoadResult {
  const base = options.path ?? ["profiles"];
  const fileField = options.file === undefined ? {} : { file: options.file };
  const profiles: LoadedProfile[] = [];
  const enabled: EnabledEntry[] = [];
  const issues: ProfileIssue[] = [];
  if (entries === undefined) return { profiles, enabled, issues };
  if (!Array.isArray(entries)) {
    issues.push({
      code: "PROFILE_INVALID",
      ...fileField,
      path: formatPath(base),
      problem: "wrong type",
      got: showValue(entries),
      expected: "an array of profile ids and profile objects",
    });
    return { profiles, enabled, issues };
  }
  entries.forEach((entry, index) => {
    const path = [...base, index];
    const source = { kind: "config" as const, index, ...fileField };
    if (typeof entry === "string") {
      const id = profileIdSchema.safeParse(entry);
      if (id.success) enabled.push({ id: id.data, ...fileField, path: formatPath(path) });
      else
        issues.push({
          code: "PROFILE_INVALID",
          ...fileField,
          path: formatPath(path),
          problem: "invalid profile id",
          got: showValue(entry),
          expected: "lower-case letters, digits and dashes, starting with a letter",
        });
      return;
    }
    const result = validateProfileDefinition(entry, { ...fileField, path });
    if (result.ok) {
      profiles.push({ id: result.profile.id, source, definition: result.profile, issues: [] });
      return;
    }
    const rawId = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const id = profileIdSchema.safeParse(rawId);
    if (id.success) profiles.push({ id: id.data, source, issues: result.issues });
    else issues.push(...result.issues);
  });
  return { profiles, enabled, issues };
}
