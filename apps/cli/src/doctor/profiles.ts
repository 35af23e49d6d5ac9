import { formatProfileIssue, type ProfileRegistry } from "@orchestra/profiles";
import { type CheckResult, checkResult, plural } from "./check.js";
import type { ProfileModel } from "./profile-models.js";
import type { ConfigState } from "./setup.js";

const firstLine = (text: string) => text.split("\n")[0] ?? text;

/**
 * `profiles`: every enabled profile (built-in, config, markdown) resolves (`extends`/`compose`,
 * schema); with `--server`, its model resolves against the live catalog. `models` is undefined
 * without a server, and a string saying why when the catalog could not be read.
 */
export function checkProfiles(
  registry: ProfileRegistry,
  config: ConfigState,
  models: readonly ProfileModel[] | string | undefined,
): CheckResult {
  const entries = registry.list();
  const problems: string[] = registry.issues.map((i) => formatProfileIssue(i));
  for (const e of entries) if (!e.ok) problems.push(e.error.message);
  if (Array.isArray(models))
    for (const m of models)
      if (!m.ok)
        problems.push(
          `${m.id}: model ${JSON.stringify(m.profile.model)} does not resolve: ${firstLine(m.error.message)}`,
        );
  const ok = entries.filter((e) => e.ok).length;
  const notLoaded = config.ok ? "" : " (the config's profiles were not loaded: the config is invalid)";
  if (problems.length > 0) {
    return checkResult(
      "profiles",
      "fail",
      [
        `${plural(problems.length, "problem")} in ${plural(entries.length, "enabled profile")}${notLoaded}:`,
        ...problems,
      ].join("\n"),
      "fix each profile above; `orchestra profiles show <id>` shows how one resolves",
    );
  }
  const modelNote =
    models === undefined
      ? "; their models were not checked (give --server URL to resolve them against a running OpenCode's catalog)"
      : typeof models === "string"
        ? `; their models were not checked: ${models}`
        : `; every model resolves against the server's catalog`;
  const message = `${plural(ok, "enabled profile")} resolve${ok === 1 ? "s" : ""}${notLoaded}${modelNote}`;
  // Without the config's profiles the check is partial: never a pass.
  if (!config.ok)
    return checkResult(
      "profiles",
      "warn",
      message,
      "fix the config first; doctor then checks its profiles too",
    );
  return checkResult("profiles", typeof models === "string" ? "warn" : "pass", message);
}
