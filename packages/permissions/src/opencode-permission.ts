import { posix } from "node:path";
import { PermissionsError } from "./errors.js";
import { compilePolicy, type Policy } from "./policy.js";
import { SANDBOX_PREFIX } from "./sandbox.js";
import { INTERPRETERS, NETWORK_COMMANDS, NEVER_ALLOWED, SHELLS } from "./shell/commands.js";
import { INTERNAL_TOOLS } from "./tool-names.js";

/** OpenCode's permission action. */
export type OpencodeAction = "allow" | "ask" | "deny";
/** OpenCode's agent `permission` config: a tool id → an action, or pattern → action (last match wins). */
export type OpencodePermission = Record<string, OpencodeAction | Record<string, OpencodeAction>>;

/** Where the worker runs; lets relative and `~` globs be emitted as the absolute paths OpenCode matches. */
export interface OpencodePermissionOptions {
  /** The project root. */
  cwd?: string;
  /** The home directory. */
  home?: string;
}

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
const CONTROL_GLOBS = [
  "**/.opencode",
  "**/.opencode/**",
  "**/opencode.json",
  "**/opencode.jsonc",
  "**/.git/hooks/**",
  "**/.git/config",
  "**/.npmrc",
  "**/bunfig.toml",
];

function expandGlob(glob: string, opts: OpencodePermissionOptions): string[] {
  let g = glob;
  if (opts.home && (g === "~" || g.startsWith("~/"))) g = opts.home + g.slice(1);
  if (g.startsWith("/")) return [g];
  if (!opts.cwd) return [g];
  return [g, posix.join(opts.cwd, g)];
}

function pathRules(
  policy: Policy,
  write: boolean,
  opts: OpencodePermissionOptions,
): Record<string, OpencodeAction> {
  // `**` is used wherever a pattern must cross `/`, so the rules hold whether `*` crosses `/` or not.
  const rules: Record<string, OpencodeAction> = { "*": "deny", "**": "deny" };
  // OpenCode patterns cannot express an intersection of lists; any one list is a superset of it,
  // and `check` (the authority) enforces the rest.
  const allowedGlobs = policy.allowedLists?.[0];
  if (allowedGlobs === undefined) {
    rules["**"] = "allow";
    rules["/**"] = "deny";
    rules[".."] = "deny";
    rules["../**"] = "deny";
    if (opts.cwd) {
      rules[opts.cwd] = "allow";
      rules[`${opts.cwd}/**`] = "allow";
    }
  } else {
    for (const g of allowedGlobs) for (const e of expandGlob(g, opts)) rules[e] = "allow";
  }
  for (const g of policy.deniedGlobs) for (const e of expandGlob(g, opts)) rules[e] = "deny";
  if (write) for (const g of CONTROL_GLOBS) for (const e of expandGlob(g, opts)) rules[e] = "deny";
  // No backslash rule: OpenCode turns `\` into `/` in both pattern and path before matching, so a
  // `*\*` rule would read as `*/*` and deny every path. `check` denies backslashes.
  return rules;
}

/**
 * Compile a profile's permissions into OpenCode's agent `permission` config, as a second line of
 * defence behind {@link check} (which stays the authority: OpenCode patterns cannot express
 * parsed shell rules). Rules are ordered so that "last matching rule wins" gives the safe answer,
 * and patterns assume `*` may cross `/`. The config never allows what `check` would deny by tool
 * or category; it may allow calls that `check` then denies on their arguments.
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID` when the permissions do not validate.
 */
