import picomatch from "picomatch";
import { deny } from "../decision.js";
import type { Access } from "../paths.js";
import type { ShellEnv } from "./analyzer.js";
import { type Arg, hasFlag } from "./arg.js";
import { type CommandSpec, HARMLESS_DEVICES } from "./commands.js";
import { deniedFlagIn } from "./flags.js";
import { checkGlobOperand } from "./glob-operand.js";
import type { ShellState } from "./state.js";
import type { WordValue } from "./words.js";

/**
 * The operand rules: paths a command touches, the generic handling of a command's arguments by its
 * `CommandSpec`, denied flags, and URL-less network operations.
 */

/** The spec of a command the validator does not know: it may write every operand. */
export const UNKNOWN: CommandSpec = { access: "write" };

/** Deny an argument that is, or could expand to, one of the shell tool's `deniedFlags`. */
export function checkDeniedFlags(env: ShellEnv, name: string, args: readonly Arg[]): void {
  const denied = env.deniedFlags;
  if (denied.length === 0) return;
  for (const a of args) {
    if (a.v.kind === "dynamic") {
      deny(
        "shell.runtime-arg",
        `\`${a.text}\` (an argument of \`${name}\`) is built at run time and could spell a denied flag.`,
        `literal arguments; denied flags: ${denied.join(", ")}`,
      );
    }
    if (a.v.kind === "glob" && /^[*?[{@!+-]/.test(a.v.value)) {
      deny(
        "shell.runtime-arg",
        `The pattern \`${a.text}\` could expand to a denied flag.`,
        `a pattern that starts with a literal character, e.g. \`./${a.v.value}\``,
      );
    }
    const hit = deniedFlagIn(a.v.value, denied);
    if (hit !== undefined) {
      deny(
        "shell.denied-flag",
        `\`${a.v.value}\` passed to \`${name}\` is read as the denied flag \`${hit}\`.`,
        `the command without ${denied.map((d) => `\`${d}\``).join(", ")} in any spelling`,
      );
    }
  }
}

/** Deny a denied flag given under another name (e.g. `git push +ref` for `--force`). */
export function checkImpliedFlag(env: ShellEnv, name: string, implied: string, shown: string): void {
  const hit = deniedFlagIn(implied, env.deniedFlags);
  if (hit !== undefined) {
    deny(
      "shell.denied-flag",
      `\`${shown}\` passed to \`${name}\` counts as the denied flag \`${hit}\`.`,
      `the command without ${hit}`,
    );
  }
}

/** Check that `v` may be accessed, resolving it against every possible working directory. */
export function touch(env: ShellEnv, v: WordValue, access: Access, s: ShellState, what: string): void {
  if (v.kind === "static" && (HARMLESS_DEVICES.has(v.value) || /^\/dev\/fd\/\d+$/.test(v.value))) return;
  const fs = env.policy.filesystem;
  if (fs === "none") {
    deny(
      "filesystem.none",
      `${what} \`${v.value}\` touches a file.`,
      "commands that touch no file (`filesystem: none`)",
    );
  }
  if (access === "write" && fs !== "full") {
    deny(
      "filesystem.read-only",
      `${what} \`${v.value}\` would be written.`,
      "reading commands only (`filesystem: read`)",
    );
  }
  if (v.kind === "dynamic") {
    deny(
      "paths.unresolvable",
      `${what} \`${v.value}\` is built at run time, so the file it names cannot be checked.`,
      "a literal path",
    );
  }
  let raw = v.value;
  if (v.kind === "glob") {
    const site = { paths: env.paths, cwds: s.cwds, unknownCwd: s.unknownCwd };
    checkGlobOperand(v, access, { ...site, nocase: env.context.caseInsensitiveFs }, what);
    const base = picomatch.scan(raw).base;
    if (access === "write") globWrite(env, raw, base);
    raw = base === "" ? "." : base;
  }
  if (v.home) raw = env.paths.home + raw.slice("$HOME".length);
  else if (v.tilde) raw = env.paths.expandHome(raw, false);
  const paths = env.paths;
  if (raw.startsWith("/")) {
    paths.check(paths.absolute(raw, "/", what, false), access, v.value);
    return;
  }
  if (s.unknownCwd) {
    deny(
      "shell.unknown-cwd",
      `${what} \`${v.value}\` is relative, but an earlier \`cd\` makes the working directory unknown.`,
      "absolute paths, or `cd` only at the top level of the command",
    );
  }
  for (const cwd of s.cwds) paths.check(paths.absolute(raw, cwd, what, false), access, v.value);
}

function globWrite(env: ShellEnv, pattern: string, base: string): void {
  const m = picomatch(pattern, { dot: false, windows: false, nocase: env.context.caseInsensitiveFs });
  const prefix = base === "" ? "" : `${base}/`;
  for (const name of [
    "opencode.json",
    "opencode.jsonc",
    ".npmrc",
    "bunfig.toml",
    ".bunfig.toml",
    ".yarnrc",
    ".yarnrc.yml",
    ".pnpmfile.cjs",
    ".pnpmfile.mjs",
    "pnpm-workspace.yaml",
    "tui.json",
    ".opencode/x",
    ".git/config",
    ".git/hooks/x",
  ]) {
    if (m(prefix + name) || m(prefix + name.split("/")[0])) {
      deny(
        "paths.control-file",
        `The pattern \`${pattern}\` could match the control file \`${prefix}${name.replace("/x", "")}\` and write it.`,
        "a pattern that cannot match control files",
      );
    }
  }
}

/** Generic operand handling: flags skipped, operands checked as paths with the command's access. */
export function generic(
  env: ShellEnv,
  name: string,
  spec: CommandSpec,
  args: readonly Arg[],
  s: ShellState,
): void {
  const fs = env.policy.filesystem;
  if (fs === "none" && spec.access !== "none") {
    deny(
      "shell.no-file-command",
      `\`${name}\` touches files.`,
      "commands that touch no file, such as echo, printf, date, true (`filesystem: none`)",
    );
  }
  if (fs === "read" && !spec.readOnly) {
    deny(
      "shell.not-read-only",
      `\`${name}\` is not a known read-only command.`,
      "ls, cat, head, tail, grep, rg, wc, sort, diff, find, jq, sed/awk without writing forms, git log/status/diff/show…",
    );
  }
  const writing =
    spec.writeFlags !== undefined &&
    args.some((a) => a.v.kind === "static" && hasFlag(a.v.value, spec.writeFlags ?? []));
  if (writing && fs !== "full") {
    deny(
      "filesystem.read-only",
      `\`${name}\` with a writing flag (${spec.writeFlags?.join(", ")}) writes files.`,
      `\`${name}\` without ${spec.writeFlags?.join(", ")}`,
    );
  }
  if (name === "rg" && args.some((a) => hasFlag(a.v.value, ["--pre", "--pre-glob"]))) {
    deny("shell.inline-code", "`rg --pre` runs a program on every file.", "`rg` without --pre");
  }
  if (name === "awk") awkProgram(env, args, spec);
  const access: Access | "none" = writing && spec.access === "read" ? "write" : spec.access;
  if (access === "none") return;
  const patternGiven =
    spec.patternFlags !== undefined && args.some((a) => hasFlag(a.v.value, spec.patternFlags ?? []));
  let skipPattern = spec.patternFirst === true && !patternGiven;
  let endOfOptions = false;
  let operands = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const value = a.v.value;
    if (!endOfOptions && a.v.kind === "static" && value === "--") {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && a.v.kind !== "dynamic" && value.startsWith("-") && value !== "-") {
      const eq = value.indexOf("=");
      const flag = eq === -1 ? value : value.slice(0, eq);
      const pathAccess = spec.pathFlags?.[flag];
      if (eq !== -1 && value.startsWith("--")) {
        const inner = value.slice(eq + 1);
        if (pathAccess)
          touch(env, { ...a.v, value: inner, tilde: false }, pathAccess, s, `The value of \`${flag}\``);
        else if (access === "write" && spec === UNKNOWN && inner !== "")
          touch(env, { ...a.v, value: inner, tilde: false }, "write", s, `The value of \`${flag}\``);
        continue;
      }
      const next = args[i + 1];
      if (pathAccess && next) {
        touch(env, next.v, pathAccess, s, `The value of \`${flag}\``);
        i++;
        continue;
      }
      const bundled = pathAccess ? undefined : bundledPathFlag(spec, value);
      if (bundled) {
        const what = `The value of \`${bundled.flag}\``;
        if (bundled.rest !== "") {
          const rest = bundled.rest;
          touch(
            env,
            { ...a.v, value: rest, tilde: rest.startsWith("~"), home: false },
            bundled.access,
            s,
            what,
          );
        } else if (next) {
          touch(env, next.v, bundled.access, s, what);
          i++;
        }
        continue;
      }
      const n = spec.valueFlags?.[value];
      if (n !== undefined) i += n;
      continue;
    }
    if (skipPattern) {
      skipPattern = false;
      if (a.v.kind === "dynamic") continue;
      continue;
    }
    let mode: Access = access;
    if (spec.maxReadOperands !== undefined && operands >= spec.maxReadOperands) {
      mode = "write";
    }
    operands++;
    touch(env, a.v, mode, s, `The operand of \`${name}\``);
    if (access === "write" && spec === UNKNOWN && a.v.kind === "static") {
      const eq = value.indexOf("=");
      if (eq > 0 && eq < value.length - 1)
        touch(
          env,
          { ...a.v, value: value.slice(eq + 1), tilde: value[eq + 1] === "~" },
          "write",
          s,
          `The value in \`${value}\``,
        );
    }
  }
}

