import { deny } from "../../decision.js";
import type { Access } from "../../paths.js";
import type { ShellAnalyzer } from "../analyzer.js";
import { type Arg, hasFlag } from "../arg.js";
import { analyzeGitConfig } from "../options/git-config.js";
import { analyzeGitOptions } from "../options/git-options.js";
import { checkGitRoutes } from "../options/git-routes.js";
import { fork, type ShellState } from "../state.js";

const READ_ONLY = new Set([
  "log",
  "status",
  "diff",
  "show",
  "blame",
  "annotate",
  "rev-parse",
  "ls-files",
  "ls-tree",
  "cat-file",
  "grep",
  "shortlog",
  "describe",
  "rev-list",
  "merge-base",
  "name-rev",
  "show-ref",
  "for-each-ref",
  "whatchanged",
  "count-objects",
  "diff-tree",
  "diff-files",
  "diff-index",
  "var",
  "check-ignore",
  "check-attr",
  "help",
  "version",
  "cherry",
  "show-branch",
  "verify-commit",
  "verify-tag",
  "range-diff",
]);
const WRITERS = new Set([
  "add",
  "am",
  "apply",
  "archive",
  "branch",
  "checkout",
  "cherry-pick",
  "clean",
  "commit",
  "format-patch",
  "gc",
  "merge",
  "mv",
  "notes",
  "rebase",
  "reset",
  "restore",
  "revert",
  "rm",
  "sparse-checkout",
  "stash",
  "switch",
  "tag",
  "worktree",
  "reflog",
  "fsck",
  "prune",
  "repack",
  "hash-object",
  "update-index",
  "write-tree",
  "commit-tree",
  "read-tree",
  "update-ref",
  "symbolic-ref",
  "merge-file",
  "merge-tree",
  "bisect",
  "config",
  "remote",
  "init",
  "mktag",
  "mktree",
  "pack-refs",
  "maintenance",
]);
const NETWORK = new Set([
  "push",
  "fetch",
  "pull",
  "clone",
  "ls-remote",
  "submodule",
  "send-email",
  "request-pull",
  "fetch-pack",
  "send-pack",
]);
const RUNS_PROGRAMS = new Set([
  "filter-branch",
  "filter-repo",
  "difftool",
  "mergetool",
  "daemon",
  "instaweb",
  "credential",
  "credential-store",
  "credential-cache",
  "web--browse",
  "citool",
  "gui",
  "gitk",
  "shell",
  "upload-pack",
  "receive-pack",
]);
const MESSAGE_FLAGS = new Set([
  "-m",
  "--message",
  "--author",
  "--date",
  "--format",
  "--pretty",
  "-b",
  "-B",
  "--branch",
  "--grep",
  "-S",
  "-G",
  "--since",
  "--until",
  "--after",
  "--before",
  "-n",
  "--max-count",
  "-U",
  "--unified",
  "--abbrev",
]);
function staticValue(a: Arg | undefined): string | undefined {
  return a && a.v.kind === "static" ? a.v.value : undefined;
}

