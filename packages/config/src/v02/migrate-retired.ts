/** `orchestra migrate` for the top-level retired keys of the table (profile keys are in migrate-profiles.ts). */
import { formatPath, showValue } from "@orchestra/core";
import type { MigrationChange } from "./migration-types.js";
import { deleteIn, findAll, getIn, setIn } from "./paths.js";
import { V02_RETIRED_KEYS, type V02Key } from "./retired-keys.js";

function clamp(key: V02Key, value: unknown): { value: unknown; note: string } {
  if (key.range === undefined || typeof value !== "number") return { value, note: "" };
  const [min, max] = key.range;
  if (value < min) return { value: min, note: `; ${value} is below v0.3's minimum, so it became ${min}` };
  if (value > max) return { value: max, note: `; ${value} is above v0.3's maximum, so it became ${max}` };
  return { value, note: "" };
}

/** Move or delete every retired key outside `profiles`/`workers`, one change each. */
export function migrateRetiredKeys(out: Record<string, unknown>, changes: MigrationChange[]): void {
  for (const key of V02_RETIRED_KEYS) {
    if (key.pattern[0] === "profiles" || key.pattern[0] === "workers") continue;
    for (const { path, value } of findAll(out, key.pattern)) {
      const at = formatPath(path);
      if (key.fate === "moved" && key.to !== undefined) {
        const to = key.to.split(".");
        const already = getIn(out, to);
        if (already !== undefined) {
          changes.push({
            path: at,
            action: "removed",
            note: `\`${key.to}\` is already set to ${showValue(already)}, which wins over this v0.2 key (${showValue(value)})`,
          });
        } else {
          const moved = clamp(key, value);
          setIn(out, to, moved.value);
          changes.push({
            path: at,
            action: "moved",
            to: key.to,
            note: `same setting, v0.3 name${moved.note}`,
          });
        }
      } else {
        changes.push({ path: at, action: "removed", note: `retired in v0.3: ${key.instead}` });
      }
      deleteIn(out, path);
    }
  }
}
