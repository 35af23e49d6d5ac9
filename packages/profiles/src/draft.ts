// A profile being resolved (the draft), the field defaults, and the root case: a definition with
// no `extends` or `compose`. `inherit.ts` and `compose.ts` build on these.
import {
  EXECUTION_LEVELS,
  FILESYSTEM_LEVELS,
  isCategoryTool,
  NETWORK_LEVELS,
  normalizeToolName,
} from "@orchestra/permissions";
import type {
  EffectivePermissions,
  EffectiveProfile,
  EffectiveToolPermission,
  FieldOrigin,
  Provenance,
  Widening,
  WorkerIsolation,
  WorkerKind,
} from "./effective-profile.js";
import type { ProfileDefinition } from "./schema.js";

/** A resolved profile and its provenance, before a source is attached. */
export interface ResolvedCore {
  /** The effective profile. */
  readonly profile: EffectiveProfile;
  /** Where each field came from. */
  readonly provenance: Provenance;
}

/** The three permission categories and their levels, widest first. */
export const CATEGORY_LEVELS = {
  filesystem: FILESYSTEM_LEVELS,
  execution: EXECUTION_LEVELS,
  network: NETWORK_LEVELS,
} as const;
/** A permission category. */
export type Category = keyof typeof CATEGORY_LEVELS;
/** The categories, in a fixed order. */
export const CATEGORIES = Object.keys(CATEGORY_LEVELS) as Category[];

/** Rank of a level within its category: 0 is the widest; a higher rank is more restrictive. */
export function levelRank(category: Category, level: string): number {
  return (CATEGORY_LEVELS[category] as readonly string[]).indexOf(level);
}

/** The non-permission fields, resolved the same way through `extends` and `compose`. */
export const SCALARS = [
  "name",
  "kind",
  "isolation",
  "model",
  "fallbackModels",
  "purpose",
  "whenToUse",
  "systemPrompt",
  "tags",
  "temperature",
  "supportsVision",
  "supportsWeb",
  "tools",
] as const;
/** One of {@link SCALARS}. */
export type Scalar = (typeof SCALARS)[number];

/** A tool permission while it is being resolved. */
export interface MutableTool {
  enabled: boolean;
  allowedCommands?: string[];
  deniedFlags: string[];
}

/** A profile while it is being resolved; {@link finish} turns it into a {@link ResolvedCore}. */
export interface Draft {
  id: string;
  values: {
    name: string;
    kind: WorkerKind;
    isolation: WorkerIsolation;
    model: string;
    fallbackModels: string[];
    purpose: string;
    whenToUse: string;
    systemPrompt: string;
    tags: string[];
    temperature?: number;
    supportsVision: boolean;
    supportsWeb: boolean;
    tools: Record<string, boolean>;
  };
  categories: Record<Category, string>;
  tools: Map<string, MutableTool>;
  allowed: string[][];
  denied: string[];
  fields: Record<string, FieldOrigin>;
  widenings: Widening[];
  ancestors: string[];
}

/** The distinct items, in first-seen order. */
export const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Drop duplicate lists and lists implied by a smaller one (a superset of another list adds nothing). */
export function simplifyAllowedLists(lists: readonly (readonly string[])[]): string[][] {
  const normal = lists.map((l) => unique(l).sort()).sort((a, b) => a.length - b.length);
  const out: string[][] = [];
  for (const list of normal) if (!out.some((kept) => kept.every((g) => list.includes(g)))) out.push(list);
  return out;
}

/** The value of every scalar field a definition does not set. */
export function defaults(id: string): Draft["values"] {
  return {
    name: id,
    kind: "process",
    isolation: "none",
    model: "auto",
    fallbackModels: [],
    purpose: "",
    whenToUse: "",
    systemPrompt: "",
    tags: [],
    supportsVision: false,
    supportsWeb: false,
    tools: {},
  };
}

/** A tool entry as a definition writes it; `enabled` unset means "keep the parent's, else the category's". */
export interface OwnTool {
  enabled?: boolean;
  allowedCommands?: string[];
  deniedFlags?: string[];
}