/** Check a `git …` command. */
export function analyzeGit(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const fs = an.env.policy.filesystem;
  if (fs === "none") deny("shell.no-file-command", "`git` touches files.", "commands that touch no file");
  let i = 0;
  let state = s;
  const outside = (flag: string, a: Arg | undefined): void => {
    if (a?.v.kind !== "static") {
      deny("git.outside-project", `\`git ${flag}\` needs a literal path.`, "a path inside the project");
    }
    let raw = a.v.value;
    if (a.v.tilde) raw = an.env.paths.expandHome(raw, false);
    const abs = an.env.paths.absolute(
      raw,
      state.cwds[0] ?? an.env.paths.cwd,
      `The \`git ${flag}\` path`,
      false,
    );
    if (!an.env.paths.readable(abs)) {
      deny(
        "git.outside-project",
        `\`git ${flag} ${a.v.value}\` points outside the allowed paths (${abs}).`,
        an.env.paths.allowedSummary,
      );
    }
    return void abs;
  };
  // Global options.
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = staticValue(a);
    if (v === undefined)
      deny("shell.dynamic-command", "The git subcommand is built at run time.", "a literal subcommand");
    if (!v.startsWith("-")) break;
    if (v === "-c" || v.startsWith("-c") || v.startsWith("--config-env") || v.startsWith("--exec-path")) {
      deny(
        "git.config-override",
        `\`git ${v}\` overrides configuration or the program path.`,
        "git without -c/--config-env/--exec-path",
      );
    }
    if (v === "-C") {
      outside("-C", args[i + 1]);
      const dir = staticValue(args[i + 1]) as string;
      state = fork(state);
      state.cwds = state.cwds.map((c) => an.env.paths.absolute(dir, c, "The `git -C` path", false));
      i++;
      continue;
    }
    if (v === "--git-dir" || v === "--work-tree" || v === "--namespace" || v === "--super-prefix") {
      if (v !== "--namespace") outside(v, args[i + 1]);
      i++;
      continue;
    }
    if (v.startsWith("--git-dir=") || v.startsWith("--work-tree=")) {
      const eq = v.indexOf("=");
      outside(v.slice(0, eq), { ...a, v: { ...a.v, value: v.slice(eq + 1), tilde: false } });
      continue;
    }
    if (
      /^(--no-pager|-P|-p|--paginate|--bare|--no-replace-objects|--literal-pathspecs|--glob-pathspecs|--noglob-pathspecs|--icase-pathspecs|--no-optional-locks|--no-advice|--version|--help|-h|--namespace=.*)$/.test(
        v,
      )
    ) {
      continue;
    }
    deny(
      "git.unsafe-subcommand",
      `The git option \`${v}\` is not supported by the validator.`,
      "git with -C, --no-pager or -P before the subcommand",
    );
  }
  const subArg = args[i];
  if (!subArg) return; // `git --version` and the like
  const sub = subArg.v.value;
  const rest = args.slice(i + 1);
  const values = rest.map((a) => (a.v.kind === "static" ? a.v.value : ""));
  const has = (...flags: string[]): boolean => values.some((v) => hasFlag(v, flags));
  checkGitRoutes(an, args.slice(0, i), sub, rest, state);

  if (RUNS_PROGRAMS.has(sub)) {
    deny(
      "git.unsafe-subcommand",
      `\`git ${sub}\` runs other programs.`,
      "plain git subcommands such as status, diff, log, add, commit",
    );
  }
  if (sub === "bisect" && values[0] === "run")
    deny("git.unsafe-subcommand", "`git bisect run` runs a command.", "`git bisect good/bad`");
  if (sub === "rebase" && (has("-x", "--exec") || values.some((v) => v.startsWith("--ex")))) {
    deny("git.unsafe-subcommand", "`git rebase --exec` runs a command.", "`git rebase` without --exec");
  }
  if (has("--upload-pack", "--receive-pack", "-u") && NETWORK.has(sub) && sub !== "push") {
    deny(
      "git.unsafe-subcommand",
      `\`git ${sub} --upload-pack\` runs a program.`,
      `\`git ${sub}\` without --upload-pack`,
    );
  }
  if (sub === "push" && has("--receive-pack", "--exec")) {
    deny(
      "git.unsafe-subcommand",
      "`git push --receive-pack` runs a program.",
      "`git push` without --receive-pack",
    );
  }
  if (sub === "grep" && (has("-O", "--open-files-in-pager") || values.some((v) => v.startsWith("--open")))) {
    deny("git.unsafe-subcommand", "`git grep -O` runs a pager program.", "`git grep` without -O");
  }
  if (sub === "config") {
    analyzeGitConfig(an, rest, state);
    return;
  }
  analyzeGitOptions(an, sub, rest, state);
  if (sub === "init")
    deny(
      "git.config-write",
      "`git init` writes `.git/config` and `.git/hooks`.",
      "work in the existing repository",
    );
  if (sub === "remote" && values.length > 0 && !/^(-v|--verbose|show|get-url)$/.test(values[0] ?? "")) {
    deny("git.config-write", `\`git remote ${values[0]}\` writes \`.git/config\`.`, "`git remote -v`");
  }
  if (NETWORK.has(sub)) {
    an.remoteOperation(`\`git ${sub}\``);
    if (sub === "push") {
      for (const v of values) if (v.startsWith("+")) an.checkImpliedFlag("git", "--force", v);
    }
  }
  const readOnly = isReadOnly(sub, values);
  if (fs === "read") {
    if (!readOnly) {
      deny(
        "shell.not-read-only",
        `\`git ${sub}${values.length ? " …" : ""}\` is not a read-only git command.`,
        "git log, status, diff, show, blame, rev-parse, ls-files, grep, `branch` with no arguments…",
      );
    }
    if (has("--output") || values.some((v) => v.startsWith("--output") || v.startsWith("--out"))) {
      deny(
        "filesystem.read-only",
        `\`git ${sub} --output\` writes a file.`,
        `\`git ${sub}\` without --output`,
      );
    }
  }
  if (!READ_ONLY.has(sub) && !WRITERS.has(sub) && !NETWORK.has(sub) && !readOnly) {
    deny(
      "git.unsafe-subcommand",
      `\`git ${sub}\` is not a known git command (it may be an alias or an external \`git-${sub}\` program).`,
      "a built-in git subcommand",
    );
  }
  // Operands: paths, `<rev>:<path>`, refs. Refs resolve inside the project and pass.
  const access: Access = readOnly ? "read" : "write";
  let afterDashes = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k] as Arg;
    const v = a.v.value;
    if (!afterDashes && v === "--") {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && a.v.kind !== "dynamic" && v.startsWith("-")) {
      if (MESSAGE_FLAGS.has(v)) k++;
      else if (v === "-F" || v === "--file") {
        const f = rest[k + 1];
        if (f) an.touch(f.v, "read", state, "The message file");
        k++;
      } else if (v.startsWith("--output=") || v === "-o" || v === "--output") {
        const f = v.startsWith("--output=") ? { ...a.v, value: v.slice(9), tilde: false } : rest[k + 1]?.v;
        if (f) an.touch(f, "write", state, "The git output file");
        if (!v.startsWith("--output=")) k++;
      }
      continue;
    }
    if (sub === "push" || sub === "fetch" || sub === "pull" || sub === "clone" || sub === "ls-remote") {
      if (sub === "clone" && k === rest.length - 1 && rest.length > 1)
        an.touch(a.v, "write", state, "The clone target");
      continue;
    }
    const colon = a.v.kind === "static" && !afterDashes ? v.indexOf(":") : -1;
    if (colon > 0 && !v.startsWith(":/")) {
      an.touch(
        { ...a.v, value: v.slice(colon + 1) || ".", tilde: false },
        "read",
        state,
        "The `<rev>:<path>` path",
      );
      continue;
    }
    an.touch(a.v, access, state, `The operand of \`git ${sub}\``);
  }
}

function isReadOnly(sub: string, values: readonly string[]): boolean {
  if (READ_ONLY.has(sub)) return true;
  const flagsOnly = (allowed: RegExp): boolean => values.every((v) => allowed.test(v));
  switch (sub) {
    case "branch":
      return flagsOnly(
        /^(-a|-r|-v|-vv|-l|--list|--all|--remotes|--verbose|--show-current|--no-color|--color(=.*)?|--sort=.*|--format=.*|--merged|--no-merged|--contains)$/,
      );
    case "tag":
      return values.length === 0 || values[0] === "-l" || values[0] === "--list";
    case "remote":
      return values.length === 0 || /^(-v|--verbose|show|get-url)$/.test(values[0] ?? "");
    case "stash":
      return values[0] === "list" || values[0] === "show";
    case "reflog":
      return values.length === 0 || values[0] === "show";
    case "worktree":
      return values[0] === "list";
    default:
      return false;
  }
}
