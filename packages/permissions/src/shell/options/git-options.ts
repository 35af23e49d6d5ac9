import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { type ParsedArgs, parseArgs } from "./getopt.js";
import { type OptionTable, optionTable } from "./table.js";

/**
 * Source: `git commit -h` (git 2.39.5) plus the options git-commit(1) documents that `-h` hides
 * (`--allow-empty`, `--allow-empty-message`). Every long option also has its `--no-` form.
 */
const GIT_COMMIT = optionTable("git commit", "git 2.39.5, `git commit -h` and git-commit(1)", "git", {
  "-q --quiet": "",
  "-v --verbose": "",
  "-F --file": "=FILE read",
  "--author": "=AUTHOR",
  "--date": "=DATE",
  "-m --message": "=MESSAGE",
  "-c --reedit-message": "=COMMIT",
  "-C --reuse-message": "=COMMIT",
  "--fixup": "[=COMMIT]",
  "--squash": "=COMMIT",
  "--reset-author": "",
  "--trailer": "=TRAILER",
  "-s --signoff": "",
  "-t --template": "=FILE read",
  "-e --edit": "",
  "--cleanup": "=MODE",
  "--status": "",
  "-S --gpg-sign": "[=KEYID]",
  "-a --all": "",
  "-i --include": "",
  "--interactive": "",
  "-p --patch": "",
  "-o --only": "",
  "-n --no-verify": "",
  "--dry-run": "",
  "--short": "",
  "--branch": "",
  "--ahead-behind": "",
  "--porcelain": "",
  "--long": "",
  "-z --null": "",
  "--amend": "",
  "--no-post-rewrite": "",
  "-u --untracked-files": "[=MODE]",
  "--pathspec-from-file": "=FILE read",
  "--pathspec-file-nul": "",
  "--allow-empty": "",
  "--allow-empty-message": "",
});

/** Source: `git push -h` (git 2.39.5) and git-push(1) (`--branches` from git 2.46). */
const GIT_PUSH = optionTable("git push", "git 2.39.5, `git push -h` and git-push(1)", "git", {
  "-v --verbose": "",
  "-q --quiet": "",
  "--repo": "=REPOSITORY",
  "--all --branches": "",
  "--mirror": "",
  "-d --delete": "",
  "--tags": "",
  "-n --dry-run": "",
  "--porcelain": "",
  "-f --force": "",
  "--force-with-lease": "[=REFNAME:EXPECT]",
  "--force-if-includes": "",
  "--recurse-submodules": "=CHECK|ON-DEMAND|NO",
  "--thin": "",
  "--receive-pack --exec": "=RECEIVE-PACK runs",
  "-u --set-upstream": "",
  "--progress": "",
  "--prune": "",
  "--no-verify": "",
  "--follow-tags": "",
  "--signed": "[=YES|NO|IF-ASKED]",
  "--atomic": "",
  "-o --push-option": "=OPTION",
  "-4 --ipv4": "",
  "-6 --ipv6": "",
});

/**
 * Source: `git archive -h` (git 2.39.5) and git-archive(1). `-NUM` is the compression level; the
 * `-o` file is written, `--add-file` read; `--remote`/`--exec` run a program (also `git-routes.ts`).
 */
const GIT_ARCHIVE = optionTable("git archive", "git 2.39.5, `git archive -h` and git-archive(1)", "git", {
  "--format": "=FMT",
  "--prefix": "=PREFIX",
  "--add-file": "=FILE read",
  "--add-virtual-file": "=PATH:CONTENT",
  "-o --output": "=FILE write",
  "--worktree-attributes": "",
  "-v --verbose": "",
  "-0 -1 -2 -3 -4 -5 -6 -7 -8 -9": "",
  "-l --list": "",
  "--remote": "=REPO runs",
  "--exec": "=COMMAND runs",
});

/** Source: `git ls-files -h` (git 2.39.5) and git-ls-files(1). */
const GIT_LS_FILES = optionTable("git ls-files", "git 2.39.5, `git ls-files -h` and git-ls-files(1)", "git", {
  "-z": "",
  "-t": "",
  "-v": "",
  "-f": "",
  "-c --cached": "",
  "-d --deleted": "",
  "-m --modified": "",
  "-o --others": "",
  "-i --ignored": "",
  "-s --stage": "",
  "-k --killed": "",
  "--directory": "",
  "--eol": "",
  "--empty-directory": "",
  "-u --unmerged": "",
  "--resolve-undo": "",
  "-x --exclude": "=PATTERN",
  "-X --exclude-from": "=FILE read",
  // A file name read in every directory: read as a path (conservative).
  "--exclude-per-directory": "=FILE read",
  "--exclude-standard": "",
  "--full-name": "",
  "--recurse-submodules": "",
  "--error-unmatch": "",
  "--with-tree": "=TREE-ISH",
  "--abbrev": "[=N]",
  "--debug": "",
  "--deduplicate": "",
  "--sparse": "",
  "--format": "=FORMAT",
});

const TABLES: Readonly<Record<string, OptionTable>> = {
  commit: GIT_COMMIT,
  push: GIT_PUSH,
  archive: GIT_ARCHIVE,
  "ls-files": GIT_LS_FILES,
};

/**
 * Check a git subcommand's options by its table, if it has one: denied flags in any alias
 * (`git commit -n` is `--no-verify`, `git push -fu` holds `--force`), unknown options under a
 * restricted profile, and option values that name files. Returns the parsed arguments, or
 * undefined when the subcommand has no table.
 */
export function analyzeGitOptions(
  an: ShellAnalyzer,
  sub: string,
  args: readonly Arg[],
  s: ShellState,
): ParsedArgs | undefined {
  const table = Object.hasOwn(TABLES, sub) ? TABLES[sub] : undefined;
  if (!table) return undefined;
  const parsed = parseArgs(table, args);
  applyTable(an, table, parsed, s);
  return parsed;
}
