import { posix } from "node:path";
import picomatch from "picomatch";

/**
 * The parts of a git directory that can make git run a program or take config, hooks or objects from
 * elsewhere (gitrepository-layout(5), githooks(5), git-config(1), git-worktree(1)), relative to a git
 * directory. A submodule's git directory (`modules/<name>`) and a linked worktree's (`worktrees/<id>`)
 * have the same layout, so the whole of both trees is listed.
 */
const GIT_DIR_CONTROL = [
  // `config` holds core.fsmonitor, core.hooksPath, core.sshCommand, include/includeIf, aliases, drivers...
  "config",
  // read when extensions.worktreeConfig is set; same power as `config`
  "config.worktree",
  // redirects the common dir (config, hooks, objects) to another directory
  "commondir",
  "hooks",
  "hooks/**",
  // attributes (filter/diff drivers), exclude, sparse-checkout, grafts
  "info",
  "info/**",
  "modules",
  "modules/**",
  "worktrees",
  "worktrees/**",
  // borrow objects from another object store
  "objects",
  "objects/info",
  "objects/info/alternates",
  "objects/info/http-alternates",
  // deprecated remote shorthands: URLs git fetches from and pushes to
  "remotes",
  "remotes/**",
  "branches",
  "branches/**",
  // an interrupted rebase, am, cherry-pick or revert: `exec` lines of a todo run on `--continue`
  "rebase-merge",
  "rebase-merge/**",
  "rebase-apply",
  "rebase-apply/**",
  "sequencer",
  "sequencer/**",
] as const;

/**
 * Every control path, as picomatch globs (use `{ dot: true }`) that match at any depth of a path
 * relative to the project or to any directory (an absolute path without its leading `/` works too).
 * A worker may never write, create, rename onto or delete these, whether they exist yet or not:
 * - OpenCode's config: `.opencode/` (plugins, agents, commands), `opencode.json`, `opencode.jsonc`;
 * - the orchestrator's config, at every location the loader reads: `orchestrator.json` (the project
 *   root and `.opencode/`; the global one sits in the OpenCode config dir, see `PathPolicy`);
 * - package-manager config that can run programs or redirect installs: `.npmrc`, `bunfig.toml` and
 *   `.bunfig.toml` (bun's `preload`), `.yarnrc.yml` (Yarn 2+: `yarnPath` runs that JS file for every
 *   `yarn` command, `plugins` load JS from `.yarn/plugins/`), `.yarnrc` (Yarn 1: `yarn-path`), the
 *   `.yarn/releases/` and `.yarn/plugins/` those point at, `.pnpmfile.cjs`/`.pnpmfile.mjs` (pnpm's
 *   install hooks) and `pnpm-workspace.yaml` (pnpm 10 settings, `pnpmfile` among them). `package.json`
 *   stays writable: its scripts run only through commands the profile checks;
 * - `.git` itself (a file named `.git` is a `gitdir:` pointer to a repository elsewhere, and renaming a
 *   directory onto `.git` plants a whole repository), and every git-directory file that can make git
 *   run a program or read config, hooks or objects from elsewhere (see `GIT_DIR_CONTROL`).
 * - the usual git hooks folders of a working tree, `.husky/` (husky v5-v8 as `core.hooksPath`; husky
 *   v9's stubs in `.husky/_` source `.husky/<hook>`, so a hook needs no exec bit) and `.githooks/`: git
 *   runs their files at the user's next commit or merge, outside any sandbox;
 * - `tui.json`/`tui.jsonc` at every depth: OpenCode 1.18.33 loads them from the project (every level
 *   from the working directory up to the worktree) and runs their `plugin` entries as TUI plugins.
 * Anything else inside `.git` is written by git's own commands only: a direct write (a tool, a
 * redirect, `cp`) is denied too. In the sandbox, where git itself must write, only the entries of
 * {@link SANDBOX_CONTROL_NAMES} are read-only.
 */
export const CONTROL_FILE_GLOBS: readonly string[] = [
  "**/.opencode",
  "**/.opencode/**",
  "**/opencode.json",
  "**/opencode.jsonc",
  "**/tui.json",
  "**/tui.jsonc",
  "**/orchestrator.json",
  "**/.npmrc",
  "**/bunfig.toml",
  "**/.bunfig.toml",
  "**/.yarnrc",
  "**/.yarnrc.yml",
  "**/.yarn/plugins",
  "**/.yarn/plugins/**",
  "**/.yarn/releases",
  "**/.yarn/releases/**",
  "**/.pnpmfile.cjs",
  "**/.pnpmfile.mjs",
  "**/pnpm-workspace.yaml",
  "**/.husky",
  "**/.husky/**",
  "**/.githooks",
  "**/.githooks/**",
  "**/.git",
  ...GIT_DIR_CONTROL.map((p) => `**/.git/${p}`),
  // Direct writes anywhere in a git directory: git writes it through its own commands. A worker's
  // own `HEAD`, `index`, `packed-refs`, `refs/` or objects would steer what `git checkout` writes.
  "**/.git/**",
];

