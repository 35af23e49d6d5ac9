import { describe, expect, it } from "vitest";
import { check } from "../../check.js";
import type { RuleId } from "../../rules.js";
import type { Permissions } from "../../schema.js";
import { ctx } from "../../test-fixtures.js";

// Issue 11 re-review, bypass 1: bash evaluates the subscript of a variable NAME given to a builtin
// (`printf -v 'a[$(cmd)]'`), which runs `cmd`. Real bash 5.2 ran the substitution for every
// "unbounded" row below.
const READ_FULL: Permissions = {
  categories: { filesystem: "read", execution: "full", network: "none" },
  paths: { denied: ["**/.env", "secrets/**"] },
};
const SANDBOXED: Permissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "localhost" },
  paths: { denied: ["**/.env", "secrets/**"] },
};

const rows: [string, RuleId][] = [
  ["printf -v 'a[$(cat .env >&2; touch pwned)]' %s 1", "shell.unbounded"],
  ['printf -v "a[\\$(touch pw)]" %s 1', "shell.unbounded"],
  ["printf '-va[$(touch pw)]' %s 1", "shell.unbounded"],
  ["printf -v 'a[1]' %s 1", "shell.unbounded"],
  ["command printf -v 'a[$(touch pw)]' %s 1", "shell.unbounded"],
  ["for x in '-va[$(touch pw)]'; do printf $x %s 1; done", "shell.runtime-arg"],
  ["cat README.md > /dev/null & wait -p 'a[$(cat .env >&2; touch pwned)]' -n", "shell.unbounded"],
  ["wait -np 'a[$(touch pw)]'", "shell.unbounded"],
  ["read 'a[$(touch pw)]' <<< 1", "shell.unbounded"],
  ["read -r x 'a[$(touch pw)]' <<< 1", "shell.unbounded"],
  ["read -p prompt -d x 'a[$(touch pw)]' <<< 1", "shell.unbounded"],
  ["read -a 'a[$(touch pw)]' <<< 1", "shell.unbounded"],
  ["for x in 'b[$(touch pw)]'; do read \"$x\" <<< 1; done", "shell.runtime-arg"],
  ["read -a a <<< '1 2'; unset 'a[$(touch pw)]'", "shell.unbounded"],
  ["unset -v 'a[$(touch pw)]'", "shell.unbounded"],
  ["for x in 'b[$(touch pw)]'; do test -v \"a[x]\"; done", "shell.unbounded"],
  ["[[ -v 'a[$(touch pw)]' ]]", "shell.unbounded"],
  ["echo ${!x}", "shell.unbounded"],
  ["printf -v x %s 1", "allowed"],
  ["printf -vx %s 1", "allowed"],
  ["printf %s -v", "allowed"],
  ["printf -- '%s' hi", "allowed"],
  ["printf '%s\\n' \"$HOME\"", "allowed"],
  ['cat README.md | while read -r line; do echo "$line"; done', "allowed"],
  ["read -r -a parts <<< 'a b'", "allowed"],
  ["wait -p pid -n", "allowed"],
  ["unset x y", "allowed"],
];

describe("builtins that take a variable name", () => {
  for (const [name, profile] of [
    ["read-full", READ_FULL],
    ["sandboxed", SANDBOXED],
  ] as const) {
    it.each(rows)(`${name}: %s → %s`, (command, rule) => {
      const d = check(profile, { tool: "bash", args: { command } }, ctx);
      expect(d.rule, d.reason).toBe(rule);
      expect(d.decision).toBe(rule === "allowed" ? "allow" : "deny");
      if (d.decision === "deny") expect(d.reason).toMatch(/Allowed instead: \S/);
    });
  }
});
