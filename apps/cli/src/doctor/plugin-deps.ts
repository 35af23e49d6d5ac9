import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PLUGIN_PACKAGE } from "@orchestra/process";
import { opencodeConfigDirs } from "@orchestra/runtime";
import { type CheckResult, checkResult, plural } from "./check.js";
import type { DoctorSetup } from "./setup.js";

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const SECTIONS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

function depNames(doc: Record<string, unknown> | undefined): string[] {
  return SECTIONS.flatMap((s) => {
    const section = doc?.[s];
    return typeof section === "object" && section !== null ? Object.keys(section) : [];
  });
}

/** One config dir as OpenCode 1.18's install check sees it. */
export interface ConfigDirState {
  dir: string;
  /** OpenCode skips its install here. */
  satisfied: boolean;
  /** Why it would install, when it would. */
  reason?: string;
  /** The version of `node_modules/@opencode-ai/plugin`, when the package itself is there. */
  installed?: string;
}

/**
 * OpenCode 1.18's check before its embedded `npm install` into a config dir (the rule the testkit's
 * pre-seed satisfies): the install runs when the dir has no `node_modules/`, or when
 * `@opencode-ai/plugin` or any dependency in its `package.json` is missing from
 * `package-lock.json`'s `packages[""]`.
 */
export function configDirState(dir: string): ConfigDirState {
  const installed = readJson(join(dir, "node_modules", PLUGIN_PACKAGE, "package.json"))?.version;
  const base = { dir, ...(typeof installed === "string" ? { installed } : {}) };
  if (!existsSync(join(dir, "node_modules")))
    return { ...base, satisfied: false, reason: "no node_modules/ (never installed, or the install failed)" };
  const lock = readJson(join(dir, "package-lock.json"));
  const root = (lock?.packages as Record<string, Record<string, unknown>> | undefined)?.[""];
  const locked = new Set(depNames(root));
  const missing = [PLUGIN_PACKAGE, ...depNames(readJson(join(dir, "package.json")))].filter(
    (name, i, all) => !locked.has(name) && all.indexOf(name) === i,
  );
  if (missing.length > 0)
    return { ...base, satisfied: false, reason: `not in package-lock.json: ${missing.join(", ")}` };
  return { ...base, satisfied: true };
}

/**
 * `plugin-deps`: OpenCode's install of `@opencode-ai/plugin` into each config dir an OpenCode in
 * this project uses (the runtime's `opencodeConfigDirs`: the global one, `$OPENCODE_CONFIG_DIR`,
 * every existing `.opencode/` up from the project). Where it has not succeeded, the next OpenCode
 * start with a plugin waits for it: about 14 s online, about 72 s offline, and a failed install
 * leaves nothing behind, so it repeats on every start. Workers pre-seed these dirs when they start;
 * the user's own `opencode` does not. `warn`, with the one command that installs it for good.
 */
export function checkPluginDeps(setup: DoctorSetup, opencodeVersion: string): CheckResult {
  const states = opencodeConfigDirs(setup.env, setup.projectDir).map(configDirState);
  const lines = states.map((s) =>
    s.satisfied
      ? `${s.dir}: installed${s.installed ? ` (${PLUGIN_PACKAGE} ${s.installed})` : " (pre-seeded)"}`
      : `${s.dir}: OpenCode will install ${PLUGIN_PACKAGE} at its next start: ${s.reason}`,
  );
  const pending = states.filter((s) => !s.satisfied);
  if (pending.length === 0) return checkResult("plugin-deps", "pass", lines.join("\n"));
  return checkResult(
    "plugin-deps",
    "warn",
    [
      `${plural(pending.length, "config dir")} without OpenCode's plugin dependencies: OpenCode's next start with a plugin waits for an npm install, about 14 s online and about 72 s offline, again on every start while it fails (workers pre-seed these dirs; your own opencode does not):`,
      ...lines,
    ].join("\n"),
    `install it once while online: ${pending.map((s) => `mkdir -p ${s.dir} && npm install --prefix ${s.dir} ${PLUGIN_PACKAGE}@${opencodeVersion}`).join(" && ")}`,
  );
}
