import {
  EXECUTION_LEVELS,
  FILESYSTEM_LEVELS,
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
  WorkerKind,
} from "./effective-profile.js";
import type { ProfileDefinition } from "./schema.js";
import { CATEGORY_TOOLS } from "./tool-names.js";

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
type Category = keyof typeof CATEGORY_LEVELS;
const CATEGORIES = Object.keys(CATEGORY_LEVELS) as Category[];

/** Rank of a level within its category: 0 is the widest; a higher rank is more restrictive. */
export function levelRank(category: Category, level: string): number {
  return (CATEGORY_LEVELS[category] as readonly string[]).indexOf(level);
}

const SCALARS = [
  "name",
  "kind",
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
type Scalar = (typeof SCALARS)[number];

interface MutableTool {
  enabled: boolean;
  allowedCommands?: string[];
  deniedFlags: string[];
}

interface Draft {
  id: string;
  values: {
    name: string;
    kind: WorkerKind;
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

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Drop duplicate lists and lists implied by a smaller one (a superset of another list adds nothing). */
export function simplifyAllowedLists(lists: readonly (readonly string[])[]): string[][] {
  const normal = lists.map((l) => unique(l).sort()).sort((a, b) => a.length - b.length);
  const out: string[][] = [];
  for (const list of normal) if (!out.some((kept) => kept.every((g) => list.includes(g)))) out.push(list);
  return out;
}

function defaults(id: string): Draft["values"] {
  return {
    name: id,
    kind: "process",
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
interface OwnTool {
  enabled?: boolean;
  allowedCommands?: string[];
  deniedFlags?: string[];
}

/** A definition's own tool entries by canonical id, with v0.2 `tools: { x: false }` folded in. */
function ownTools(def: ProfileDefinition): Map<string, OwnTool> {
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

function copyTools(tools: Readonly<Record<string, EffectiveToolPermission>>): Map<string, MutableTool> {
  const out = new Map<string, MutableTool>();
  for (const [id, t] of Object.entries(tools)) {
    out.set(id, {
      enabled: t.enabled,
      ...(t.constraints.allowedCommands === undefined
        ? {}
        : { allowedCommands: [...t.constraints.allowedCommands] }),
      deniedFlags: [...t.constraints.deniedFlags],
    });
  }
  return out;
}

function finish(d: Draft): ResolvedCore {
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

const toolPath = (id: string, key: string) => `permissions.tools.${id}.${key}`;

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
      enabled: t.enabled ?? CATEGORY_TOOLS.has(tid),
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

const render = (v: unknown): string => (v === undefined ? "unset" : JSON.stringify(v));

/**
 * `extends`: the child inherits everything from `base` (its parents, already combined) and overrides
 * what it sets. Category levels and tool switches may be widened explicitly; each widening is
 * recorded in `provenance.widenings`. `deniedFlags` and denied paths accumulate; a child's
 * `allowedCommands` replaces the parent's list; a child's allowed paths add one more list that must
 * also match (allowed paths never widen through `extends`).
 */
export function inherit(base: ResolvedCore, def: ProfileDefinition): ResolvedCore {
  const id = def.id;
  const b = base.profile;
  const fields: Record<string, FieldOrigin> = {};
  const widenings: Widening[] = [...base.provenance.widenings];
  const inherited = (key: string): FieldOrigin => ({
    from: base.provenance.fields[key]?.from ?? base.provenance.ancestors.slice(0, 1),
    rule: "inherited",
  });

  const { id: _id, permissions: _p, ...baseValues } = b;
  const values: Draft["values"] = structuredClone({ ...defaults(id), ...baseValues }) as Draft["values"];
  if (b.temperature === undefined) delete values.temperature;
  for (const key of SCALARS) {
    const own = def[key];
    if (key === "name") {
      values.name = def.name ?? id;
      fields.name = { from: [id], rule: def.name === undefined ? "default" : "own" };
    } else if (key === "tools") {
      if (own === undefined) fields.tools = inherited("tools");
      else {
        for (const [tool, on] of Object.entries(def.tools ?? {})) {
          if (on && b.tools[tool] === false)
            widenings.push({ path: `tools.${tool}`, by: id, from: "false", to: "true" });
          values.tools[tool] = on;
        }
        fields.tools = {
          from: unique([...(base.provenance.fields.tools?.from ?? []), id]),
          rule: "combined",
        };
      }
    } else if (own !== undefined) {
      (values as Record<Scalar, unknown>)[key] = structuredClone(own);
      fields[key] = { from: [id], rule: "own" };
    } else fields[key] = inherited(key);
  }

  const categories = { ...b.permissions.categories } as Record<Category, string>;
  for (const c of CATEGORIES) {
    const own = def.permissions?.categories?.[c];
    const path = `permissions.categories.${c}`;
    if (own === undefined) {
      fields[path] = inherited(path);
      continue;
    }
    if (levelRank(c, own) < levelRank(c, categories[c]))
      widenings.push({ path, by: id, from: categories[c], to: own });
    categories[c] = own;
    fields[path] = { from: [id], rule: "own" };
  }

  const tools = copyTools(b.permissions.tools);
  for (const key of Object.keys(base.provenance.fields))
    if (key.startsWith("permissions.tools.")) fields[key] = inherited(key);
  for (const [tid, own] of ownTools(def)) {
    const parent = tools.get(tid);
    const parentEnabled = parent ? parent.enabled : CATEGORY_TOOLS.has(tid);
    // A partial entry (no `enabled`) merges into the parent's: only an explicit `true` can widen.
    if (own.enabled === true && !parentEnabled)
      widenings.push({
        path: toolPath(tid, "enabled"),
        by: id,
        from: parent ? "false" : "unset (denied)",
        to: "true",
      });
    const next: MutableTool = {
      enabled: own.enabled ?? parentEnabled,
      deniedFlags: unique([...(parent?.deniedFlags ?? []), ...(own.deniedFlags ?? [])]),
    };
    const enabledPath = toolPath(tid, "enabled");
    fields[enabledPath] =
      own.enabled !== undefined
        ? { from: [id], rule: "own" }
        : parent
          ? inherited(enabledPath)
          : { from: [id], rule: "default" };
    if (own.allowedCommands !== undefined) {
      const before = parent?.allowedCommands;
      if (before !== undefined && own.allowedCommands.some((cmd) => !before.includes(cmd)))
        widenings.push({
          path: toolPath(tid, "allowedCommands"),
          by: id,
          from: render(before),
          to: render(own.allowedCommands),
        });
      next.allowedCommands = own.allowedCommands;
      fields[toolPath(tid, "allowedCommands")] = { from: [id], rule: "own" };
    } else if (parent?.allowedCommands !== undefined) next.allowedCommands = parent.allowedCommands;
    if (own.deniedFlags?.length)
      fields[toolPath(tid, "deniedFlags")] = {
        from: unique([
          ...(parent?.deniedFlags.length
            ? (base.provenance.fields[toolPath(tid, "deniedFlags")]?.from ?? [])
            : []),
          id,
        ]),
        rule: parent?.deniedFlags.length ? "combined" : "own",
      };
    tools.set(tid, next);
  }

  const ownAllowed = def.permissions?.paths?.allowed;
  const ownDenied = def.permissions?.paths?.denied ?? [];
  const allowedPath = "permissions.paths.allowed";
  const deniedPath = "permissions.paths.denied";
  fields[allowedPath] =
    ownAllowed === undefined
      ? inherited(allowedPath)
      : {
          from: unique([
            ...(b.permissions.paths.allowed.length ? (base.provenance.fields[allowedPath]?.from ?? []) : []),
            id,
          ]),
          rule: b.permissions.paths.allowed.length ? "combined" : "own",
        };
  fields[deniedPath] =
    ownDenied.length === 0
      ? inherited(deniedPath)
      : {
          from: unique([
            ...(b.permissions.paths.denied.length ? (base.provenance.fields[deniedPath]?.from ?? []) : []),
            id,
          ]),
          rule: b.permissions.paths.denied.length ? "combined" : "own",
        };

  return finish({
    id,
    values,
    categories,
    tools,
    allowed: [
      ...b.permissions.paths.allowed.map((l) => [...l]),
      ...(ownAllowed === undefined ? [] : [ownAllowed]),
    ],
    denied: [...b.permissions.paths.denied, ...ownDenied],
    fields,
    widenings,
    ancestors: [...base.provenance.ancestors, id],
  });
}

interface Member {
  /** Ids this member's values are credited to, per field. */
  origin: (path: string) => readonly string[];
  categories: Partial<Record<Category, string>>;
  /** Tool entries; `partial` members impose nothing on tools they do not mention. */
  tools: Map<
    string,
    { enabled?: boolean; allowedCommands?: readonly string[]; deniedFlags: readonly string[] }
  >;
  partial: boolean;
  allowed: readonly (readonly string[])[];
  denied: readonly string[];
}

function memberOf(core: ResolvedCore): Member {
  const p = core.profile.permissions;
  const tools = new Map<
    string,
    { enabled?: boolean; allowedCommands?: readonly string[]; deniedFlags: readonly string[] }
  >();
  for (const [tid, t] of Object.entries(p.tools))
    tools.set(tid, {
      enabled: t.enabled,
      ...(t.constraints.allowedCommands === undefined
        ? {}
        : { allowedCommands: t.constraints.allowedCommands }),
      deniedFlags: t.constraints.deniedFlags,
    });
  return {
    origin: (path) => core.provenance.fields[path]?.from ?? [core.profile.id],
    categories: p.categories,
    tools,
    partial: false,
    allowed: p.paths.allowed,
    denied: p.paths.denied,
  };
}

function sideMember(def: ProfileDefinition): Member {
  const tools = new Map<
    string,
    { enabled?: boolean; allowedCommands?: readonly string[]; deniedFlags: readonly string[] }
  >();
  for (const [tid, t] of ownTools(def))
    tools.set(tid, {
      ...(t.enabled === undefined ? {} : { enabled: t.enabled }),
      ...(t.allowedCommands === undefined ? {} : { allowedCommands: t.allowedCommands }),
      deniedFlags: t.deniedFlags ?? [],
    });
  const allowed = def.permissions?.paths?.allowed;
  return {
    origin: () => [def.id],
    categories: { ...def.permissions?.categories },
    tools,
    partial: true,
    allowed: allowed === undefined ? [] : [allowed],
    denied: def.permissions?.paths?.denied ?? [],
  };
}

/**
 * `compose`: combine resolved members to the most restrictive result. Levels take the minimum,
 * `enabled` is AND-ed (a member that does not mention a category tool adds no constraint; one that
 * does not enable an uncovered tool denies it), `allowedCommands` intersect (members without a list
 * add no constraint; an empty list allows nothing), `deniedFlags` and denied paths are unioned, and
 * every member's allowed-path lists must all match. `side` (the fields written beside `compose`)
 * acts as one more member that constrains only what it mentions, and overrides non-permission fields.
 */
export function compose(
  id: string,
  members: readonly ResolvedCore[],
  side?: ProfileDefinition,
): ResolvedCore {
  const all = [...members.map(memberOf), ...(side ? [sideMember(side)] : [])];
  const fields: Record<string, FieldOrigin> = {};
  const combined = (from: Iterable<string>): FieldOrigin => ({ from: unique(from), rule: "combined" });

  const categories = {} as Record<Category, string>;
  for (const c of CATEGORIES) {
    const path = `permissions.categories.${c}`;
    const set = all.filter((m) => m.categories[c] !== undefined);
    const level = set.reduce(
      (acc, m) =>
        levelRank(c, m.categories[c] as string) > levelRank(c, acc) ? (m.categories[c] as string) : acc,
      CATEGORY_LEVELS[c][0] as string,
    );
    categories[c] = set.length ? level : "none";
    fields[path] = combined(set.filter((m) => m.categories[c] === level).flatMap((m) => m.origin(path)));
  }

  const tools = new Map<string, MutableTool>();
  const toolIds = unique(all.flatMap((m) => [...m.tools.keys()])).sort();
  for (const tid of toolIds) {
    const enabledPath = toolPath(tid, "enabled");
    const votes = all.flatMap((m) => {
      const t = m.tools.get(tid);
      if (t?.enabled !== undefined) return [{ m, on: t.enabled }];
      return m.partial ? [] : [{ m, on: CATEGORY_TOOLS.has(tid) }];
    });
    const enabled = votes.every((v) => v.on);
    fields[enabledPath] = combined(
      votes.filter((v) => v.on === enabled && v.m.tools.has(tid)).flatMap((v) => v.m.origin(enabledPath)),
    );
    const next: MutableTool = { enabled, deniedFlags: [] };
    const listed = all.filter((m) => m.tools.get(tid)?.allowedCommands !== undefined);
    if (listed.length) {
      const lists = listed.map((m) => m.tools.get(tid)?.allowedCommands ?? []);
      next.allowedCommands = (lists[0] ?? []).filter((cmd) => lists.every((l) => l.includes(cmd)));
      const acPath = toolPath(tid, "allowedCommands");
      fields[acPath] = combined(listed.flatMap((m) => m.origin(acPath)));
    }
    const flagged = all.filter((m) => (m.tools.get(tid)?.deniedFlags.length ?? 0) > 0);
    next.deniedFlags = unique(flagged.flatMap((m) => m.tools.get(tid)?.deniedFlags ?? []));
    if (flagged.length) {
      const dfPath = toolPath(tid, "deniedFlags");
      fields[dfPath] = combined(flagged.flatMap((m) => m.origin(dfPath)));
    }
    tools.set(tid, next);
  }

  const allowedPath = "permissions.paths.allowed";
  const deniedPath = "permissions.paths.denied";
  fields[allowedPath] = combined(all.filter((m) => m.allowed.length).flatMap((m) => m.origin(allowedPath)));
  fields[deniedPath] = combined(all.filter((m) => m.denied.length).flatMap((m) => m.origin(deniedPath)));

  const values = defaults(id);
  const ps = members.map((m) => m.profile);
  const fromMembers = (key: Scalar, pick: (p: EffectiveProfile) => boolean) =>
    combined(
      members.filter((m) => pick(m.profile)).flatMap((m) => m.provenance.fields[key]?.from ?? [m.profile.id]),
    );
  const firstWith = (key: Scalar, pick: (p: EffectiveProfile) => boolean) => {
    const m = members.find((x) => pick(x.profile));
    return m?.provenance.fields[key] ?? { from: [id], rule: "default" as const };
  };
  const joinDistinct = (texts: string[], sep: string) =>
    unique(texts.filter((t) => t.trim() !== "")).join(sep);

  values.kind = ps.some((p) => p.kind === "process") || ps.length === 0 ? "process" : "session";
  fields.kind = fromMembers("kind", (p) => p.kind === values.kind);
  const withModel = members.find((m) => m.provenance.fields.model?.rule !== "default") ?? members[0];
  values.model = withModel?.profile.model ?? "auto";
  fields.model = withModel?.provenance.fields.model ?? { from: [id], rule: "default" };
  values.fallbackModels = unique(ps.flatMap((p) => p.fallbackModels));
  fields.fallbackModels = fromMembers("fallbackModels", (p) => p.fallbackModels.length > 0);
  values.purpose = joinDistinct(
    ps.map((p) => p.purpose),
    " ",
  );
  fields.purpose = fromMembers("purpose", (p) => p.purpose !== "");
  values.whenToUse = joinDistinct(
    ps.map((p) => p.whenToUse),
    " ",
  );
  fields.whenToUse = fromMembers("whenToUse", (p) => p.whenToUse !== "");
  values.systemPrompt = joinDistinct(
    ps.map((p) => p.systemPrompt),
    "\n\n",
  );
  fields.systemPrompt = fromMembers("systemPrompt", (p) => p.systemPrompt !== "");
  values.tags = unique(ps.flatMap((p) => p.tags));
  fields.tags = fromMembers("tags", (p) => p.tags.length > 0);
  const withTemp = members.find((m) => m.profile.temperature !== undefined);
  if (withTemp?.profile.temperature !== undefined) values.temperature = withTemp.profile.temperature;
  fields.temperature = firstWith("temperature", (p) => p.temperature !== undefined);
  values.supportsVision = ps.some((p) => p.supportsVision);
  fields.supportsVision = fromMembers("supportsVision", (p) => p.supportsVision);
  values.supportsWeb = ps.some((p) => p.supportsWeb);
  fields.supportsWeb = fromMembers("supportsWeb", (p) => p.supportsWeb);
  for (const p of ps)
    for (const [tool, on] of Object.entries(p.tools)) values.tools[tool] = (values.tools[tool] ?? true) && on;
  fields.tools = fromMembers("tools", (p) => Object.keys(p.tools).length > 0);
  fields.name = { from: [id], rule: "default" };

  if (side) {
    for (const key of SCALARS) {
      const own = side[key];
      if (own === undefined) continue;
      if (key === "tools") {
        for (const [tool, on] of Object.entries(side.tools ?? {}))
          values.tools[tool] = (values.tools[tool] ?? true) && on;
        fields.tools = combined([...(fields.tools?.from ?? []), id]);
      } else {
        (values as Record<Scalar, unknown>)[key] = structuredClone(own);
        fields[key] = { from: [id], rule: "own" };
      }
    }
  }
  return finish({
    id,
    values,
    categories,
    tools,
    allowed: all.flatMap((m) => m.allowed.map((l) => [...l])),
    denied: all.flatMap((m) => m.denied),
    fields,
    widenings: members.flatMap((m) => m.provenance.widenings),
    ancestors: [...members.flatMap((m) => m.provenance.ancestors), id],
  });
}
