// The second line of defence, issue 11 item 6: the attacks OpenCode's compiled `permission` config can
// express, and benign calls it must let through. `second-line.e2e.test.ts` runs them with the plugin's
// hook switched off (OpenCode alone must deny), `second-line-both.e2e.test.ts` with both lines on.
import { join } from "node:path";
import type { RedTeamOptions } from "./red-team.js";

/** A restricted profile: full file access except denied paths, an allowlisted shell, no network. */
const SECOND_LINE_PERMISSIONS = {
  categories: { filesystem: "full", execution: "full", network: "none" },
  tools: { bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "echo", "git"] } } },
  paths: { denied: ["**/.env", "secrets/**"] },
};

/** A process and a session worker each, for a model offered write/edit and one offered apply_patch. */
export const SECOND_LINE_WORKERS = {
  files: ["sl-proc", "sl-session"],
  patch: ["sl-proc-gpt", "sl-session-gpt"],
} as const;

/** `startRedTeam` options shared by both files (a git repository: patterns are relative to its root). */
export function secondLineSetup(name: string, env?: Record<string, string>): RedTeamOptions {
  const profile = (id: string, kind: string, model?: string) => ({
    id,
    kind,
    purpose: `Second line (${kind})`,
    ...(model ? { model } : {}),
    permissions: SECOND_LINE_PERMISSIONS,
  });
  return {
    name,
    git: true,
    models: [{ id: "gpt-5-fake", name: "GPT-5 Fake" }],
    profiles: [
      profile("sl-proc", "process"),
      profile("sl-session", "session"),
      profile("sl-proc-gpt", "process", "scripted/gpt-5-fake"),
      profile("sl-session-gpt", "session", "scripted/gpt-5-fake"),
    ],
    files: {
      "README.md": "# second line\n",
      "src/a.ts": "export const a = 1;\n",
      ".env": "TOKEN=second-line-env-secret\n",
      "secrets/token.txt": "second-line-denied-secret\n",
      ".git/hooks/pre-commit": "#!/bin/sh\nexit 0\n",
    },
    outsideFiles: { "secret.txt": "second-line-outside-secret\n" },
    ...(env ? { env } : {}),
  };
}

/** Project-relative control and denied files a worker tries to create or change. */
export const WRITE_TARGETS = [
  ".opencode/plugin/second-line.js",
  "opencode.json",
  "orchestrator.json",
  ".git/config",
  ".git/hooks/pre-commit",
  "secrets/token.txt",
  ".env",
] as const;

/** The marker an attack writes; a target never contains it afterwards. */
export const MARK = "SECOND-LINE-PWNED";

/** An outside path (relative to the red team's `outside` dir) a worker tries to write. */
export const OUTSIDE_TARGET = "written-by-worker.txt";

/**
 * Attacks through the shell the compiled `bash` and `external_directory` rules express:
 * `[what, command (given the outside dir), file it would create in the project]`.
 */
export const SHELL_ATTACKS: readonly [string, (outside: string) => string, string][] = [
  ["a command outside allowedCommands", () => "touch pwned-touch", "pwned-touch"],
  ["a listed command wrapped in sh -c", () => "sh -c 'touch pwned-sh'", "pwned-sh"],
  ["a never-allowed command", () => "sudo touch pwned-sudo", "pwned-sudo"],
  ["an unlisted command in a substitution", () => "echo $(touch pwned-subst)", "pwned-subst"],
  ["a listed reader on a file outside the project", (outside) => `cat ${join(outside, "secret.txt")}`, ""],
];

/** OpenCode's own refusal by a `deny` rule (Permission.DeniedError). */
export const OPENCODE_DENIED =
  "The user has specified a rule which prevents you from using this specific tool call";

/** OpenCode's answer for a tool whose permission is denied outright (it is not offered at all). */
export function hiddenTool(tool: string): RegExp {
  return new RegExp(`unavailable tool '${tool}'`);
}
