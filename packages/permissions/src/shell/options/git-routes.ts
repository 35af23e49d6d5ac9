import { statSync } from "node:fs";
import { posix } from "node:path";
import { deny } from "../../decision.js";
import type { Access } from "../../paths.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { isRestricted } from "./apply.js";
import { checkPathspecs, repositoryTop } from "./git-pathspec.js";

/**
 * Options that make a git subcommand run a program (git-archive(1), git-fetch(1), git-clone(1),
 * git-ls-remote(1), git-push(1), git-rebase(1), git-help(1), git 2.39.5): long names without `--`
 * (any unambiguous prefix counts, as git's parse-options reads them) and short letters.
 */
const RUNS: Readonly<Record<string, { long: readonly string[]; short: string }>> = {
  archive: { long: ["exec", "remote"], short: "" },
  fetch: { long: ["upload-pack"], short: "" },
  pull: { long: ["upload-pack"], short: "" },
  clone: { long: ["upload-pack", "template", "config"], short: "uc" },
  "ls-remote": { long: ["upload-pack"], short: "u" },
  "fetch-pack": { long: ["upload-pack", "exec"], short: "" },
  "send-pack": { long: ["receive-pack", "exec"], short: "" },
  rebase: { long: ["exec"], short: "x" },
  help: { long: ["web"], short: "w" },
};
/** Subcommands whose first operand runs a program, or that run programs from their options. */
const RUNS_OPERAND: Readonly<Record<string, readonly string[]>> = {
  submodule: ["foreach"],
  bisect: ["run"],
  maintenance: ["start", "register", "unregister", "stop"],
};
/** Merge strategies built into git; any other `-s x` runs a `git-merge-x` program found on PATH. */
const STRATEGIES = new Set(["ort", "recursive", "resolve", "octopus", "ours", "subtree"]);
const MERGING = new Set(["merge", "pull", "rebase", "cherry-pick", "revert"]);

/**
 * Options whose `=value` is never a path (messages, formats, dates, patterns, counts). Every other
 * `--name=value` of any git subcommand has its value checked as a path it reads: a missing table row
 * then costs a needless check, never a bypass (`git blame --contents=.env`).
 */
const NOT_PATHS = new Set(
  (
    "message author committer format pretty date since until after before grep author-date-is-committer-date " +
    "abbrev color color-moved color-words word-diff word-diff-regex decorate decorate-refs decorate-refs-exclude " +
    "sort encoding max-count skip min-parents max-parents diff-filter diff-algorithm unified inter-hunk-context " +
    "stat stat-width stat-name-width stat-graph-width stat-count find-renames find-copies break-rewrites " +
    "relative src-prefix dst-prefix line-prefix submodule ignore-submodules dirstat cumulative depth deepen " +
    "shallow-since shallow-exclude jobs origin branch reference-if-able filter strategy strategy-option " +
    "cleanup fixup squash reuse-message reedit-message trailer gpg-sign untracked-files conflict chmod " +
    "recurse-submodules force-with-lease signed push-option repo prefix format-version mode type track " +
    "set-upstream-to points-at contains no-contains merged no-merged column expire expire-unreachable " +
    "onto keep-base rebase-merges empty whitespace exclude include directory notes show-notes " +
    "ignore-space-change progress porcelain null z abbrev-commit oneline graph first-parent all " +
    "remotes tags list verbose quiet dry-run name-status name-only show-signature patience histogram " +
    "subject-prefix to cc in-reply-to suffix start-number base rfc numbered interdiff range-diff creation-factor " +
    "thread keep-subject signature into-name description-file cover-from-description"
  ).split(" "),
);
/**
 * Long options whose value is a file or directory git writes: `--output` (archive, format-patch and
 * every diff/log command), `--output-directory` (format-patch, bugreport, diagnose). Any prefix
 * counts (parse-options subcommands accept unambiguous abbreviations: `git archive --outp=x`).
 */
const WRITES_PATH = ["output", "output-directory"];
/**
 * Short options whose value is a path, by subcommand (git 2.39.5, `git <sub> -h`): `-o` writes
 * (archive's file, format-patch's directory), the rest are files git reads. The value may be
 * attached (`-o.opencode`), follow a bundle (`-no.opencode` is `-n -o .opencode`) or be the next
 * argument.
 */
