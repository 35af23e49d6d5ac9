// `extends`: a child over its (already combined) parents, with explicit widenings recorded.
import { isCategoryTool } from "@orchestra/permissions";
import {
  CATEGORIES,
  type Category,
  type Draft,
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
import type { EffectiveToolPermission, FieldOrigin, Widening } from "./effective-profile.js";
import type { ProfileDefinition } from "./schema.js";

/** Copy effective tool permissions into mutable drafts. */
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
    const parentEnabled = parent ? parent.enabled : isCategoryTool(tid);
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