/**
 * Directories under the user's home that are control files as a whole, wherever the project is (also
 * when the project is the home directory): the global OpenCode config dir, and Open Orchestra's state
 * (the device registry, provider slots and worker secret) and its model-catalog cache, which decide
 * which workers exist and which model they get. At their default (non-XDG) places.
 */
export function homeControlDirs(home: string): readonly string[] {
  return [`${home}/.config/opencode`, `${home}/.local/share/opencode/orchestra`, `${home}/.cache/orchestra`];
}

/** One line naming the control files, for deny messages. */
export const CONTROL_FILE_SUMMARY =
  "`.opencode/`, `opencode.json(c)`, `tui.json(c)`, `orchestrator.json`, `.npmrc`, `bunfig.toml`, `.bunfig.toml`, " +
  "`.yarnrc(.yml)`, `.yarn/plugins/`, `.yarn/releases/`, `.pnpmfile.cjs/.mjs`, `pnpm-workspace.yaml`, the git hooks folders " +
  "`.husky/` and `.githooks/`, the OpenCode config dir, " +
  "Open Orchestra's state and catalog cache (`~/.local/share/opencode/orchestra`, `~/.cache/orchestra`), " +
  "`.git` itself and its `config`, `config.worktree`, `commondir`, `hooks/`, `info/`, `modules/`, `worktrees/`, " +
  "`objects/info/(http-)alternates`, `remotes/`, `branches/`, `rebase-merge/`, `rebase-apply/`, `sequencer/` " +
  "stay read-only at every depth (the rest of `.git` is written by git commands only)";

/**
 * The project-root-relative control paths a sandbox must keep read-only, and impossible to create when
 * they do not exist yet. Directories are in {@link SANDBOX_CONTROL_DIRS}; the rest are files.
 *
 * Not listed, and left to the sandbox: `.git` itself. When `.git` is a directory, the entries below
 * protect what matters and the rest stays writable for commits; when it is a file (a `gitdir:` pointer)
 * it must be read-only; when it is missing, creating it must be impossible (a new `.git/config` with a
 * `core.fsmonitor` program would run on the user's next `git status`).
 * Control files deeper in the tree (`sub/opencode.json`, `sub/.git/config`) match
 * {@link CONTROL_FILE_GLOBS}; a sandbox that cannot protect every depth must say so.
 */
export const SANDBOX_CONTROL_NAMES: readonly string[] = [
  ".opencode",
  "opencode.json",
  "opencode.jsonc",
  "tui.json",
  "tui.jsonc",
  "orchestrator.json",
  ".npmrc",
  "bunfig.toml",
  ".bunfig.toml",
  ".yarnrc",
  ".yarnrc.yml",
  ".yarn/plugins",
  ".yarn/releases",
  ".pnpmfile.cjs",
  ".pnpmfile.mjs",
  "pnpm-workspace.yaml",
  ".husky",
  ".githooks",
  ".git/config",
  ".git/config.worktree",
  ".git/commondir",
  ".git/hooks",
  ".git/info",
  ".git/modules",
  ".git/worktrees",
  ".git/objects/info/alternates",
  ".git/objects/info/http-alternates",
  ".git/remotes",
  ".git/branches",
  ".git/rebase-merge",
  ".git/rebase-apply",
  ".git/sequencer",
];

/** The entries of {@link SANDBOX_CONTROL_NAMES} that are directories. */
export const SANDBOX_CONTROL_DIRS: ReadonlySet<string> = new Set([
  ".opencode",
  ".yarn/plugins",
  ".yarn/releases",
  ".husky",
  ".githooks",
  ".git/hooks",
  ".git/info",
  ".git/modules",
  ".git/worktrees",
  ".git/remotes",
  ".git/branches",
  ".git/rebase-merge",
  ".git/rebase-apply",
  ".git/sequencer",
]);

/** All globs as one regular expression (one pass instead of one per glob). */
function compile(nocase: boolean): RegExp {
  const sources = CONTROL_FILE_GLOBS.map((g) => picomatch.makeRe(g, { dot: true, windows: false }).source);
  return new RegExp(sources.map((src) => `(?:${src})`).join("|"), nocase ? "i" : "");
}
const exact = compile(false);
const nocase = compile(true);

/**
 * True when `relativePath` (relative to the project or any directory; `/`-separated; an absolute path
 * without its leading `/` works too) names a control path at any depth. `caseInsensitive` for
 * case-insensitive filesystems, where `.GIT/Config` is `.git/config`.
 */
export function isControlPath(relativePath: string, options: { caseInsensitive?: boolean } = {}): boolean {
  // Any-depth globs: leading `/`, `./` and `../` segments change nothing about what the path names.
  const p = posix
    .normalize(relativePath)
    .replace(/^(?:\.{1,2}\/|\/)+/, "")
    .replace(/\/+$/, "");
  if (p === "" || p === "." || p === "..") return false;
  return (options.caseInsensitive ? nocase : exact).test(p);
}
