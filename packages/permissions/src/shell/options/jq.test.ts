import { describe, expect, it } from "vitest";
import { check } from "../../check.js";
import type { RuleId } from "../../rules.js";
import type { Permissions } from "../../schema.js";
import { ctx } from "../../test-fixtures.js";

// Issue 11 re-review, bypass 2: jq's `import`/`include` read module and data files (`.jq`, `.json`)
// the path rules never saw; `jq -n 'import "secrets/creds" as $c; $c'` printed secrets/creds.json.
const DENIED = ["**/.env", "secrets/**"];
const profiles = {
  readFull: {
    categories: { filesystem: "read", execution: "full", network: "none" },
    paths: { denied: DENIED },
  },
  open: { categories: { filesystem: "full", execution: "full", network: "full" }, paths: { denied: DENIED } },
} satisfies Record<string, Permissions>;

const rows: [keyof typeof profiles, string, RuleId][] = [
  ["readFull", `jq -n 'import "secrets/creds" as $c; $c'`, "paths.unresolvable"],
  ["readFull", `jq -n 'import "../outside/secret" as $c; $c'`, "paths.unresolvable"],
  ["readFull", `jq -n 'include "x"; 1'`, "paths.unresolvable"],
  ["readFull", `jq -n 'import"x" as $x; $x'`, "paths.unresolvable"],
  ["readFull", `jq -n '"secrets/creds" | modulemeta'`, "paths.unresolvable"],
  ["readFull", `jq -L . -n 'import "secrets/creds" as $c; $c'`, "paths.unresolvable"],
  ["readFull", `jq -Lsecrets -n 'import "creds" as $c; $c'`, "paths.denied"],
  ["readFull", "jq -L secrets -n 1", "paths.denied"],
  ["readFull", "jq -nL secrets 1", "paths.denied"],
  ["readFull", "jq --library-path secrets -n 1", "paths.denied"],
  ["readFull", "jq -L /etc -n 1", "paths.not-allowed"],
  ["open", `jq -n 'import "secrets/creds" as $c; $c'`, "paths.unresolvable"],
  // What held: program files, --rawfile/--slurpfile and inputs are reads.
  ["readFull", "jq -f .env", "paths.unresolvable"],
  ["readFull", "jq -n -f.env", "paths.denied"],
  ["open", "jq -n -f.env", "paths.denied"],
  ["readFull", "jq --from-file=.env", "shell.unknown-option"],
  ["open", "jq -f .env", "paths.denied"],
  ["open", "jq -nf .env", "paths.denied"],
  ["readFull", "jq -f prog.jq data.json", "paths.unresolvable"],
  ["readFull", "jq -n --rawfile x .env '$x'", "paths.denied"],
  ["readFull", "jq -n --slurpfile x secrets/creds.json '$x'", "paths.denied"],
  ["readFull", "jq -n 'input' .env", "paths.denied"],
  ["readFull", "jq . README.md .env", "paths.denied"],
  ["readFull", "jq --run-tests tests.txt", "shell.inline-code"],
  ["readFull", "jq --outp=x .", "shell.unknown-option"],
  ["readFull", 'jq "$P" README.md', "shell.runtime-arg"],
  ["readFull", "jq $OPT . README.md", "shell.runtime-arg"],
  // Benign.
  ["readFull", "jq . README.md", "allowed"],
  ["readFull", "jq -r '.scripts | keys[]' package.json", "allowed"],
  ["readFull", "jq -n --arg x .env '$x'", "allowed"],
  ["readFull", "jq -n --rawfile a README.md '$a'", "allowed"],
  ["readFull", "jq -n '$ARGS' --args .env secrets/x", "allowed"],
  ["readFull", `jq '.[] | select(.kind == "importer")' data.json`, "allowed"],
  ["readFull", "jq -c --indent 2 --tab -S . data.json", "allowed"],
  ["open", "jq -f prog.jq data.json", "allowed"],
];

describe("jq", () => {
  it.each(rows)("%s: %s → %s", (profile, command, rule) => {
    const d = check(profiles[profile], { tool: "bash", args: { command } }, ctx);
    expect(d.rule, d.reason).toBe(rule);
    expect(d.decision).toBe(rule === "allowed" ? "allow" : "deny");
    if (d.decision === "deny") expect(d.reason).toMatch(/Allowed instead: \S/);
  });
});
