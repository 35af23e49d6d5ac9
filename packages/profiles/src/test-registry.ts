// The registry the resolution tests share (not exported, not bundled).
import { profilesFromConfig } from "./config-profiles.js";
import type { ResolvedProfile } from "./effective-profile.js";
import { createProfileRegistry, type ProfileRegistry } from "./registry.js";

/** A registry of only these definitions (no built-ins), as if read from a config's `profiles` array. */
function registry(...defs: unknown[]): ProfileRegistry {
  return createProfileRegistry({ builtins: [], sources: [profilesFromConfig(defs, { file: "test.json" })] });
}

/** Resolve `id` in a registry of only `defs`. */
export const resolve = (defs: unknown[], id: string): ResolvedProfile => registry(...defs).resolveProfile(id);
