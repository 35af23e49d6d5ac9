/**
 * Stable rule ids. Every decision names one; scripts and tests match on these, never on reasons.
 * The value is a one-line description, used in docs and the CLI.
 */
export const RULES = {
  allowed: "The call passed every rule.",
  "permissions.invalid":
    "The permissions block failed validation (unknown key, bad value): every call is denied.",
  "context.invalid": "The check context is malformed (cwd/home not absolute, unknown key).",
  "call.invalid": "The tool call's arguments are missing or of the wrong type.",
  "profile.unresolved":
    "The profile could not be resolved (missing, cycle, or extends/compose not available).",
  "tools.disabled": "The profile sets `enabled: false` for this tool.",
  "tools.uncovered": "No category covers this tool (MCP or custom) and the profile does not enable it.",
  "tools.task-not-enabled": "`task`/`subagent` runs another agent; it must be enabled explicitly.",
  "batch.invalid": "A batch call is malformed or nests another batch.",
  "filesystem.none": "`filesystem: none` allows no file access by any tool or shell command.",
  "filesystem.read-only": "`filesystem: read` allows no write by any route.",
  "execution.none": "`execution: none` allows no shell tool.",
  "execution.sandbox-unavailable":
    "`execution: sandboxed` needs bubblewrap and user namespaces; without them the shell is refused, never run unsandboxed.",
  "network.none": "`network: none` allows no network access.",
  "network.full-only": "This tool reaches remote services; it needs `network: full`.",
  "network.not-localhost": "`network: localhost` admits only `localhost`, canonical `127.x.y.z` and `[::1]`.",
  "network.reserved-port": "The port belongs to the orchestrator or a worker and is out of bounds.",
  "network.invalid-url": "The URL is malformed, uses an unsupported scheme, or hides its host.",
  "network.remote-operation":
    "The command talks to a remote that cannot be proven local (install, publish, git push/fetch...).",
  "paths.denied": "The path matches a `paths.denied` glob (deny beats allow).",
  "paths.not-allowed": "The path matches no `paths.allowed` glob (default: the project root and below).",
  "paths.control-file": "Orchestrator/OpenCode control files are never writable by a worker.",
  "patch.unparsable":
    "The patch is not in OpenCode's format or has a header-like line OpenCode would not read as one, so what it writes is uncertain.",
  "paths.backslash": "A `\\` in a path is denied.",
  "paths.too-broad":
    "A glob, brace expansion or recursive read covers more files than the validator checks; denied rather than unchecked.",
  "paths.unresolvable":
    "The path cannot be resolved statically (unknown user, symlink loop, built at run time).",
  "shell.parse-error": "The command did not parse as bash.",
  "shell.control-char": "Control or format characters (CR, NUL, zero-width, bidi) are denied.",
  "shell.unbounded":
    "A construct no static analysis can bound (arithmetic, coproc, code from stdin or files...).",
  "shell.dynamic-command": "The command name is built at run time.",
  "shell.command-path": "A command name containing `/` is denied.",
  "shell.never-allowed":
    "The command (sudo, eval, source, exec, docker, function definitions...) is never allowed.",
  "shell.not-allowed-command": "The command is not in the tool's `allowedCommands`.",
  "shell.wrapper-denied": "A wrapper whose inner command cannot be unwrapped safely.",
  "shell.inline-code": "Inline code (`node -e`, `python -c`, `npx`, `bun x`...) is denied.",
  "shell.env-prefix":
    "Only inert `VAR=value` prefixes (CI, NODE_ENV, TZ, LANG, LC_*, NO_COLOR, FORCE_COLOR, TERM) are allowed.",
  "shell.denied-flag": "A flag in `deniedFlags`, in any spelling the program accepts.",
  "shell.runtime-arg":
    "An argument built at run time while `deniedFlags` is set, or where a tabled program reads options.",
  "shell.unknown-option":
    "Under a restricted profile, an option missing from the program's option table (taken from its documentation).",
  "shell.not-read-only":
    "Under `filesystem: read` only known read-only commands (and their read-only forms) run.",
  "shell.no-file-command": "Under `filesystem: none` only commands that touch no file run.",
  "shell.unknown-cwd":
    "The working directory cannot be known statically (cd in a loop, conditional or dynamic).",
  "shell.too-deep": "Wrappers, substitutions or scripts nest too deeply.",
  "git.config-override": "`git -c`, `--config-env` and `--exec-path` are denied.",
  "git.outside-project": "`git -C`, `--git-dir` or `--work-tree` points outside the allowed paths.",
  "git.config-write": "`git config` may only read; writing `.git/config` or program-running keys is denied.",
  "git.unsafe-subcommand":
    "The git subcommand runs arbitrary programs (bisect run, rebase --exec, filter-branch...).",
  "git.pathspec":
    "A git pathspec the validator cannot read (unknown magic, outside the repository), or one that selects a denied file.",
  "git.foreign-repository":
    "git pointed at a repository other than the project's own (`--git-dir`, `--work-tree`, a git directory planted in the tree).",
  "git.sandbox-only":
    "A git command that writes the work tree or index from data the validator cannot see (`apply`, `am`, index and tree plumbing) runs only in the sandbox.",
  "npm.script-missing": "The package.json or the script is missing, so what it runs cannot be checked.",
  "npm.unsupported": "The package-manager subcommand is not supported by the validator.",
} as const;

/** A stable rule id, e.g. `execution.none`, `shell.denied-flag`, `paths.denied`. */
export type RuleId = keyof typeof RULES;

/** Every rule id, in documentation order. */
export const RULE_IDS = Object.keys(RULES) as readonly RuleId[];