/**
 * The path option inside a bundle of short options, read as getopt does: `-f.env` is `-f .env`,
 * `-nf x` is `-n -f x`; a value option before it (`-F:f`) takes the rest as its own value.
 */
function bundledPathFlag(
  spec: CommandSpec,
  value: string,
): { flag: string; rest: string; access: Access } | undefined {
  if (value.startsWith("--") || spec.pathFlags === undefined) return undefined;
  for (let j = 1; j < value.length; j++) {
    const flag = `-${value[j]}`;
    const access = spec.pathFlags[flag];
    if (access) return { flag, rest: value.slice(j + 1), access };
    if ((spec.valueFlags?.[flag] ?? 0) > 0) return undefined;
  }
  return undefined;
}

/** awk's programs (sed has an option table and its own script parser, `options/sed-script.ts`). */
function awkProgram(env: ShellEnv, args: readonly Arg[], spec: CommandSpec): void {
  // Program text: each -e/--source value (gawk), else the first operand unless -f/-E names a file.
  const programs: string[] = [];
  let operandIsProgram = !args.some((a) => hasFlag(a.v.value, spec.patternFlags ?? []));
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).v.value;
    if (v === "-e" || v === "--source") programs.push(args[++i]?.v.value ?? "");
    else if (v.startsWith("--source=")) programs.push(v.slice("--source=".length));
    else if (v.startsWith("-") && v !== "-") i += spec.valueFlags?.[v] ?? 0;
    else if (operandIsProgram) {
      programs.push(v);
      operandIsProgram = false;
    }
  }
  for (const p of programs) {
    if (
      /\bsystem\s*\(|\bgetline\b|\|\s*["a-zA-Z$]|print[f]?[^;}]*>|\bclose\s*\(|@\s*(include|load)\b/.test(p)
    ) {
      deny(
        env.policy.filesystem === "full" ? "shell.inline-code" : "filesystem.read-only",
        `The awk program \`${p}\` can run commands or read/write files itself.`,
        "an awk program without system(), getline, pipes, output redirection, @include or @load",
      );
    }
  }
}

/** Check URL-less network operations (install, push…). */
export function remoteOperation(env: ShellEnv, what: string): void {
  const level = env.policy.network;
  if (level !== "full") {
    deny(
      "network.remote-operation",
      `${what} talks to a remote that cannot be proven local.`,
      "local commands only, or a profile with `network: full`",
    );
  }
}
