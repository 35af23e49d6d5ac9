import { type FindProfileOptions, findProfile } from "./discovery.js";
import type { EffectiveProfile } from "./effective-profile.js";
import type { ProfileRegistry } from "./registry.js";

/** A suggestion in the shape the CLI's `--json`, `suggest_worker` and `delegate_task` share. */
export interface ProfileSuggestion {
  /** Profile id. */
  readonly profile: string;
  /** Confidence in [0, 1]. */
  readonly confidence: number;
  /** Matched tags and keywords. */
  readonly reasons: readonly string[];
}

/**
 * Rank the registry's enabled profiles for a task description, best first. Profiles that fail to
 * resolve are never suggested (they fail closed). This is the one ranking behind `orchestra suggest`,
 * the `suggest_worker` tool and `delegate_task`'s choice of worker.
 */
export function suggestProfiles(
  registry: ProfileRegistry,
  description: string,
  options: FindProfileOptions = {},
): ProfileSuggestion[] {
  const profiles: EffectiveProfile[] = registry.list().flatMap((e) => (e.ok ? [e.resolved.profile] : []));
  return findProfile(description, profiles, options).map((m) => ({
    profile: m.profile.id,
    confidence: m.confidence,
    reasons: m.reasons,
  }));
}
