import { DEFAULT_ALIASES, describeDefaultAlias } from "./default-aliases.js";
import type { ModelAliases } from "./reference.js";
import type { Resolver } from "./resolution.js";
import type { ResolverErrorCode } from "./resolver-error.js";

/** What an alias resolves to now: the model and the first reason, or the failure. */
export type AliasResolution =
  | { readonly ok: true; readonly model: string; readonly reason: string }
  | { readonly ok: false; readonly code: ResolverErrorCode; readonly message: string };

/** One row of the effective alias table ({@link aliasTable}). */
export interface AliasRow {
  /** The alias name. */
  readonly name: string;
  /** `user`: from `modelAliases`; `default`: built in (`sonnet`, `gpt-mini`, …). */
  readonly source: "user" | "default";
  /** A user alias: its configured target. A default alias: what it stands for, in words. */
  readonly target: string;
  /** Whether this row is the one used: a default alias is not when a user alias has its name. */
  readonly active: boolean;
  /** A user alias that replaces a default alias of the same name. */
  readonly overridesDefault: boolean;
  /** What it resolves to now with this resolver; `null` for an overridden default. */
  readonly resolved: AliasResolution | null;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The effective alias table: the user's `modelAliases` (sorted by name), then every default alias,
 * each with what it resolves to now. `userAliases` must be the table the resolver was created with.
 *
 * @example
 * ```ts
 * for (const row of aliasTable(resolver, config.modelAliases)) console.log(row.name, row.resolved);
 * ```
 */
export function aliasTable(resolver: Resolver, userAliases: ModelAliases = {}): AliasRow[] {
  const now = (name: string): AliasResolution => {
    const r = resolver.tryResolve(name);
    return r.ok
      ? { ok: true, model: r.resolution.model, reason: r.resolution.reasons[0] ?? "" }
      : { ok: false, code: r.error.code, message: r.error.message };
  };
  const defaults = new Set<string>(DEFAULT_ALIASES);
  const rows: AliasRow[] = Object.keys(userAliases)
    .sort(byString)
    .map((name) => ({
      name,
      source: "user",
      target: String(userAliases[name]),
      active: true,
      overridesDefault: defaults.has(name),
      resolved: now(name),
    }));
  for (const name of DEFAULT_ALIASES) {
    const active = !Object.hasOwn(userAliases, name);
    rows.push({
      name,
      source: "default",
      target: describeDefaultAlias(name),
      active,
      overridesDefault: false,
      resolved: active ? now(name) : null,
    });
  }
  return rows;
}
