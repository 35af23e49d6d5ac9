import { didYouMean } from "@orchestra/core";
import { BUILTIN_PROFILES } from "./builtins.js";
import { compose } from "./compose.js";
import { type ConfigProfilesOptions, profilesFromConfig } from "./config-profiles.js";
import { type ResolvedCore, resolveRoot } from "./draft.js";
import type { ProfileSource, ResolvedProfile } from "./effective-profile.js";
import { inherit } from "./inherit.js";
import { loadProfileFiles } from "./markdown-profiles.js";
import { withModelList } from "./model-list.js";
import { ProfileError, type ProfileIssue } from "./profile-error.js";
import type { LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
import type { ProfileDefinition, ProfileEntry } from "./schema.js";

/** Options of {@link createProfileRegistry}. */
export interface ProfileRegistryOptions {
  /** The built-in profiles; defaults to {@link BUILTIN_PROFILES}. Pass `[]` for none. */
  builtins?: readonly ProfileDefinition[];
  /** What the config and the markdown files contributed (see `profilesFromConfig`, `loadProfileFiles`). */
  sources?: readonly ProfileLoadResult[];
}

/** One entry of {@link ProfileRegistry.list}: a profile that resolved, or the error that keeps it closed. */
export type ProfileListEntry =
  | { readonly id: string; readonly ok: true; readonly resolved: ResolvedProfile }
  | { readonly id: string; readonly ok: false; readonly error: ProfileError };

interface Node {
  key: string;
  id: string;
  builtin: boolean;
  source: ProfileSource;
  definition?: ProfileDefinition;
  issues: readonly ProfileIssue[];
}

const builtinKey = (id: string) => `builtin:${id}`;
const label = (key: string) => (key.startsWith("builtin:") ? `${key.slice(8)} (built-in)` : key);
const where = (source: ProfileSource) =>
  source.kind === "builtin"
    ? "built-in"
    : source.kind === "file"
      ? source.file
      : `${source.file ?? "config"} ${source.key ?? "profiles"}[${source.index}]`;

/**
 * The profiles known to an orchestrator: the built-ins plus user profiles from config and markdown
 * files. `resolveProfile` applies `extends`/`compose` and fails closed on anything invalid.
 */
export class ProfileRegistry {
  /** Problems that belong to no single profile (shown by `orchestra profiles list`). */
  readonly issues: readonly ProfileIssue[];
  readonly #nodes = new Map<string, Node>();
  readonly #userIds: string[] = [];
  readonly #builtinIds: string[] = [];
  readonly #enabled: ReadonlySet<string>;
  readonly #cache = new Map<string, ResolvedCore | ProfileError>();

  constructor(options: ProfileRegistryOptions = {}) {
    const issues: ProfileIssue[] = [];
    for (const def of options.builtins ?? BUILTIN_PROFILES) {
      this.#builtinIds.push(def.id);
      this.#nodes.set(builtinKey(def.id), {
        key: builtinKey(def.id),
        id: def.id,
        builtin: true,
        source: { kind: "builtin" },
        definition: def,
        issues: [],
      });
    }
    const byId = new Map<string, LoadedProfile[]>();
    for (const source of options.sources ?? []) {
      issues.push(...source.issues);
      for (const p of source.profiles) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
    }
    for (const [id, defs] of byId) {
      const first = defs[0] as LoadedProfile;
      const duplicates: ProfileIssue[] =
        defs.length > 1
          ? [
              {
                code: "PROFILE_DUPLICATE",
                path: "id",
                problem: `the id "${id}" is defined ${defs.length} times: ${defs.map((d) => where(d.source)).join(", ")}`,
                expected: "one definition per id; remove or rename all but one",
              },
            ]
          : [];
      this.#userIds.push(id);
      this.#nodes.set(id, {
        key: id,
        id,
        builtin: false,
        source: first.source,
        ...(first.definition && !duplicates.length ? { definition: first.definition } : {}),
        issues: [...duplicates, ...defs.flatMap((d) => d.issues)],
      });
    }
    const enabled = (options.sources ?? []).flatMap((s) => s.enabled);
    for (const e of enabled) {
      if (this.#nodes.has(e.id) || this.#nodes.has(builtinKey(e.id))) continue;
      const suggestion = didYouMean(e.id, this.ids());
      issues.push({
        code: "PROFILE_NOT_FOUND",
        ...(e.file === undefined ? {} : { file: e.file }),
        path: e.path,
        problem: "no profile has this id",
        got: JSON.stringify(e.id),
        expected: `a built-in (${this.#builtinIds.join(", ")}) or a profile defined in config or .opencode/`,
        ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
      });
    }
    this.issues = issues;
    this.#enabled = new Set(
      enabled.length
        ? [...enabled.map((e) => e.id), ...this.#userIds]
        : [...this.#builtinIds, ...this.#userIds],
    );
  }

  /** Every known id, built-ins first (in their order), then user profiles in load order. */
  ids(): string[] {
    return [...new Set([...this.#builtinIds, ...this.#userIds])];
  }

  /**
   * The enabled ids. When the config's `profiles` array names ids as strings, only those built-ins are
   * enabled (plus every user-defined profile); otherwise every built-in is. Disabled profiles still
   * resolve, so they can serve as parents.
   */
  enabledIds(): string[] {
    return this.ids().filter((id) => this.#enabled.has(id));
  }

  /** Whether `id` is known. */
  has(id: string): boolean {
    return this.#nodes.has(id) || this.#nodes.has(builtinKey(id));
  }

  /** The raw definition, source and load issues of `id` (the user definition when it shadows a built-in). */
  definition(id: string): LoadedProfile | undefined {
    const node = this.#nodes.get(id) ?? this.#nodes.get(builtinKey(id));
    if (!node) return undefined;
    return {
      id,
      source: node.source,
      ...(node.definition ? { definition: node.definition } : {}),
      issues: node.issues,
    };
  }

  /**
   * Resolve `id`: apply `extends` and `compose`, fill defaults, and record provenance.
   *
   * @throws {ProfileError} `PROFILE_NOT_FOUND`, or the code of the first problem on the chain
   * (`PROFILE_CYCLE`, `PROFILE_UNKNOWN_PARENT`, `PROFILE_UNKNOWN_KEY`, `PROFILE_INVALID_LEVEL`, …).
   * A profile that throws must be treated as denying every call.
   */
  resolveProfile(id: string): ResolvedProfile {
    const key = this.#nodes.has(id) ? id : builtinKey(id);
    const node = this.#nodes.get(key);
    if (!node) {
      const suggestion = didYouMean(id, this.ids());
      throw new ProfileError("PROFILE_NOT_FOUND", `No profile "${id}"`, {
        hints: [
          suggestion === undefined
            ? `known profiles: ${this.ids().join(", ")}`
            : `did you mean "${suggestion}"?`,
          "define it in the config's `profiles` array or in .opencode/agent/<id>.md",
        ],
      });
    }
    const core = this.#resolve(key, []);
    if (core instanceof ProfileError) throw core;
    return { ...core, source: node.source };
  }

  /** Like {@link resolveProfile}, returning the error instead of throwing. */
  tryResolveProfile(
    id: string,
  ): { ok: true; resolved: ResolvedProfile } | { ok: false; error: ProfileError } {
    try {
      return { ok: true, resolved: this.resolveProfile(id) };
    } catch (error) {
      if (error instanceof ProfileError) return { ok: false, error };
      throw error;
    }
  }

  /** Resolve every enabled profile (or every known one), keeping errors beside successes. */
  list(options: { includeDisabled?: boolean } = {}): ProfileListEntry[] {
    return (options.includeDisabled ? this.ids() : this.enabledIds()).map((id) => {
      const r = this.tryResolveProfile(id);
      return r.ok
        ? { id, ok: true as const, resolved: r.resolved }
        : { id, ok: false as const, error: r.error };
    });
  }

  #parentKey(ref: string, from: Node): string | undefined {
    const builtin = this.#nodes.has(builtinKey(ref)) ? builtinKey(ref) : undefined;
    if (from.builtin) return builtin;
    // A user profile naming its own id extends the built-in it overrides; otherwise that is a cycle.
    if (ref === from.id) return builtin ?? ref;
    return this.#nodes.has(ref) ? ref : builtin;
  }

  #resolve(key: string, stack: readonly string[]): ResolvedCore | ProfileError {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const result = this.#compute(key, stack);
    this.#cache.set(key, result);
    return result;
  }

  #compute(key: string, stack: readonly string[]): ResolvedCore | ProfileError {
    const node = this.#nodes.get(key) as Node;
    const chain = [...stack, key];
    if (!node.definition) {
      return ProfileError.fromIssues(
        `Profile "${node.id}" (${where(node.source)}) is invalid and denies every call`,
        node.issues,
      );
    }
    const def =
      node.builtin && this.#nodes.has(node.id)
        ? { ...node.definition, id: `${node.id} (built-in)` }
        : node.definition;
    const relation = def.compose ? "compose" : "extends";
    const refs =
      def.compose ??
      (def.extends === undefined ? [] : typeof def.extends === "string" ? [def.extends] : def.extends);
    const parentKeys: string[] = [];
    const fileField =
      node.source.kind === "file"
        ? { file: node.source.file }
        : node.source.kind === "config" && node.source.file
          ? { file: node.source.file }
          : {};
    const prefix =
      node.source.kind === "config" ? `${node.source.key ?? "profiles"}[${node.source.index}].` : "";
    for (const [i, ref] of refs.entries()) {
      const parent = this.#parentKey(ref, node);
      if (parent === undefined) {
        const suggestion = didYouMean(ref, this.ids());
        return ProfileError.fromIssues(`Profile "${node.id}" cannot be resolved`, [
          {
            code: "PROFILE_UNKNOWN_PARENT",
            ...fileField,
            path: `${prefix}${relation}${typeof def.extends === "string" && relation === "extends" ? "" : `[${i}]`}`,
            problem: `unknown profile in ${chain.map(label).join(" → ")} → ${ref}`,
            got: JSON.stringify(ref),
            expected: `one of ${this.ids().join(", ")}`,
            ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
          },
        ]);
      }
      if (chain.includes(parent)) {
        const cycle = [...chain.slice(chain.indexOf(parent)), parent].map(label).join(" → ");
        return new ProfileError("PROFILE_CYCLE", `Profile "${node.id}" cannot be resolved: cycle ${cycle}`, {
          issues: [
            {
              code: "PROFILE_CYCLE",
              ...fileField,
              path: `${prefix}${relation}`,
              problem: `cycle ${cycle}`,
              expected: "a chain that ends at a profile without extends/compose",
            },
          ],
          hints: ["remove one link of the cycle"],
        });
      }
      parentKeys.push(parent);
    }
    if (!node.builtin && refs.length === 0 && this.#nodes.has(builtinKey(node.id)))
      parentKeys.push(builtinKey(node.id));

    const parents: ResolvedCore[] = [];
    for (const parentKey of parentKeys) {
      const parent = this.#resolve(parentKey, chain);
      if (parent instanceof ProfileError) {
        if (parent.code === "PROFILE_CYCLE") return parent;
        return new ProfileError(
          parent.code,
          `Profile "${node.id}" cannot be resolved: ${relation} ${label(parentKey)} fails`,
          {
            issues: parent.issues,
            hints: parent.hints,
            cause: parent,
          },
        );
      }
      parents.push(parent);
    }
    // `model: [a, b]` is `model: a` with `fallbackModels: [b]` from here on.
    const own = withModelList(def);
    if (own.compose) return compose(own.id, parents, own);
    if (parents.length === 0) return resolveRoot(own);
    const base = parents.length === 1 ? (parents[0] as ResolvedCore) : compose(own.id, parents);
    return inherit(base, own);
  }
}

/** Build a {@link ProfileRegistry} from the built-ins and the loaded user profiles. */
export function createProfileRegistry(options: ProfileRegistryOptions = {}): ProfileRegistry {
  return new ProfileRegistry(options);
}

/** Options of {@link loadProfileRegistry}. */
export interface LoadProfileRegistryOptions {
  /** Project directory whose `.opencode/agent(s)/*.md` and `.opencode/skill(s)/<id>/SKILL.md` are loaded; omit to skip files. */
  projectDir?: string;
  /**
   * The config's validated `profiles` array (`loadConfig(...).config.profiles`) with where each entry
   * was written (`loadConfig(...).origins.profiles`, or one `file`), for error lines.
   */
  config?: { profiles: readonly ProfileEntry[] } & ConfigProfilesOptions;
  /**
   * The config's validated `workers` array (the profiles to spawn at start) with its origins
   * (`loadConfig(...).origins.workers`): its objects define profiles as `profiles` entries do.
   */
  workers?: { entries: readonly ProfileEntry[] } & Omit<ConfigProfilesOptions, "key">;
  /** The built-in profiles; defaults to {@link BUILTIN_PROFILES}. */
  builtins?: readonly ProfileDefinition[];
}

/** Load the config's and the project's markdown profiles and build a registry over them and the built-ins. */
export async function loadProfileRegistry(
  options: LoadProfileRegistryOptions = {},
): Promise<ProfileRegistry> {
  const sources: ProfileLoadResult[] = [];
  if (options.config) {
    const { profiles, ...origins } = options.config;
    sources.push(profilesFromConfig(profiles, origins));
  }
  if (options.workers) {
    const { entries, ...origins } = options.workers;
    sources.push(profilesFromConfig(entries, { ...origins, key: "workers" }));
  }
  if (options.projectDir !== undefined) sources.push(await loadProfileFiles(options.projectDir));
  return new ProfileRegistry({ ...(options.builtins ? { builtins: options.builtins } : {}), sources });
}
