// Registries the tests share (not exported, not bundled).
import { z } from "zod";
import { profilesFromConfig } from "./config-profiles.js";
import type { ResolvedProfile } from "./effective-profile.js";
import type { LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
import { createProfileRegistry, type ProfileRegistry } from "./registry.js";
import { type ProfileEntry, profileEntrySchema } from "./schema.js";
import { validateProfileDefinition } from "./validate.js";

/** Config entries as the config loader hands them over: validated with the profile schema (throws when one is invalid). */
export function validated(raw: readonly unknown[]): ProfileEntry[] {
  return z.array(profileEntrySchema).parse(raw);
}

/** A registry of only these config entries (no built-ins unless asked), as if read from `file`. */
export function fromConfig(
  raw: readonly unknown[],
  options: { builtins?: boolean; file?: string } = {},
): ProfileRegistry {
  return createProfileRegistry({
    ...(options.builtins === true ? {} : { builtins: [] }),
    sources: [profilesFromConfig(validated(raw), { file: options.file ?? "orchestrator.json" })],
  });
}

/**
 * Definitions as markdown files hand them over: each validated on its own, an invalid one kept with
 * its issues (it fails closed). `<id>.md` is the file of each.
 */
export function fromFiles(raw: readonly { id: string }[]): ProfileLoadResult {
  const profiles: LoadedProfile[] = raw.map((def) => {
    const file = `${def.id}.md`;
    const v = validateProfileDefinition(def, { file });
    return v.ok
      ? { id: def.id, source: { kind: "file", file }, definition: v.profile, issues: [] }
      : { id: def.id, source: { kind: "file", file }, issues: v.issues };
  });
  return { profiles, enabled: [], issues: [] };
}

/** Resolve `id` in a registry of only these config entries. */
export const resolve = (defs: unknown[], id: string): ResolvedProfile => fromConfig(defs).resolveProfile(id);