const SHORT_PATHS: Readonly<Record<string, Readonly<Record<string, Access>>>> = {
  archive: { o: "write" },
  "format-patch": { o: "write" },
  bugreport: { o: "write" },
  diagnose: { o: "write" },
  "ls-files": { X: "read" },
  grep: { f: "read" },
  blame: { S: "read" },
  annotate: { S: "read" },
  diff: { O: "read" },
  log: { O: "read" },
  show: { O: "read" },
  whatchanged: { O: "read" },
  "diff-tree": { O: "read" },
  "diff-index": { O: "read" },
  "diff-files": { O: "read" },
  tag: { F: "read" },
  merge: { F: "read" },
  notes: { F: "read" },
  "fmt-merge-msg": { F: "read" },
};
/** Read file lists or index entries from standard input or a file the validator does not read. */
const LIST_OPTIONS = ["pathspec-from-file", "stdin-paths", "index-info"];
const STDIN_LISTS = new Set(["update-index", "checkout-index", "hash-object"]);

function deniedRun(sub: string, spelled: string): never {
  return deny(
    "git.unsafe-subcommand",
    `\`git ${sub} ${spelled}\` makes git run a program (or load one from a template or config).`,
    `\`git ${sub}\` without ${spelled}; run the other program as its own command`,
  );
}

function longName(v: string): string {
  const eq = v.indexOf("=");
  return v.slice(2, eq === -1 ? undefined : eq);
}

/** A long option as written (`--upl`) could be one of `names` (an exact name or a prefix of one). */
function couldBe(name: string, names: readonly string[]): string | undefined {
  if (name === "" || name.startsWith("no-")) return undefined;
  return names.find((n) => n === name || n.startsWith(name));
}

/** A directory laid out as a git directory (HEAD, objects/, refs/): git uses it as a bare repository. */
function isGitDirLayout(dir: string): boolean {
  const kind = (p: string) => statSync(posix.join(dir, p), { throwIfNoEntry: false });
  return Boolean(kind("HEAD")?.isFile() && kind("objects")?.isDirectory() && kind("refs")?.isDirectory());
}

function checkRepository(an: ShellAnalyzer, globals: readonly Arg[], s: ShellState): void {
  const paths = an.env.paths;
  const top = repositoryTop(paths.cwd);
  const gitDir = posix.join(top, ".git");
  const restricted = isRestricted(an.env);
  for (let i = 0; i < globals.length; i++) {
    const v = globals[i]?.v.value ?? "";
    const m = /^--(git-dir|work-tree)(?:=(.*))?$/.exec(v);
    if (!m) continue;
    const value = m[2] ?? globals[++i]?.v.value ?? "";
    if (!restricted) continue;
    const abs = posix.normalize(posix.isAbsolute(value) ? value : posix.join(s.cwds[0] ?? paths.cwd, value));
    const expected = m[1] === "git-dir" ? gitDir : top;
    if (abs.replace(/\/+$/, "") !== expected) {
      deny(
        "git.foreign-repository",
        `\`git --${m[1]} ${value}\` points git at ${abs}, not the project's own ${expected}: a git directory a worker wrote can carry a config that runs programs (core.fsmonitor).`,
        "git without --git-dir/--work-tree, run in the project",
      );
    }
  }
  // Discovery: git treats a directory with HEAD, objects/ and refs/ as a (bare) repository, from
  // the working directory (`-C dir`, `cd dir`) up to the project's top.
  for (const cwd of s.cwds) {
    for (let d = cwd; d !== top && d !== "/" && `${d}/`.startsWith(`${top}/`); d = posix.dirname(d)) {
      if (d === gitDir || d.startsWith(`${gitDir}/`)) break;
      if (isGitDirLayout(d)) {
        deny(
          "git.foreign-repository",
          `git run in ${cwd} would use ${d} as its repository (it holds HEAD, objects/ and refs/), not the project's own ${gitDir}; its config could run programs.`,
          "git run from the project, outside directories laid out as git directories",
        );
      }
    }
  }
}

function sandboxOnly(an: ShellAnalyzer, what: string, why: string): void {
  if (!isRestricted(an.env) || an.env.policy.execution === "sandboxed") return;
  deny(
    "git.sandbox-only",
    `${what} ${why}, which the validator cannot see; outside the sandbox it could write control files (.opencode/plugin, opencode.json).`,
    "the edit/write/apply_patch tools (every path is checked), or a profile with `execution: sandboxed`",
  );
}

