import type { OrchestratorConfig } from "@orchestra/config";
import type { EffectiveProfile, ProfileRegistry } from "@orchestra/profiles";
import {
  buildCatalogIndex,
  type Catalog,
  createResolver,
  type Resolution,
  ResolverError,
  restrictToUserProviders,
} from "@orchestra/resolver";

/** One enabled profile's model against the live catalog: what it resolves to, or why not. */
export type ProfileModel =
  | { id: string; profile: EffectiveProfile; ok: true; resolution: Resolution }
  | { id: string; profile: EffectiveProfile; ok: false; error: ResolverError };

/**
 * The catalog as workers see it: OpenCode's built-in free provider counts as connected only when it
 * is the provider of the user's default model or in `modelSelection.preferredProviders`.
 */
export function usableCatalog(
  catalog: Catalog,
  options: { config?: OrchestratorConfig; defaultModel?: string },
): Catalog {
  const preferred = options.config?.modelSelection.preferredProviders;
  return restrictToUserProviders(catalog, {
    ...(options.defaultModel === undefined ? {} : { defaultModel: options.defaultModel }),
    ...(preferred === undefined ? {} : { preferredProviders: preferred }),
  });
}

/**
 * Resolve every enabled, valid profile's model (`model`, then `fallbackModels`) against `catalog`
 * as a spawn does: only the user's providers ({@link usableCatalog}), the config's aliases,
 * selection and capability overrides, the user's default model for `auto`, vision required when
 * the profile says so.
 */
export function resolveProfileModels(
  registry: ProfileRegistry,
  catalog: Catalog,
  options: { config?: OrchestratorConfig; defaultModel?: string },
): ProfileModel[] {
  const { config, defaultModel } = options;
  const index = buildCatalogIndex(
    usableCatalog(catalog, options),
    config === undefined ? {} : { capabilityOverrides: config.capabilityOverrides },
  );
  const resolver = createResolver(index, {
    ...(config === undefined
      ? {}
      : { modelAliases: config.modelAliases, modelSelection: config.modelSelection }),
    ...(defaultModel === undefined ? {} : { defaultModel }),
  });
  const out: ProfileModel[] = [];
  for (const entry of registry.list()) {
    if (!entry.ok) continue;
    const profile = entry.resolved.profile;
    try {
      out.push({ id: entry.id, profile, ok: true, resolution: resolver.resolveProfile(profile) });
    } catch (error) {
      if (!ResolverError.isResolverError(error)) throw error;
      out.push({ id: entry.id, profile, ok: false, error });
    }
  }
  return out;
}
