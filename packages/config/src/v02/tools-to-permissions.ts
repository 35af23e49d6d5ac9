/** v0.2 boolean `tools` maps → v0.3 `permissions`, with the same effect or the closest safe one. */
import { CATEGORY_TOOLS, isCategoryTool, normalizeToolName } from "@orchestra/permissions";
import { BUILTIN_PROFILES } from "@orchestra/profiles";
import { hasNoPermissionSource } from "./detect.js";
import { isRecord } from "./paths.js";

/** Whether the converted permissions decide every call as v0.2 did, or more narrowly. */
type ToolsEffect = "same" | "closest-safe";

/** A tools-map entry that has no v0.3 equivalent. */
interface UnplacedTool {
  readonly key: string;
  readonly value: boolean;
  readonly reason: string;
}

/** The result of {@link convertToolsMap}. */
interface ToolsConversion {
  /** The profile's new `permissions` block. */
  readonly permissions: Record<string, unknown>;
  /** `same`, or `closest-safe` when some call v0.2 allowed is now denied. */
  readonly effect: ToolsEffect;
  /** What was done and which effect it has, for the change list. */
  readonly note: string;
  /** Entries that could not be placed (a wildcard switched on). */
  readonly unplaced: readonly UnplacedTool[];
}

const WRITE_SWITCHES = ["write", "edit"] as const;
const WRITE_TOOL_IDS: readonly string[] = ["write", "edit", "multiedit", "apply_patch"];
const OFF_UNLESS_ENABLED = "`task` and MCP tools stay off unless enabled under `permissions.tools`";
const KNOWN_TOOLS = [...CATEGORY_TOOLS.filesystem, ...CATEGORY_TOOLS.execution, ...CATEGORY_TOOLS.network];

/** A `*`/`?` glob over tool ids as a regular expression (OpenCode's `tools` keys may be globs). */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "i");
}

const quoteList = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(", ");

/** The categories of a v0.3 built-in profile, for the note. */
function builtinCategories(id: string): string {
  const builtin = BUILTIN_PROFILES.find((p) => p.id === id);
  const c = builtin?.permissions?.categories ?? {};
  return `filesystem ${c.filesystem ?? "none"}, execution ${c.execution ?? "none"}, network ${c.network ?? "none"}`;
}

/**
 * Convert a v0.2 profile's boolean `tools` map into v0.3 `permissions`.
 *
 * - A profile with no other permission source (a custom v0.2 profile, which ran with every tool on)
 *   gets explicit categories: `filesystem: full`, `execution: full`, `network: full`, each switch
 *   `false` becomes `enabled: false`, `bash: false` becomes `execution: none`, and `write` and
 *   `edit` both off (v0.2's read-only pattern) become `filesystem: read`, the closest safe effect
 *   (it also closes `apply_patch`, `multiedit` and writes from the shell, which v0.2 left open).
 * - An override of a built-in id, or a profile with `extends`/`compose`/`permissions`, keeps what it
 *   inherits and gets one `permissions.tools` entry per switch (`enabled: true` never widens a category).
 * - A wildcard key switched off is expanded over the tools a category covers (tools no category
 *   covers are denied in v0.3 anyway); a wildcard switched on cannot be placed.
 */
export function convertToolsMap(
  tools: Record<string, boolean>,
  profile: Record<string, unknown>,
): ToolsConversion {
  const entries: Record<string, { enabled: boolean }> = {};
  const unplaced: UnplacedTool[] = [];
  const off = new Set<string>();
  const on = new Set<string>();
  for (const [key, value] of Object.entries(tools)) {
    if (/[*?]/.test(key)) {
      if (value)
        unplaced.push({
          key,
          value,
          reason:
            "a wildcard that switches tools on has no v0.3 equivalent: name each tool under `permissions.tools` with `enabled: true`",
        });
      else for (const id of KNOWN_TOOLS.filter((t) => globRegExp(key).test(t))) off.add(id);
      continue;
    }
    (value ? on : off).add(normalizeToolName(key));
  }
  for (const id of on) if (off.has(id)) on.delete(id); // a tool named twice stays off: the safe reading

  const existing = isRecord(profile.permissions) ? profile.permissions : undefined;
  if (!hasNoPermissionSource(profile)) {
    for (const id of [...off].sort()) entries[id] = { enabled: false };
    for (const id of [...on].sort()) entries[id] = { enabled: true };
    const ownTools = isRecord(existing?.tools) ? existing.tools : {};
    const permissions = { ...existing, tools: { ...entries, ...ownTools } };
    const inherited =
      existing !== undefined
        ? "the profile's own `permissions`"
        : profile.extends !== undefined || profile.compose !== undefined
          ? "the permissions it inherits"
          : `the v0.3 built-in \`${String(profile.id)}\` (${builtinCategories(String(profile.id))})`;
    return {
      permissions,
      effect: "closest-safe",
      unplaced,
      note: `closest safe effect: each switch became a \`permissions.tools\` entry on top of ${inherited}; v0.2 ran every tool its map did not switch off, v0.3 allows only what those permissions allow`,
    };
  }

  const readOnly = WRITE_SWITCHES.every((t) => off.has(t));
  const filesystem = readOnly ? "read" : "full";
  const execution = off.has("bash") ? "none" : "full";
  const narrowed: string[] = [];
  if (readOnly)
    narrowed.push(
      "`write` and `edit` off became `filesystem: read`, which also closes `apply_patch`, `multiedit` and writes from the shell",
    );
  for (const id of [...on].sort()) {
    if (!isCategoryTool(id)) entries[id] = { enabled: true };
    else if (readOnly && WRITE_TOOL_IDS.includes(id))
      narrowed.push(`\`${id}: true\` stays off under \`filesystem: read\``);
  }
  for (const id of [...off].sort()) entries[id] = { enabled: false };
  const permissions: Record<string, unknown> = {
    categories: { filesystem, execution, network: "full" },
    ...(Object.keys(entries).length > 0 ? { tools: entries } : {}),
  };
  for (const u of unplaced)
    narrowed.push(`the tools \`${u.key}\` switched on stay off until named under \`permissions.tools\``);
  const offList = [...off].sort();
  const base = `every tool on${offList.length ? ` except ${quoteList(offList)}` : ""}, as in v0.2`;
  return {
    permissions,
    effect: narrowed.length ? "closest-safe" : "same",
    unplaced,
    note: narrowed.length
      ? `closest safe effect: ${base}, but ${narrowed.join("; ")} (${OFF_UNLESS_ENABLED})`
      : `same effect: ${base} (${OFF_UNLESS_ENABLED})`,
  };
}