/** Operands of a git subcommand: arguments that are not options (everything after `--`). */
function operandsOf(rest: readonly Arg[], valueShorts = ""): Arg[] {
  const out: Arg[] = [];
  let end = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k] as Arg;
    const v = a.v.value;
    if (!end && v === "--") end = true;
    else if (!end && a.v.kind !== "dynamic" && v.startsWith("-") && v !== "-") {
      if (v.length === 2 && valueShorts.includes(v[1] as string)) k++;
    } else out.push(a);
  }
  return out;
}

function checkIndexRoutes(an: ShellAnalyzer, sub: string, rest: readonly Arg[], s: ShellState): void {
  const values = rest.map((a) => a.v.value);
  const flag = (...names: string[]) =>
    values.some((v) => names.some((n) => (n.startsWith("--") ? v === n || v.startsWith(`${n}=`) : v === n)));
  const shortIn = (letters: string) =>
    values.some((v) => /^-[^-]/.test(v) && [...letters].some((c) => v.slice(1).includes(c)));
  switch (sub) {
    case "add":
      checkPathspecs(
        an,
        operandsOf(rest),
        {
          what: "`git add`",
          access: "read",
          wholeTree: flag("--all", "--no-ignore-removal") || shortIn("A"),
        },
        s,
      );
      return;
    case "stash": {
      const action = values[0] !== undefined && !values[0].startsWith("-") ? values[0] : "push";
      if (!(action === "push" || action === "save")) return;
      if (!(flag("--include-untracked", "--all") || shortIn("ua"))) return;
      const operands = action === "push" ? operandsOf(rest.slice(values[0] === "push" ? 1 : 0), "m") : [];
      checkPathspecs(an, operands, { what: "`git stash -u`", access: "read", wholeTree: true }, s);
      return;
    }
    case "checkout":
    case "restore":
    case "reset": {
      const dashes = values.indexOf("--");
      const specs = dashes === -1 ? (sub === "restore" ? operandsOf(rest, "s") : []) : rest.slice(dashes + 1);
      checkPathspecs(an, specs, { what: `\`git ${sub}\``, access: "write", wholeTree: false }, s);
      return;
    }
    case "update-index":
      for (let k = 0; k < rest.length; k++) {
        const v = values[k] ?? "";
        if (v !== "--cacheinfo") continue;
        const next = values[k + 1] ?? "";
        const path = next.includes(",") ? next.split(",").slice(2).join(",") : values[k + 3];
        if (path !== undefined)
          an.touch(
            { ...(rest[k + 1] as Arg).v, value: path, tilde: false },
            "write",
            s,
            "The `--cacheinfo` path",
          );
        sandboxOnly(
          an,
          "`git update-index --cacheinfo`",
          "puts an entry into the index that `git checkout`/`reset --hard` then writes",
        );
      }
      return;
    case "hash-object":
      if (
        flag("--literally") ||
        values.some(
          (v, k) =>
            (v === "-t" && values[k + 1] !== "blob") ||
            (/^-t./.test(v) && v !== "-tblob") ||
            (v.startsWith("--type") && v !== "--type=blob"),
        )
      ) {
        sandboxOnly(
          an,
          `\`git hash-object ${values.join(" ")}\``,
          "writes a tree or commit object built from a file's bytes",
        );
      }
      return;
    case "read-tree":
    case "mktree":
    case "commit-tree":
      sandboxOnly(an, `\`git ${sub}\``, "builds the index or a tree from objects whose paths are");
      return;
    case "apply":
      if (values.some((v) => /^--(check|stat|numstat|summary)$/.test(v)) && !flag("--apply")) return;
      sandboxOnly(an, "`git apply`", "writes the paths its patch names");
      return;
    case "am":
      sandboxOnly(an, "`git am`", "writes the paths its mailbox's patches name");
      return;
  }
}

/**
 * The git routes past the path rules and around the program rules that the subcommand tables do not
 * cover (issue 11 review): program-running options of every subcommand (any prefix), `--git-dir` /
 * `--work-tree` / planted git directories, path-valued `--option=value` forms, stdin file lists, git's
 * own pathspec globs, and the commands that write the index or work tree from data the validator
 * cannot see (sandbox only). `globals` are the options before the subcommand; `s` is the state after
 * `git -C`.
 */
