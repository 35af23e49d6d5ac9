export { BUILTIN_PROFILE_IDS, BUILTIN_PROFILES } from "./builtins.js";
export { compose } from "./compose.js";
export {
  type ConfigProfilesOptions,
  type ProfileEntryOrigin,
  profilesFromConfig,
} from "./config-profiles.js";
export {
  type DiscoverableProfile,
  type FindProfileOptions,
  findProfile,
  type ProfileMatch,
} from "./discovery.js";
export { type ResolvedCore, resolveRoot, simplifyAllowedLists } from "./draft.js";
export type {
  ConfigProfileKey,
  EffectivePermissions,
  EffectiveProfile,
  EffectiveToolPermission,
  FieldOrigin,
  OriginRule,
  ProfileSource,
  Provenance,
  ResolvedProfile,
  Widening,
  WorkerIsolation,
  WorkerKind,
} from "./effective-profile.js";
export { inherit } from "./inherit.js";
export { loadProfileFiles, parseProfileMarkdown } from "./markdown-profiles.js";
export {
  formatProfileIssue,
  ProfileError,
  type ProfileErrorCode,
  type ProfileIssue,
} from "./profile-error.js";
export type { EnabledEntry, LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
export {
  createProfileRegistry,
  type LoadProfileRegistryOptions,
  loadProfileRegistry,
  type ProfileListEntry,
  ProfileRegistry,
  type ProfileRegistryOptions,
} from "./registry.js";
export {
  modelRefSchema,
  type ProfileDefinition,
  type ProfileEntry,
  profileEntrySchema,
  profileIdSchema,
  profileSchema,
} from "./schema.js";
export { type ProfileSuggestion, suggestProfiles } from "./suggest.js";
export { type IssueLocation, type ProfileValidation, validateProfileDefinition } from "./validate.js";
