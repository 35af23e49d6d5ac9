import type { Catalog } from "./catalog.js";

/** OpenCode's built-in provider: it counts as connected even offline, with no key of the user's. */
export const BUILTIN_OPENCODE_PROVIDER = "opencode";

/** What says which providers the user chose. */
export interface UserProviderChoice {
  /** The user's default model (`model` in the OpenCode config), `provider/model`. */
  readonly defaultModel?: string;
  /** `modelSelection.preferredProviders` from the orchestrator config. */
  readonly preferredProviders?: readonly string[];
}

/**
 * The catalog with only the providers the user configured counted as connected: OpenCode's built-in
 * free provider (`opencode`) stays connected only when it is the provider of the user's default model
 * or is listed in `preferredProviders`. Auto tags pick among connected providers only, so workers
 * never land on a provider the user never chose.
 */
export function restrictToUserProviders(catalog: Catalog, choice: UserProviderChoice): Catalog {
  if (!catalog.connected.includes(BUILTIN_OPENCODE_PROVIDER)) return catalog;
  const chosen =
    choice.defaultModel?.split("/")[0] === BUILTIN_OPENCODE_PROVIDER ||
    (choice.preferredProviders ?? []).includes(BUILTIN_OPENCODE_PROVIDER);
  if (chosen) return catalog;
  return { ...catalog, connected: catalog.connected.filter((id) => id !== BUILTIN_OPENCODE_PROVIDER) };
}
