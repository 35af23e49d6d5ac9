import type { ExecutionLevel, FilesystemLevel, NetworkLevel } from "@orchestra/permissions";

/** A worker kind: an isolated `opencode serve` child, or a session on the host server. */
export type WorkerKind = "process" | "session";

/**
 * Where a worker works: `none`, in the project directory; `worktree`, a process worker in a git
 * worktree of its own on the branch `orchestra/<worker id>`, created from HEAD.
 */
export type WorkerIsolation = "none" | "worktree";

/** One tool's effective entry; keys of {@link EffectivePermissions.tools} are canonical tool ids. */
export interface EffectiveToolPermission {
  /** Whether the tool may be used. `true` never widens the tool's category. */
  readonly enabled: boolean;
  /** Shell constraints. */
  readonly constraints: {
    /** Command names that may run; `undefined` = no list (the categories decide), `[]` = none. */
    readonly allowedCommands?: readonly string[];
    /** Flags that may never be passed (accumulated down every chain). */
    readonly deniedFlags: readonly string[];
  };
}

/**
 * Permissions after `extends`/`compose` are resolved: every category set, tool ids canonical
 * (lower-case, `shell` → `bash`, `patch` → `apply_patch`).
 *
 * `paths.allowed` is an intersection of glob lists: a path is allowed when it matches at least one
 * glob of **every** list. An empty outer array means "no list": the project root and below. A list
 * that is itself empty allows nothing. Composition appends lists rather than guessing a glob
 * intersection, so it never widens.
 */
export interface EffectivePermissions {
  /** Category levels; a level nobody set is `none`. */
  readonly categories: {
    readonly filesystem: FilesystemLevel;
    readonly execution: ExecutionLevel;
    readonly network: NetworkLevel;
  };
  /** Per-tool entries by canonical id. A tool absent here falls under its category (or is denied if none covers it). */
  readonly tools: Readonly<Record<string, EffectiveToolPermission>>;
  /** Path rules. */
  readonly paths: {
    /** Lists that must all match (see above). */
    readonly allowed: readonly (readonly string[])[];
    /** Globs no tool may touch (accumulated down every chain). */
    readonly denied: readonly string[];
  };
}

/** A profile with `extends`/`compose` resolved and every default filled in. */
export interface EffectiveProfile {
  /** The profile id. */
  readonly id: string;
  /** Human-readable name (the id when not given). */
  readonly name: string;
  /** How the worker runs. */
  readonly kind: WorkerKind;
  /** Where the worker works: the project directory, or a git worktree of its own. */
  readonly isolation: WorkerIsolation;
  /** Model reference (`auto:*` tag, alias or `provider/model`). */
  readonly model: string;
  /** Model references tried in order when `model` cannot be resolved. */
  readonly fallbackModels: readonly string[];
  /** What the worker specialises in. */
  readonly purpose: string;
  /** When the orchestrator should pick this worker. */
  readonly whenToUse: string;
  /** The worker's system prompt. */
  readonly systemPrompt: string;
  /** Discovery keywords. */
  readonly tags: readonly string[];
  /** Sampling temperature, when set. */
  readonly temperature?: number;
  /** Requires a model with image input. */
  readonly supportsVision: boolean;
  /** Requires web access. */
  readonly supportsWeb: boolean;
  /** v0.2 on/off tool switches (a `false` here is also folded into `permissions.tools`). */
  readonly tools: Readonly<Record<string, boolean>>;
  /** Effective permissions. */
  readonly permissions: EffectivePermissions;
}

/** How a field of a resolved profile got its value. */
export type OriginRule =
  /** Set by the profile itself. */
  | "own"
  /** Not set by the profile; the built-in default applies. */
  | "default"
  /** Taken unchanged from a parent (`extends`). */
  | "inherited"
  /** Combined from several profiles (`compose`, several parents, or lists that accumulate). */
  | "combined";

/** Where one field of a resolved profile came from. */
export interface FieldOrigin {
  /** The profile ids the value came from (the ancestors that set it, not the intermediate links). */
  readonly from: readonly string[];
  /** How it was derived. */
  readonly rule: OriginRule;
}

/** An explicit widening by a child over its parent(s), recorded so it is never silent. */
export interface Widening {
  /** Field path, e.g. `permissions.categories.execution`. */
  readonly path: string;
  /** The profile that widened. */
  readonly by: string;
  /** The parent value (rendered). */
  readonly from: string;
  /** The child value (rendered). */
  readonly to: string;
}

/** The provenance of a resolved profile. */
export interface Provenance {
  /** Every profile that contributed, in resolution order, ending with the profile itself. */
  readonly ancestors: readonly string[];
  /** Origin of each field, keyed by dotted path (e.g. `model`, `permissions.tools.bash.enabled`). */
  readonly fields: Readonly<Record<string, FieldOrigin>>;
  /** Explicit widenings made by `extends` children, in order. Composition never widens. */
  readonly widenings: readonly Widening[];
}

/** The config arrays that can define profiles: `profiles`, and `workers` (profiles to spawn at start). */
export type ConfigProfileKey = "profiles" | "workers";

/** Where a profile definition was loaded from. */
export type ProfileSource =
  | { readonly kind: "builtin" }
  | {
      readonly kind: "config";
      readonly file?: string;
      readonly index: number;
      /** The config array the entry is in (default `profiles`; `workers` for a profile defined inline there). */
      readonly key?: ConfigProfileKey;
    }
  | { readonly kind: "file"; readonly file: string };

/** The result of resolving one profile: the effective profile and how it came about. */
export interface ResolvedProfile {
  /** The effective profile. */
  readonly profile: EffectiveProfile;
  /** Which ancestor each field came from, and any explicit widenings. */
  readonly provenance: Provenance;
  /** Where the profile's own definition came from. */
  readonly source: ProfileSource;
}
