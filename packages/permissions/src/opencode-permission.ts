/*
 * OpenCode 1.18.33's own permission check, as its source does it (read from the bundled
 * `packages/opencode/src/permission` and tool modules of `anomalyco/opencode` in the pinned binary):
 *
 * - Config → ruleset. `permission` (top level or per agent) is a map `permission → action` or
 *   `permission → { pattern → action }`. `fromConfig` flattens it in key order into rules
 *   `{ permission, pattern, action }` (an action alone is pattern `*`), expanding a leading `~/`,
 *   `~` and `$HOME` in patterns to the server's home. Key order survives config loading (checked
 *   against `GET /agent`). Built-in defaults come first (`"*": "allow"`, `external_directory`
 *   `"*": "ask"` with the tool-output and temp dirs allowed, `.env` reads ask), the user's rules after.
 * - Evaluation. `evaluate(permission, pattern, ...rulesets)` is `rulesets.flat().findLast(rule =>
 *   match(permission, rule.permission) && match(pattern, rule.pattern))`, default `ask`: the LAST
 *   matching rule wins. A call with several patterns is denied when any one is denied.
 * - `Wildcard.match(input, pattern)`: `\` becomes `/` in both, regex metacharacters are escaped,
 *   `*` becomes `.*` (it crosses `/`, and `**` is no different), `?` becomes `.`, and a trailing
 *   ` *` is optional (`ls *` matches `ls`). No braces, no classes, no `[^/]`: a deny written with
 *   `*` can match more than the picomatch glob it came from, never less.
 * - A session's ruleset. The check uses `merge(agent.permission, session.permission ?? [])`, so the
 *   rules given to `session.create({ permission })` come last and win. A subagent (`task`) session
 *   inherits its parent session's `deny` and `external_directory` rules.
 * - Hidden tools. A tool whose last rule for its permission (`edit` for write/edit/apply_patch) is
 *   `pattern "*" → deny` is not offered to the model; a call to it becomes the `invalid` tool.
 * - Patterns per tool:
 *   - `read`: `path.relative(worktree, file)`; `edit` for write and edit: the same; for
 *     apply_patch: every patched file's path (not its `Move to:` target), relative to the worktree.
 *     `worktree` is the git top level, or `/` outside a git repository (so patterns read like
 *     `var/tmp/proj/src/a.ts`). A file outside the worktree gives `../…`.
 *   - `external_directory`: asked first, with the absolute `<dir>/*`, for a file tool's path outside
 *     the project directory and outside the worktree (unless the worktree is `/`), and for the
 *     directories of path arguments of `cd`, `rm`, `cp`, `mv`, `mkdir`, `touch`, `chmod`, `chown`,
 *     `cat` in a shell command.
 *   - `bash`: one pattern per tree-sitter `command` node (also inside `$(…)`, pipelines, lists),
 *     the command's full text (with its redirections when it has some); `cd` and the like give none.
 *   - `glob`, `grep`: the search pattern (not a path); `lsp`: `*`; `skill`: the skill's name;
 *     `task`: the subagent type; `webfetch`: the URL, but the config schema takes only an action for
 *     `webfetch`, `websearch`, `todowrite`, `question` and `doom_loop`.
 */
import { homedir } from "node:os";
import { posix } from "node:path";
import { PermissionsError } from "./errors.js";
import { bashRules } from "./opencode-bash-rules.js";
import { externalDirectoryRules, type PathContext, pathRules } from "./opencode-path-rules.js";
import type { OpencodeAction, OpencodePermission, OpencodeRule } from "./opencode-types.js";
import { opencodeWorktree } from "./opencode-worktree.js";
import { requirePolicy } from "./policy.js";
import { INTERNAL_TOOLS } from "./tool-names.js";

/** Where the worker runs: OpenCode matches file permissions against paths relative to the worktree. */
export interface OpencodePermissionOptions {
  /** The project directory OpenCode runs in (absolute; default `process.cwd()`). */
  cwd?: string;
  /** The home directory (default `os.homedir()`). */
  home?: string;
  /**
   * OpenCode's worktree for `cwd`: the git top level, or `/` outside a repository. The plugin passes
   * its `PluginInput.worktree`; the default computes it as OpenCode does ({@link opencodeWorktree}).
   */
  worktree?: string;
}

/**
 * Compile a profile's permissions into OpenCode's `permission` config, a second line of defence
 * behind {@link check} (the authority: OpenCode patterns cannot express parsed shell rules, file
 * contents or an intersection of path lists). It starts from deny-all and never allows what `check`
 * would deny by tool, category, control file, denied path or command word; it may allow calls that
 * `check` then denies on their arguments, and it may deny a little more than `check` where OpenCode's
 * `*` crosses `/`. Every pattern is written for OpenCode's matcher (see the notes at the top of this
 * module): relative to the worktree, with `**` globs unfolded so `**\/.opencode/**` also covers a
 * root-level `.opencode/`.
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID` when the permissions do not validate.
 */
