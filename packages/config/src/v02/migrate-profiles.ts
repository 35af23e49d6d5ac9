/** `orchestra migrate` for profile objects in `profiles` and `workers`. */
import { formatPath, type PathSegment, showValue } from "@orchestra/core";
import { BUILTIN_PROFILE_IDS } from "@orchestra/profiles";
import { hasNoPermissionSource, isBooleanToolsMap, isNodeTag, profileObjects } from "./detect.js";
import type { MigrationChange, Unplaced } from "./migration-types.js";
import { isRecord } from "./paths.js";
import { V02_RETIRED_KEYS } from "./retired-keys.js";
import { convertToolsMap } from "./tools-to-permissions.js";

/** `node` → `auto`, `node:x` → `auto:x`. */
function nodeTagToAuto(tag: string): string {
  return tag === "node" ? "auto" : `auto:${tag.slice("node:".length)}`;
}

const isTag = (model: string): boolean =>
  model === "auto" || model === "node" || model.startsWith("auto:") || model.startsWith("node:");

const instead = (key: string): string =>
  V02_RETIRED_KEYS.find((k) => k.pattern[0] === "profiles" && k.pattern[2] === key)?.instead ?? "";

/** Keys only v0.3 has: a file that uses them was written for v0.3 (or already migrated). */
const V03_ONLY_KEYS = [
  "spawn",
  "healthCheck",
  "warmPool",
  "modelSelection",
  "modelAliases",
  "capabilityOverrides",
];
const V03_ONLY_PROFILE_KEYS = ["permissions", "extends", "compose", "kind", "fallbackModels"];

/** True when `doc` uses a key only v0.3 has: it was written for v0.3 (or already migrated). */
export function writtenForV03(doc: Record<string, unknown>): boolean {
  return (
    V03_ONLY_KEYS.some((k) => Object.hasOwn(doc, k)) ||
    profileObjects(doc).some(({ profile }) => V03_ONLY_PROFILE_KEYS.some((k) => Object.hasOwn(profile, k)))
  );
}

function migrateProviderId(
  profile: Record<string, unknown>,
  path: PathSegment[],
  changes: MigrationChange[],
  unplaced: Unplaced[],
): void {
  if (!Object.hasOwn(profile, "providerID")) return;
  const provider = profile.providerID;
  const model = profile.model;
  const at = formatPath([...path, "providerID"]);
  delete profile.providerID;
  if (typeof provider === "string" && typeof model === "string" && model.startsWith(`${provider}/`)) {
    changes.push({ path: at, action: "removed", note: `\`model\` already names the provider "${provider}"` });
  } else if (
    typeof provider === "string" &&
    typeof model === "string" &&
    !model.includes("/") &&
    !isTag(model)
  ) {
    profile.model = `${provider}/${model}`;
    changes.push({
      path: at,
      action: "converted",
      to: formatPath([...path, "model"]),
      note: `merged into \`model\` as "${provider}/${model}": v0.3 names the provider in \`model\``,
    });
  } else {
    unplaced.push({
      path: at,
      value: provider,
      reason: `v0.3 has no provider per profile and \`model\` is ${showValue(model)}: ${instead("providerID")}, or list the provider in \`modelSelection.preferredProviders\``,
    });
  }
}

function migrateProfile(
  profile: Record<string, unknown>,
  path: PathSegment[],
  v02File: boolean,
  changes: MigrationChange[],
  unplaced: Unplaced[],
): void {
  migrateProviderId(profile, path, changes, unplaced);
  if (isNodeTag(profile.model)) {
    const to = nodeTagToAuto(profile.model);
    changes.push({
      path: formatPath([...path, "model"]),
      action: "converted",
      note: `"${profile.model}" became "${to}": v0.3 spells the v0.2 \`node\` tags \`auto\``,
    });
    profile.model = to;
  }
  for (const key of ["port", "injectRepoContext"]) {
    if (!Object.hasOwn(profile, key)) continue;
    changes.push({
      path: formatPath([...path, key]),
      action: "removed",
      note: `retired in v0.3: ${instead(key)}`,
    });
    delete profile[key];
  }
  const id = typeof profile.id === "string" ? profile.id : "?";
  if (isBooleanToolsMap(profile.tools)) {
    const converted = convertToolsMap(profile.tools, profile);
    delete profile.tools;
    profile.permissions = converted.permissions;
    changes.push({
      path: formatPath([...path, "tools"]),
      action: "converted",
      to: formatPath([...path, "permissions"]),
      note: converted.note,
    });
    for (const u of converted.unplaced)
      unplaced.push({ path: formatPath([...path, "tools", u.key]), value: u.value, reason: u.reason });
    return;
  }
  if (!v02File) {
    if (hasNoPermissionSource(profile))
      changes.push({
        path: formatPath(path),
        action: "kept",
        note: `"${id}" has no \`permissions\`, so v0.3 denies every call it makes; add \`permissions\` (a v0.2 profile had every tool on)`,
      });
    return;
  }
  if (hasNoPermissionSource(profile)) {
    profile.permissions = { categories: { filesystem: "full", execution: "full", network: "full" } };
    changes.push({
      path: formatPath(path),
      action: "converted",
      to: formatPath([...path, "permissions"]),
      note: `same effect: a v0.2 profile without \`tools\` had every tool on, and a v0.3 profile without \`permissions\` would deny every call, so "${id}" gets every category \`full\` (\`task\` and MCP tools stay off unless enabled under \`permissions.tools\`); narrow it, e.g. \`execution: "sandboxed"\``,
    });
  } else if (
    BUILTIN_PROFILE_IDS.includes(id) &&
    profile.extends === undefined &&
    profile.compose === undefined
  ) {
    changes.push({
      path: formatPath(path),
      action: "kept",
      note: `closest safe effect: this override of the built-in "${id}" now inherits v0.3's built-in permissions, which may be narrower than v0.2's (where every tool was on); add \`permissions\` to widen them`,
    });
  }
}

/**
 * Migrate every profile object of `profiles` and `workers` in place. `v02File` (the input used no
 * v0.3-only key) lets a custom profile without `permissions` keep v0.2's every-tool-on meaning.
 */
export function migrateProfiles(
  out: Record<string, unknown>,
  v02File: boolean,
  changes: MigrationChange[],
  unplaced: Unplaced[],
): void {
  for (const { path, profile } of profileObjects(out))
    migrateProfile(profile, path, v02File, changes, unplaced);
  const agent = out.agent;
  if (isRecord(agent) && isNodeTag(agent.model)) {
    const to = nodeTagToAuto(agent.model);
    changes.push({
      path: "agent.model",
      action: "converted",
      note: `"${agent.model}" became "${to}": v0.3 spells the v0.2 \`node\` tags \`auto\``,
    });
    agent.model = to;
  }
}
