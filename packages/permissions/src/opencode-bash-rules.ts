import type { OpencodeAction } from "./opencode-types.js";
import type { Policy } from "./policy.js";
import { SANDBOX_PREFIX } from "./sandbox.js";
import { INTERPRETERS, NETWORK_COMMANDS, NEVER_ALLOWED, SHELLS } from "./shell/commands.js";

/** Commands `filesystem: read` lets through without an `allowedCommands` list (read-only ones). */
const READ_ONLY_SHELL = [
  "ls",
  "cat",
  "head",
  "tail",
  "grep",
  "rg",
  "wc",
  "sort",
  "uniq",
  "cut",
  "diff",
  "cmp",
  "file",
  "stat",
  "du",
  "df",
  "tree",
  "jq",
  "pwd",
  "echo",
  "printf",
  "which",
  "date",
  "basename",
  "dirname",
  "realpath",
  "true",
  "false",
  "git status",
  "git log",
  "git diff",
  "git show",
  "git blame",
  "git rev-parse",
  "git ls-files",
  "git grep",
  "git branch",
  "git describe",
  "git shortlog",
];
/** Commands that run code they fetch or are given inline. */
const RUNNERS = [
  "npx",
  "bunx",
  "pnpx",
  "npm exec",
  "npm x",
  "pnpm dlx",
  "pnpm exec",
  "yarn dlx",
  "bun x",
  "xargs",
  "watch",
  "parallel",
];
/** Package-manager and git operations that reach a remote. */
const NETWORK_OPERATIONS = [
  "npm install",
  "npm i",
  "npm ci",
  "npm publish",
  "bun install",
  "bun add",
  "pnpm install",
  "pnpm add",
  "yarn add",
  "git push",
  "git fetch",
  "git pull",
  "git clone",
];

/**
 * The `bash` rules of OpenCode's permission config for `policy`, or `deny` when the profile has no
 * shell. OpenCode matches each command of a command line (every tree-sitter `command` node, those in
 * `$(…)`, pipelines and lists included) by its full text, so `"*": "deny"` plus `<cmd> *` allows
 * (a trailing ` *` is optional) lets exactly the listed command words through.
 */
export function bashRules(p: Policy): OpencodeAction | Record<string, OpencodeAction> {
  const bash = p.tools.get("bash");
  if (p.execution === "none" || bash?.enabled === false) return "deny";
  const rules: Record<string, OpencodeAction> = {};
  const list = bash?.allowedCommands ?? (p.filesystem === "read" ? READ_ONLY_SHELL : undefined);
  rules["*"] = list ? "deny" : p.filesystem === "none" ? "deny" : "allow";
  if (p.filesystem === "none")
    for (const c of ["echo", "printf", "date", "true", "false", "pwd"]) rules[`${c} *`] = "allow";
  for (const c of list ?? []) rules[`${c} *`] = "allow";
  for (const c of NEVER_ALLOWED) rules[`${c} *`] = "deny";
  for (const c of RUNNERS) rules[`${c} *`] = "deny";
  for (const [interp, flags] of Object.entries(INTERPRETERS))
    for (const f of flags) rules[`${interp} ${f}*`] = "deny";
  for (const sh of SHELLS)
    rules[`${sh} *`] = list && !list.includes(sh) ? "deny" : (rules[`${sh} *`] ?? rules["*"]);
  // The plugin rewrites sandboxed commands to `bwrap --setenv ORCHESTRA_SANDBOX 1 … -- bash -c '<cmd>'`
  // after `check` allowed `<cmd>`; OpenCode then sees only the wrapper, so let exactly that prefix through.
  if (p.execution === "sandboxed") rules[`${SANDBOX_PREFIX} *`] = "allow";
  if (p.network !== "full") {
    for (const c of NETWORK_COMMANDS) rules[`${c} *`] = "deny";
    for (const c of NETWORK_OPERATIONS) rules[`${c} *`] = "deny";
    if (p.network === "none") for (const c of ["curl", "wget"]) rules[`${c} *`] = "deny";
  }
  for (const f of bash?.deniedFlags ?? []) {
    rules[`* ${f}`] = "deny";
    rules[`* ${f} *`] = "deny";
    rules[`* ${f}=*`] = "deny";
    if (f.startsWith("--")) rules[`* ${f}-*`] = "deny";
  }
  for (const c of ["git -c *", "git * -c *", "git --config-env*", "git * --exec-path*"]) rules[c] = "deny";
  return rules;
}