export function checkGitRoutes(
  an: ShellAnalyzer,
  globals: readonly Arg[],
  sub: string,
  rest: readonly Arg[],
  s: ShellState,
): void {
  checkRepository(an, globals, s);
  const values = rest.map((a) => (a.v.kind === "static" ? a.v.value : ""));
  if (sub === "send-email") deniedRun(sub, "(its --sendmail-cmd, --smtp-server, --to-cmd and config)");
  const operand = RUNS_OPERAND[sub];
  const first = values.find((v) => !v.startsWith("-"));
  if (operand && first !== undefined && operand.includes(first)) deniedRun(sub, first);
  const runs = RUNS[sub];
  const restricted = isRestricted(an.env);
  const shortPaths = Object.hasOwn(SHORT_PATHS, sub) ? (SHORT_PATHS[sub] ?? {}) : {};
  let end = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k] as Arg;
    const v = values[k] ?? "";
    if (end || a.v.kind === "dynamic" || !v.startsWith("-") || v === "-") continue;
    if (v === "--") {
      end = true;
      continue;
    }
    if (v.startsWith("--")) {
      const name = longName(v);
      const hit = runs ? couldBe(name, runs.long) : undefined;
      if (hit !== undefined) deniedRun(sub, `--${hit}`);
      if (restricted && (couldBe(name, LIST_OPTIONS) || (STDIN_LISTS.has(sub) && name === "stdin"))) {
        deny(
          "paths.unresolvable",
          `\`git ${sub} ${v}\` reads the paths to act on from a file or standard input, which the validator does not see.`,
          "the paths named on the command line",
        );
      }
      if (MERGING.has(sub) && couldBe(name, ["strategy"]) === "strategy") {
        const value = v.includes("=") ? v.slice(v.indexOf("=") + 1) : (values[k + 1] ?? "");
        if (!STRATEGIES.has(value)) deniedRun(sub, `--strategy=${value}`);
      }
      if (MERGING.has(sub) && couldBe(name, ["strategy-option"]) === "strategy-option") {
        const value = v.includes("=") ? v.slice(v.indexOf("=") + 1) : (values[k + 1] ?? "");
        if (value.startsWith("subtree"))
          sandboxOnly(an, `\`git ${sub} -X ${value}\``, "moves merged files under a directory it names");
      }
      const eq = v.indexOf("=");
      if (eq !== -1 && !NOT_PATHS.has(name) && v.length > eq + 1) {
        const access: Access = couldBe(name, WRITES_PATH) !== undefined ? "write" : "read";
        an.touch(
          { ...a.v, value: v.slice(eq + 1), tilde: v[eq + 1] === "~" },
          access,
          s,
          `The value of \`git ${sub} --${name}\``,
        );
      }
      continue;
    }
    const letters = v.slice(1);
    for (const c of runs?.short ?? "") if (letters.includes(c)) deniedRun(sub, `-${c}`);
    if (MERGING.has(sub) && (letters[0] === "s" || letters[0] === "X")) {
      const value = letters.length > 1 ? letters.slice(1) : (values[k + 1] ?? "");
      if (letters[0] === "s" && !STRATEGIES.has(value)) deniedRun(sub, `-s ${value}`);
      if (letters[0] === "X" && value.startsWith("subtree"))
        sandboxOnly(an, `\`git ${sub} -X ${value}\``, "moves merged files under a directory it names");
    }
    // Every place a path letter could start its value: which letters before it take a value is
    // left open, so each reading is checked (`-vo.x` is `-v o.x` to format-patch, `-no.x` is `-n -o .x`).
    for (let j = 0; j < letters.length; j++) {
      const c = letters[j] as string;
      const access = Object.hasOwn(shortPaths, c) ? shortPaths[c] : undefined;
      if (access === undefined) continue;
      const attached = letters.slice(j + 1);
      const value =
        attached !== ""
          ? { ...a.v, value: attached, tilde: attached.startsWith("~"), home: false }
          : rest[k + 1]?.v;
      if (value) an.touch(value, access, s, `The value of \`git ${sub} -${c}\``);
    }
  }
  checkIndexRoutes(an, sub, rest, s);
}