export function toOpencodePermission(
  permissions: unknown,
  options: OpencodePermissionOptions = {},
): OpencodePermission {
  const compiled = compilePolicy(permissions);
  if (!compiled.ok) {
    throw new PermissionsError("PERMISSIONS_INVALID", compiled.denial.reason, {
      hints: ["Fix the profile's permissions; `orchestra permissions check` shows the same error."],
    });
  }
  const p = compiled.policy;
  const enabled = (tool: string): boolean => p.tools.get(tool)?.enabled !== false;
  const out: OpencodePermission = { "*": "deny" };

  const read = p.filesystem !== "none" ? pathRules(p, false, options) : "deny";
  for (const t of ["read", "list", "lsp"]) out[t] = enabled(t) ? read : "deny";
  for (const t of ["glob", "grep", "skill"])
    out[t] = enabled(t) && p.filesystem !== "none" ? "allow" : "deny";
  const editEnabled = ["edit", "write", "apply_patch", "multiedit"].some(enabled);
  out.edit = p.filesystem === "full" && editEnabled ? pathRules(p, true, options) : "deny";
  out.external_directory = p.allowedLists?.[0]?.some(
    (g) => g.startsWith("/") || g.startsWith("~") || g.startsWith(".."),
  )
    ? pathRules(p, false, options)
    : "deny";

  const bash = p.tools.get("bash");
  if (p.execution === "none" || bash?.enabled === false) out.bash = "deny";
  else {
    const rules: Record<string, OpencodeAction> = {};
    const list = bash?.allowedCommands ?? (p.filesystem === "read" ? READ_ONLY_SHELL : undefined);
    rules["*"] = list ? "deny" : p.filesystem === "none" ? "deny" : "allow";
    if (p.filesystem === "none")
      for (const c of ["echo", "printf", "date", "true", "false", "pwd"]) rules[`${c} *`] = "allow";
    for (const c of list ?? []) rules[`${c} *`] = "allow";
    for (const c of NEVER_ALLOWED) rules[`${c} *`] = "deny";
    for (const c of [
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
    ])
      rules[`${c} *`] = "deny";
    for (const [interp, flags] of Object.entries(INTERPRETERS))
      for (const f of flags) rules[`${interp} ${f}*`] = "deny";
    for (const sh of SHELLS)
      rules[`${sh} *`] = list && !list.includes(sh) ? "deny" : (rules[`${sh} *`] ?? rules["*"]);
    // The plugin rewrites sandboxed commands to `bwrap --setenv ORCHESTRA_SANDBOX 1 … -- bash -c '<cmd>'`
    // after `check` allowed `<cmd>`; OpenCode then sees only the wrapper, so let exactly that prefix through.
    if (p.execution === "sandboxed") rules[`${SANDBOX_PREFIX} *`] = "allow";
    if (p.network !== "full") {
      for (const c of NETWORK_COMMANDS) rules[`${c} *`] = "deny";
      for (const c of [
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
      ])
        rules[`${c} *`] = "deny";
      if (p.network === "none") for (const c of ["curl", "wget"]) rules[`${c} *`] = "deny";
    }
    for (const f of bash?.deniedFlags ?? []) {
      rules[`* ${f}`] = "deny";
      rules[`* ${f} *`] = "deny";
      rules[`* ${f}=*`] = "deny";
      if (f.startsWith("--")) rules[`* ${f}-*`] = "deny";
    }
    for (const c of ["git -c *", "git * -c *", "git --config-env*", "git * --exec-path*"]) rules[c] = "deny";
    out.bash = rules;
  }

  // OpenCode 1.18 takes only an action (no URL patterns) for webfetch, websearch, todowrite, question
  // and doom_loop. Under `localhost` the URL's host is left to `check` (the authority).
  out.webfetch = p.network === "none" || p.tools.get("webfetch")?.enabled === false ? "deny" : "allow";
  for (const t of ["websearch", "codesearch"]) out[t] = p.network === "full" && enabled(t) ? "allow" : "deny";
  out.task = p.tools.get("task")?.enabled === true ? "allow" : "deny";
  for (const t of INTERNAL_TOOLS) if (t !== "invalid") out[t] = enabled(t) ? "allow" : "deny";
  for (const [tool, entry] of p.tools) {
    if (tool in out || tool === "bash" || tool === "write" || tool === "apply_patch" || tool === "multiedit")
      continue;
    out[tool] = entry.enabled ? "allow" : "deny";
  }
  return out;
}