export function toOpencodePermission(
  permissions: unknown,
  options: OpencodePermissionOptions = {},
): OpencodePermission {
  const p = requirePolicy(permissions);
  const cwd = posix.resolve(options.cwd ?? process.cwd());
  const ctx: PathContext = {
    cwd,
    home: options.home ?? homedir(),
    worktree: options.worktree ?? opencodeWorktree(cwd),
  };
  const enabled = (tool: string): boolean => p.tools.get(tool)?.enabled !== false;
  const out: OpencodePermission = { "*": "deny" };

  const read = p.filesystem !== "none" ? pathRules(p, ctx, "read") : "deny";
  for (const t of ["read", "list"]) out[t] = enabled(t) ? read : "deny";
  for (const t of ["glob", "grep", "lsp", "skill"])
    out[t] = enabled(t) && p.filesystem !== "none" ? "allow" : "deny";
  const editEnabled = ["edit", "write", "apply_patch", "multiedit"].some(enabled);
  out.edit = p.filesystem === "full" && editEnabled ? pathRules(p, ctx, "edit") : "deny";
  out.external_directory = p.filesystem !== "none" ? externalDirectoryRules(p, ctx) : "deny";
  out.bash = bashRules(p);

  // Action-only in OpenCode's schema: under `localhost` the URL's host is left to `check`.
  out.webfetch = p.network === "none" || p.tools.get("webfetch")?.enabled === false ? "deny" : "allow";
  for (const t of ["websearch", "codesearch"]) out[t] = p.network === "full" && enabled(t) ? "allow" : "deny";
  out.task = p.tools.get("task")?.enabled === true ? "allow" : "deny";
  for (const t of INTERNAL_TOOLS) if (t !== "invalid") out[t] = enabled(t) ? "allow" : "deny";
  // OpenCode answers a call to a tool it does not offer through its `invalid` tool, which only tells
  // the model the tool is unavailable; denied, the model would be told that `invalid` is unavailable.
  out.invalid = "allow";
  // OpenCode's repeat-call check: a third identical tool call in a row asks `doom_loop`. Denied,
  // it fails the step with an UnknownError and OpenCode records that step with 0 tokens and cost 0,
  // so a worker could hide its last model call from the ledger and its budget. Allowed, the call
  // goes on to its own permission and the plugin's check (which still sees every call), and its
  // step is recorded with its real usage.
  out.doom_loop = "allow";
  for (const [tool, entry] of p.tools) {
    if (tool in out || tool === "bash" || tool === "write" || tool === "apply_patch" || tool === "multiedit")
      continue;
    out[tool] = entry.enabled ? "allow" : "deny";
  }
  return out;
}

const ACTIONS: ReadonlySet<string> = new Set(["allow", "ask", "deny"]);

function action(value: unknown, where: string): OpencodeAction {
  if (typeof value === "string" && ACTIONS.has(value)) return value as OpencodeAction;
  throw new PermissionsError(
    "PERMISSIONS_INVALID",
    `${where}: not an OpenCode permission action (got ${JSON.stringify(value)}, expected "allow", "ask" or "deny")`,
    { hints: ["Pass the output of toOpencodePermission()."] },
  );
}

function expandHome(pattern: string, home: string): string {
  if (pattern === "~" || pattern === "$HOME") return home;
  if (pattern.startsWith("~/")) return home + pattern.slice(1);
  if (pattern.startsWith("$HOME")) return home + pattern.slice(5);
  return pattern;
}

/**
 * Flatten a `permission` config into the ruleset `session.create({ permission })` takes, exactly as
 * OpenCode's own `fromConfig` does (key order kept, an action alone is pattern `*`, `~` and `$HOME`
 * expanded). A session's rules come after its agent's, so they win.
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID` for a value that is not an action or a map of actions.
 */
export function toOpencodeRuleset(
  config: Readonly<Record<string, unknown>>,
  options: { home?: string } = {},
): OpencodeRule[] {
  const home = options.home ?? homedir();
  const rules: OpencodeRule[] = [];
  for (const [permission, value] of Object.entries(config)) {
    if (typeof value === "string") {
      rules.push({ permission, pattern: "*", action: action(value, `permission.${permission}`) });
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      action(value, `permission.${permission}`);
    for (const [pattern, a] of Object.entries(value as Record<string, unknown>))
      rules.push({
        permission,
        pattern: expandHome(pattern, home),
        action: action(a, `permission.${permission}[${JSON.stringify(pattern)}]`),
      });
  }
  return rules;
}
