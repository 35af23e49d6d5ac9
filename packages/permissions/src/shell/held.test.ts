import { describe, expect, it } from "vitest";
import { check } from "../check.js";
import type { RuleId } from "../rules.js";
import { ctx, type ProfileName, profiles } from "../test-fixtures.js";

// Issue 11, "What held, and must keep holding": the shell cases, in one place.
const rows: [ProfileName, string, RuleId][] = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["open", "cat${IFS}/etc/passwd", "shell.dynamic-command"],
  ["open", "cat $IFS/etc/passwd", "paths.unresolvable"],
  ["open", "ls$IFS-la", "shell.dynamic-command"],
  ["coder", "X=sudo;$X ls", "shell.never-allowed"],
  ["open", "eval 'cat /etc/passwd'", "shell.never-allowed"],
  ["open", "ls && eval x", "shell.never-allowed"],
  ["open", "xargs rm", "shell.wrapper-denied"],
  ["open", "echo /etc/passwd | xargs cat", "shell.wrapper-denied"],
  ["open", "env -S 'sudo ls'", "shell.wrapper-denied"],
  ["open", "env --split-string='cat /etc/passwd'", "shell.wrapper-denied"],
  ["open", "bash -c \"bash -c 'sudo id'\"", "shell.never-allowed"],
  ["open", "sh -c 'sh -c \"cat /etc/shadow\"'", "paths.not-allowed"],
  ["open", "echo $(sudo id)", "shell.never-allowed"],
  ["open", 'echo "$(cat /etc/shadow)"', "paths.not-allowed"],
  ["open", "git -c core.pager=sh log", "git.config-override"],
  ["open", "git -c core.sshCommand=x fetch", "git.config-override"],
  ["open", "git fetch --upload-pack='sh -c id' origin", "git.unsafe-subcommand"],
  ["open", "git clone -u 'sh -c id' x y", "git.unsafe-subcommand"],
  ["open", "git ls-remote --upload-pack=sh origin", "git.unsafe-subcommand"],
  ["open", "GIT_SSH_COMMAND=sh git fetch", "shell.env-prefix"],
  ["open", "GIT_DIR=/tmp git status", "shell.env-prefix"],
  ["open", "GIT_CONFIG_COUNT=1 git status", "shell.env-prefix"],
  ["open", "env GIT_EXTERNAL_DIFF=sh git diff", "shell.env-prefix"],
  ["open", "node -e 'require(\"child_process\")'", "shell.inline-code"],
  ["open", "python3 -c 'import os'", "shell.inline-code"],
  ["open", "perl -e 'system(1)'", "shell.inline-code"],
  ["open", "npx cowsay", "shell.inline-code"],
  ["open", "ls\rsudo id", "shell.control-char"],
  ["open", "l\u200bs", "shell.control-char"],
  ["open", "ls \u2066x\u2069", "shell.control-char"],
];

describe("what held keeps holding", () => {
  it.each(rows)("%s: %j → %s", (profile, command, rule) => {
    const d = check(profiles[profile], { tool: "bash", args: { command } }, ctx);
    expect(d.rule, d.reason).toBe(rule);
    expect(d.decision).toBe("deny");
    expect(d.reason).toMatch(/Allowed instead: \S/);
  });
});
