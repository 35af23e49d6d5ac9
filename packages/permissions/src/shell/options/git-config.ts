import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/**
 * Source: `git config -h` (git 2.39.5) and git-config(1) of git 2.46+, which adds the `list`, `get`,
 * `set`, `unset`, `rename-section`, `remove-section` and `edit` subcommands and their options.
 */
const GIT_CONFIG = optionTable("git config", "git 2.39.5 `git config -h`, git-config(1) of git 2.46", "git", {
  "--global": "",
  "--system": "",
  "--local": "",
  "--worktree": "",
  "-f --file": "=FILE read",
  "--blob": "=BLOB-ID",
  "--get": "",
  "--get-all": "",
  "--get-regexp": "",
  "--get-urlmatch": "",
  "--replace-all": "",
  "--add": "",
  "--unset": "",
  "--unset-all": "",
  "--rename-section": "",
  "--remove-section": "",
  "-l --list": "",
  "--fixed-value": "",
  "-e --edit": "runs",
  "--get-color": "",
  "--get-colorbool": "",
  "-t --type": "=TYPE",
  "--bool": "",
  "--int": "",
  "--bool-or-int": "",
  "--bool-or-str": "",
  "--path": "",
  "--expiry-date": "",
  "-z --null": "",
  "--name-only": "",
  "--includes": "",
  "--show-origin": "",
  "--show-scope": "",
  "--default": "=VALUE",
  "--all": "",
  "--regexp": "",
  "--value": "=PATTERN",
  "--url": "=URL",
  "--append": "",
  "--comment": "=MESSAGE",
});

/**
 * Keys whose value makes git run a program, or take configuration, hooks, a work tree or file
 * contents from elsewhere (compared lower-case). From git-config(1); DECISIONS names the first ones.
 */
const PROGRAM_KEYS = [
  /^alias\./,
  /^core\.(pager|sshcommand|hookspath|editor|fsmonitor|askpass|gitproxy|alternaterefscommand|worktree|excludesfile|attributesfile)$/,
  /^diff\.external$/,
  /\.textconv$/,
  /\.driver$/,
  /\.command$/,
  /\.cmd$/,
  /^filter\./,
  /^credential\./,
  /^gpg\./,
  /^sequence\.editor$/,
  /^pager\./,
  /^include\./,
  /^includeif\./,
  /^uploadpack\./,
  /\.uploadpack$/,
  /\.receivepack$/,
  /\.vcs$/,
  /\.proxy$/,
  /^receive\./,
  /\.helper$/,
  /^browser\./,
  /^web\.browser$/,
  /^help\./,
  /^man\./,
  /^instaweb\./,
  /^interactive\.difffilter$/,
  /^submodule\..*\.update$/,
  /^protocol\./,
  /^url\./,
  /^sendemail\./,
  /^commit\.template$/,
  /^mailmap\./,
  /^blame\.ignorerevsfile$/,
  /^init\.templatedir$/,
];

const SUBCOMMANDS = new Set(["list", "get", "set", "unset", "rename-section", "remove-section", "edit"]);
const READ_ACTIONS = [
  "--get",
  "--get-all",
  "--get-regexp",
  "--get-urlmatch",
  "--list",
  "--get-color",
  "--get-colorbool",
];

/** True when writing `key` could make git run a program or read from elsewhere. */
function isProgramKey(key: string): boolean {
  const k = key.toLowerCase();
  return PROGRAM_KEYS.some((re) => re.test(k));
}

/**
 * Check `git config` the way git reads its argv: `git config [<file-option>] <name> [<value>]`
 * (one operand reads, two or more write), the action options (`--get`, `--list`, `--add`,
 * `--replace-all`, `--unset`…), and git 2.46's `list`/`get`/`set`/`unset` subcommands. Any write is
 * denied under `filesystem: read`, to another file, or to a key that runs a program.
 */
export function analyzeGitConfig(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const parsed = parseArgs(GIT_CONFIG, args);
  applyTable(an, GIT_CONFIG, parsed, s);
  const has = (name: string): boolean =>
    parsed.options.some((o) => !o.negated && o.spec.names.includes(name));
  let operands = parsed.operands.map((a) => a.v);
  const first = operands[0];
  let action: string;
  if (first !== undefined && first.kind === "static" && SUBCOMMANDS.has(first.value)) {
    action = first.value;
    operands = operands.slice(1);
  } else {
    const chosen = parsed.options.find(
      (o) =>
        !o.negated && /^--(get|list|replace-all|add|unset|rename|remove)/.test(o.spec.names.at(-1) ?? ""),
    );
    action = chosen ? (chosen.spec.names.at(-1) ?? "") : operands.length <= 1 ? "get" : "set";
  }
  if (action === "list" || action === "get" || READ_ACTIONS.includes(action)) return;
  const shown = `git config ${args.map((a) => a.v.value).join(" ")}`;
  if (an.env.policy.filesystem !== "full") {
    deny(
      "filesystem.read-only",
      `\`${shown}\` writes configuration.`,
      "`git config --get <key>`, `git config get <key>` or `git config --list`",
    );
  }
  if (has("--global") || has("--system") || has("--file") || has("--blob") || has("--worktree")) {
    deny(
      "git.config-write",
      "`git config --global/--system/--worktree/--file` writes configuration outside the repository's own file.",
      "`git config <key> <value>` in the repository for a key that runs no program",
    );
  }
  if (action === "--rename-section" || action === "rename-section") {
    deny(
      "git.config-write",
      "`git config --rename-section` can turn a section into one that runs programs.",
      "`git config <key> <value>` for each key",
    );
  }
  if (action === "edit")
    deny("shell.inline-code", "`git config edit` runs an editor.", "`git config <key> <value>`");
  const key = operands[0];
  if (key === undefined || key.kind !== "static") {
    deny("git.config-write", "The `git config` key is missing or built at run time.", "a literal key");
  }
  if (isProgramKey(key.value)) {
    deny(
      "git.config-write",
      `\`${shown}\` writes \`${key.value}\`, a key that makes git run a program or read from elsewhere.`,
      "keys such as user.name, user.email, core.autocrlf",
    );
  }
}