/** A definition's own tool entries by canonical id, with v0.2 `tools: { x: false }` folded in. */
export function ownTools(def: ProfileDefinition): Map<string, OwnTool> {
  const out = new Map<string, OwnTool>();
  for (const [name, entry] of Object.entries(def.permissions?.tools ?? {})) {
    const c = entry.constraints;
    out.set(normalizeToolName(name), {
      ...(entry.enabled === undefined ? {} : { enabled: entry.enabled }),
      ...(c?.allowedCommands === undefined ? {} : { allowedCommands: unique(c.allowedCommands) }),
      ...(c?.deniedFlags === undefined ? {} : { deniedFlags: unique(c.deniedFlags) }),
    });
  }
  for (const [name, on] of Object.entries(def.tools ?? {})) {
    if (on) continue;
    const id = normalizeToolName(name);
    const entry = out.get(id);
    if (entry) entry.enabled = false;
    else out.set(id, { enabled: false });
  }
  return out;
}

/** Freeze a draft into the effective profile and its provenance (tools sorted, path lists simplified). */
export function finish(d: Draft): ResolvedCore {
  const tools: Record<string, EffectiveToolPermission> = {};
  for (const id of [...d.tools.keys()].sort()) {
    const t = d.tools.get(id) as MutableTool;
    tools[id] = {
      enabled: t.enabled,
      constraints: {
        ...(t.allowedCommands === undefined ? {} : { allowedCommands: t.allowedCommands }),
        deniedFlags: t.deniedFlags,
      },
    };
  }
  const permissions: EffectivePermissions = {
    categories: d.categories as EffectivePermissions["categories"],
    tools,
    paths: { allowed: simplifyAllowedLists(d.allowed), denied: unique(d.denied) },
  };
  const { temperature, ...rest } = d.values;
  const profile: EffectiveProfile = {
    id: d.id,
    ...rest,
    ...(temperature === undefined ? {} : { temperature }),
    permissions,
  };
  const fields: Record<string, FieldOrigin> = {};
  for (const [key, origin] of Object.entries(d.fields))
    fields[key] = origin.from.length ? origin : { from: [d.id], rule: "default" };
  return { profile, provenance: { ancestors: unique(d.ancestors), fields, widenings: d.widenings } };
}

/** The provenance key of one field of one tool, e.g. `permissions.tools.bash.enabled`. */
export const toolPath = (id: string, key: string) => `permissions.tools.${id}.${key}`;

/** Resolve a definition with no `extends` or `compose`: unset levels are `none`, unset fields take defaults. */
export function resolveRoot(def: ProfileDefinition): ResolvedCore {
  const id = def.id;
  const values = defaults(id);
  const fields: Record<string, FieldOrigin> = {};
  for (const key of SCALARS) {
    const own = def[key];
    if (own !== undefined) (values as Record<Scalar, unknown>)[key] = structuredClone(own);
    fields[key] = { from: [id], rule: own === undefined ? "default" : "own" };
  }
  const categories = {} as Record<Category, string>;
  for (const c of CATEGORIES) {
    const own = def.permissions?.categories?.[c];
    categories[c] = own ?? "none";
    fields[`permissions.categories.${c}`] = { from: [id], rule: own === undefined ? "default" : "own" };
  }
  const tools = new Map<string, MutableTool>();
  for (const [tid, t] of ownTools(def)) {
    tools.set(tid, {
      // An entry without `enabled` leaves the tool under its category.
      enabled: t.enabled ?? isCategoryTool(tid),
      ...(t.allowedCommands === undefined ? {} : { allowedCommands: t.allowedCommands }),
      deniedFlags: t.deniedFlags ?? [],
    });
    fields[toolPath(tid, "enabled")] = { from: [id], rule: t.enabled === undefined ? "default" : "own" };
    if (t.allowedCommands !== undefined)
      fields[toolPath(tid, "allowedCommands")] = { from: [id], rule: "own" };
    if (t.deniedFlags?.length) fields[toolPath(tid, "deniedFlags")] = { from: [id], rule: "own" };
  }
  const allowed = def.permissions?.paths?.allowed;
  const denied = def.permissions?.paths?.denied ?? [];
  fields["permissions.paths.allowed"] = { from: [id], rule: allowed === undefined ? "default" : "own" };
  fields["permissions.paths.denied"] = { from: [id], rule: denied.length ? "own" : "default" };
  return finish({
    id,
    values,
    categories,
    tools,
    allowed: allowed === undefined ? [] : [allowed],
    denied,
    fields,
    widenings: [],
    ancestors: [id],
  });
}
