import { configPaths } from "@orchestra/config";
import { formatIssue, type Issue } from "@orchestra/core";
import type { ProfileRegistry } from "@orchestra/profiles";
import { crossReferenceIssues } from "../config-cross-refs.js";
import { type CheckResult, checkResult, plural } from "./check.js";
import type { ConfigState, DoctorSetup } from "./setup.js";

const line = (i: Issue) => `${i.file ? `${i.file}: ` : ""}${formatIssue(i)}`;

/**
 * `config`: every orchestrator config file (the global one, then the project's two) parses and
 * validates, and the merged config's cross-references hold (`extends`, `workers`,
 * `warmPool.profiles`, `modelAliases`), as `orchestra config validate` checks them; on failure,
 * every error with its file and JSON path, one per line. Problems of markdown profile files are
 * left to the `profiles` check.
 */
export function checkConfig(setup: DoctorSetup, config: ConfigState, registry: ProfileRegistry): CheckResult {
  if (!config.ok) {
    const { issues, hints } = config.error;
    return checkResult(
      "config",
      "fail",
      [
        `${plural(issues.length, "error")}; nothing of the config is applied until they are fixed:`,
        ...issues.map(line),
      ].join("\n"),
      hints.join("; ") || "fix the errors above, then run `orchestra config validate`",
    );
  }
  const files = config.loaded.layers.map((l) => l.file);
  const crossRefs = crossReferenceIssues(config.loaded, registry).filter(
    (i) => i.file === undefined || files.includes(i.file),
  );
  if (crossRefs.length > 0)
    return checkResult(
      "config",
      "fail",
      [`${plural(crossRefs.length, "error")} across the config files:`, ...crossRefs.map(line)].join("\n"),
      "fix the errors above, then run `orchestra config validate`",
    );
  if (files.length > 0)
    return checkResult(
      "config",
      "pass",
      `valid: ${config.loaded.layers.map((l) => `${l.file} (${l.kind})`).join(", ")}`,
    );
  const looked = configPaths({ projectDir: setup.projectDir, env: setup.env, home: setup.home });
  return checkResult(
    "config",
    "pass",
    `no config file (every value is a default); looked for ${looked.map((p) => p.file).join(", ")}`,
  );
}
