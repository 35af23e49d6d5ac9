// `compose`: resolved members combined to the most restrictive result.
import { isCategoryTool } from "@orchestra/permissions";
import {
  CATEGORIES,
  CATEGORY_LEVELS,
  type Category,
  defaults,
  finish,
  levelRank,
  type MutableTool,
  ownTools,
  type ResolvedCore,
  SCALARS,
  type Scalar,
  toolPath,
  unique,
} from "./draft.js";
import type { EffectiveProfile, FieldOrigin } from "./effective-profile.js";
import type { ProfileDefinition } from "./schema.js";

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
      return m.partial ? [] : [{ m, on: isCategoryTool(tid) }];
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
  // The most isolated member wins: a composed worker never writes where one member would not.
  values.isolation = ps.some((p) => p.isolation === "worktree") ? "worktree" : "none";
  fields.isolation = fromMembers("isolation", (p) => p.isolation === values.isolation);
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
