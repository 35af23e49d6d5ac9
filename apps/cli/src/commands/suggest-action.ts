import { suggestProfiles } from "@orchestra/profiles";
import type { ProjectOptions } from "../project-options.js";
import { loadProjectProfiles } from "../project-profiles.js";

/** `orchestra suggest "<task>"`: the enabled profiles ranked for the task, as lines or JSON. */
export async function runSuggest(
  task: string,
  opts: ProjectOptions & { json?: boolean; limit: number },
): Promise<void> {
  // The same profiles as `orchestra workers spawn`. Invalid profiles fail closed: never suggested.
  const { registry } = await loadProjectProfiles(opts);
  const matches = suggestProfiles(registry, task, { limit: opts.limit });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(matches, null, 2)}\n`);
    return;
  }
  for (const m of matches)
    process.stdout.write(`${m.profile.padEnd(14)} ${m.confidence.toFixed(2)}  ${m.reasons.join(", ")}\n`);
  if ((matches[0]?.confidence ?? 0) < 0.3)
    process.stdout.write("(low confidence: describe the task more concretely, or pick a profile yourself)\n");
}
