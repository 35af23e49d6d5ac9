import picomatch from "picomatch";
import {
  type AndOr,
  type Command,
  type CommandNode,
  type CompoundList,
  type ParsedScript,
  type PipelineNode,
  parse,
  type Redirection,
  type Statement,
  type TestExpression,
  type Word,
  type WordPart,
} from "unbash";
import type { CheckContext } from "../context.js";
import { deny } from "../decision.js";
import { checkUrl } from "../network.js";
import type { Access, PathPolicy } from "../paths.js";
import type { Policy } from "../policy.js";
import {
  ALWAYS_LISTED,
  BASH_LIKE,
  COMMANDS,
  type CommandSpec,
  HARMLESS_DEVICES,
  INLINE_RUNNERS,
  INTERPRETERS,
  isInertVariable,
  NETWORK_COMMANDS,
  NEVER_ALLOWED,
  OPAQUE_WRAPPERS,
  SHELLS,
} from "./commands.js";
import { deniedFlagIn } from "./flags.js";
import { analyzeGit } from "./git.js";
import { checkGlobOperand } from "./glob-operand.js";
import { analyzeByTable } from "./options/programs.js";
import { analyzePackageManager } from "./package-manager.js";
import { checkRecursiveReads } from "./recursive-reads.js";
import { type WordValue, wordValue } from "./words.js";

/** Everything fixed for one shell check. */
export interface ShellEnv {
  readonly policy: Policy;
  readonly paths: PathPolicy;
  readonly context: CheckContext;
  /** The shell tool's `allowedCommands`, if any. */
  readonly allowedCommands: readonly string[] | undefined;
  /** The shell tool's `deniedFlags`. */
  readonly deniedFlags: readonly string[];
}

/** Mutable analysis state: the possible working directories. */
export interface ShellState {
  /** Every directory the current command could run in. */
  cwds: string[];
  /** Directories left behind by a `cd` that may have failed. */
  fallback: string[];
  /** A `cd` happened where its effect cannot be followed. */
  unknownCwd: boolean;
  /** Nesting of loops and conditionals. */
  compound: number;
  /** Nesting of substitutions, wrappers and scripts. */
  depth: number;
}

/** One argument of a simple command. */
export interface Arg {
  readonly v: WordValue;
  /** Source text, quoting kept (used when appending args to an npm script). */
  readonly text: string;
}

const MAX_DEPTH = 8;
const CONTROL = /(?![\n\t])[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNKNOWN: CommandSpec = { access: "write" };

/** A static argument, as written by the analyzer itself. */
export function literalArg(value: string): Arg {
  return { v: { kind: "static", value, tilde: false, home: false }, text: value };
}

/** Copy a state for a subshell, pipeline element or nested script. */
export function fork(s: ShellState): ShellState {
  return {
    cwds: [...s.cwds],
    fallback: [],
    unknownCwd: s.unknownCwd,
    compound: s.compound,
    depth: s.depth + 1,
  };
}

function mergeFallback(s: ShellState): void {
  if (s.fallback.length === 0) return;
  for (const c of s.fallback) if (!s.cwds.includes(c)) s.cwds.push(c);
  s.fallback = [];
}

/** True when `arg` is `flag`, `flag=…`, or (for a one-letter flag) a bundle holding it. */
export function hasFlag(arg: string, flags: readonly string[]): boolean {
  for (const f of flags) {
    if (arg === f || arg.startsWith(`${f}=`)) return true;
    if (
      f.length === 2 &&
      f[0] === "-" &&
      arg.startsWith("-") &&
      !arg.startsWith("--") &&
      arg.slice(1).includes(f[1] as string)
    ) {
      return true;
    }
  }
  return false;
}

/** The bash analyzer: walks every simple command and applies the rules. */
export class ShellAnalyzer {
  readonly env: ShellEnv;
  constructor(env: ShellEnv) {
    this.env = env;
  }

  /** Parse and check a whole command string. */
  script(source: string, s: ShellState): void {
    if (s.depth > MAX_DEPTH)
      deny("shell.too-deep", "Commands nest too deeply to check.", "a flatter command");
    if (CONTROL.test(source)) {
      deny(
        "shell.control-char",
        "The command contains control or format characters (CR, NUL, zero-width or bidi marks).",
        "the same command in plain text",
      );
    }
    this.parsed(parse(source), s);
  }

  /** Check an already parsed script (also used for substitutions). */
  parsed(script: ParsedScript, s: ShellState): void {
    const error = script.errors?.[0];
    if (error) {
      deny(
        "shell.parse-error",
        `The command does not parse as bash (${error.message} at offset ${error.pos}).`,
        "a complete, well-quoted command",
      );
    }
    this.statements(script.commands, s);
  }

  private statements(list: readonly Statement[], s: ShellState): void {
    for (const st of list) {
      this.node(st.command, s);
      mergeFallback(s);
    }
  }

  private compoundList(list: CompoundList, s: ShellState): void {
    this.statements(list.commands, s);
  }

  private node(n: PipelineNode | AndOr | CommandNode, s: ShellState): void {
    switch (n.type) {
      case "AndOr":
        n.commands.forEach((c, i) => {
          if (i > 0 && n.operators[i - 1] === "||") mergeFallback(s);
          this.node(c, s);
        });
        return;
      case "Pipeline":
        if (n.commands.length === 1) this.node(n.commands[0] as CommandNode, s);
        else for (const c of n.commands) this.node(c, fork(s));
        return;
      case "Command":
        this.simple(n, s);
        return;
      case "Subshell":
        this.compoundList(n.body, fork(s));
        return;
      case "BraceGroup":
        this.compoundList(n.body, s);
        return;
      case "Redirected":
        this.redirects(n.redirects, s);
        this.node(n.command, s);
        return;
      case "If":
        s.compound++;
        this.compoundList(n.clause, s);
        this.compoundList(n.then, s);
        for (const e of n.elif) {
          this.compoundList(e.clause, s);
          this.compoundList(e.then, s);
        }
        if (n.else) this.compoundList(n.else, s);
        s.compound--;
        return;
      case "While":
        s.compound++;
        this.compoundList(n.clause, s);
        this.compoundList(n.body, s);
        s.compound--;
        return;
      case "For":
        for (const w of n.wordlist ?? []) this.walkWord(w, s);
        s.compound++;
        this.compoundList(n.body, s);
        s.compound--;
        return;
      case "Case":
        this.walkWord(n.word, s);
        s.compound++;
        for (const item of n.items) {
          for (const p of item.pattern) this.walkWord(p, s);
          this.compoundList(item.body, s);
        }
        s.compound--;
        return;
      case "TestCommand":
        this.testExpression(n.expression, s);
        return;
      case "Function":
        deny(
          "shell.never-allowed",
          `Defining the function \`${n.name.text}\` is never allowed for a worker.`,
          "run the commands directly",
        );
        break;
      case "ArithmeticCommand":
      case "ArithmeticFor":
        deny(
          "shell.unbounded",
          "Arithmetic evaluation can run code through array subscripts; it cannot be bounded.",
          "plain commands without (( ))",
        );
        break;
      case "Select":
      case "Coproc":
        deny(
          "shell.unbounded",
          `\`${n.type.toLowerCase()}\` cannot be bounded statically.`,
          "plain commands",
        );
        break;
      default:
        deny("shell.unbounded", "This shell construct cannot be bounded statically.", "plain commands");
    }
  }

  private testExpression(e: TestExpression, s: ShellState): void {
    switch (e.type) {
      case "TestUnary":
        this.walkWord(e.operand, s);
        return;
      case "TestBinary":
        this.walkWord(e.left, s);
        this.walkWord(e.right, s);
        return;
      case "TestLogical":
        for (const o of e.operands) this.testExpression(o, s);
        return;
      case "TestNot":
        this.testExpression(e.operand, s);
        return;
      case "TestGroup":
        this.testExpression(e.expression, s);
        return;
    }
  }

  /** Check every substitution and expansion inside a word. */
  walkWord(word: Word, s: ShellState): void {
    const parts = word.parts;
    if (parts) for (const p of parts) this.walkPart(p, s);
  }

  private walkPart(part: WordPart, s: ShellState): void {
    switch (part.type) {
      case "CommandExpansion":
      case "ProcessSubstitution": {
        const script = part.script;
        if (!script)
          deny(
            "shell.parse-error",
            `The substitution \`${part.text}\` does not parse.`,
            "a complete command",
          );
        this.parsed(script, fork(s));
        return;
      }
      case "ArithmeticExpansion":
        deny(
          "shell.unbounded",
          `The arithmetic expansion \`${part.text}\` can run code through array subscripts.`,
          "literal numbers",
        );
        break;
      case "DoubleQuoted":
      case "LocaleString":
        for (const c of part.parts) this.walkPart(c, s);
        return;
      case "ParameterExpansion": {
        if (part.prefix === "!")
          deny("shell.unbounded", `Indirect expansion \`${part.text}\` cannot be bounded.`, "`$NAME`");
        if (part.index) {
          const v = wordValue(part.index);
          if (v.kind !== "static" || !/^(\d+|@|\*)$/.test(v.value)) {
            deny(
              "shell.unbounded",
              `The subscript in \`${part.text}\` is evaluated as arithmetic.`,
              "a literal index",
            );
          }
        }
        const op = part.operation;
        if (!op) return;
        switch (op.type) {
          case "Default":
          case "Remove":
          case "Transform":
            if (op.type === "Transform") {
              deny(
                "shell.unbounded",
                `The transformation \`${part.text}\` can expand prompts and run code.`,
                "`$NAME`",
              );
            }
            this.walkWord(op.operand, s);
            return;
          case "Replace":
            this.walkWord(op.pattern, s);
            this.walkWord(op.replacement, s);
            return;
          case "CaseModification":
            if (op.operand) this.walkWord(op.operand, s);
            return;
          default:
            deny(
              "shell.unbounded",
              `The expansion \`${part.text}\` cannot be bounded statically.`,
              // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax in a message
              "`$NAME` or `${NAME:-default}`",
            );
        }
        return;
      }
      case "Glob":
      case "ExtendedGlob":
      case "BraceExpansion":
        if (part.parts) for (const c of part.parts) this.walkPart(c, s);
        return;
      default:
        return;
    }
  }

  private redirects(list: readonly Redirection[], s: ShellState): void {
    for (const r of list) {
      if (r.type === "HereDoc") {
        if (!r.delimiter?.quoted && r.body.parts) for (const p of r.body.parts) this.walkPart(p, s);
        continue;
      }
      if (!r.target) continue;
      this.walkWord(r.target, s);
      if (r.type === "HereString") continue;
      const v = wordValue(r.target);
      if ((r.operator === ">&" || r.operator === "<&") && v.kind === "static" && /^(\d+-?|-)$/.test(v.value))
        continue;
      const access: Access = r.operator === "<" || r.operator === "<&" ? "read" : "write";
      this.touch(v, access, s, "The redirect target");
    }
  }

  private simple(cmd: Command, s: ShellState): void {
    for (const p of cmd.prefix) {
      if (p.type !== "Assignment") continue;
      if (p.value.type === "ArrayValue") for (const w of p.value.elements) this.walkWord(w, s);
      else this.walkWord(p.value, s);
    }
    if (cmd.name) this.walkWord(cmd.name, s);
    for (const a of cmd.suffix) {
      if (a.type === "Word") this.walkWord(a, s);
      else if (a.type === "Assignment" && a.value.type === "Word") this.walkWord(a.value, s);
    }
    const assignments = cmd.prefix.filter((p) => p.type === "Assignment");
    if (!cmd.name) {
      if (assignments.length > 0) {
        deny(
          "shell.never-allowed",
          `The standalone assignment \`${assignments[0]?.text}\` is never allowed for a worker.`,
          "pass values as arguments, or use an inert prefix such as `CI=1 cmd`",
        );
      }
      this.redirects(cmd.redirects, s);
      return;
    }
    for (const a of assignments) {
      if (a.value.type === "ArrayValue" || !isInertVariable(a.name)) {
        deny(
          "shell.env-prefix",
          `The prefix \`${a.name}=…\` can change what the command does.`,
          "only CI, NODE_ENV, TZ, LANG, LC_*, NO_COLOR, FORCE_COLOR and TERM prefixes",
        );
      }
    }
    this.redirects(cmd.redirects, s);
    const name = wordValue(cmd.name);
    if (name.kind !== "static") {
      deny(
        "shell.dynamic-command",
        `The command name \`${cmd.name.text}\` is built at run time.`,
        "a literal command name",
      );
    }
    const args: Arg[] = [];
    for (const a of cmd.suffix) {
      if (a.type === "Word") args.push({ v: wordValue(a), text: a.text });
      else if (a.type === "Assignment")
        args.push({ v: { kind: "static", value: a.text, tilde: false, home: false }, text: a.text });
    }
    this.run(name.value, args, s);
  }

  /** Check one command with its arguments (also called for unwrapped inner commands). */
  run(name: string, args: readonly Arg[], s: ShellState): void {
    if (s.depth > MAX_DEPTH)
      deny("shell.too-deep", "Commands nest too deeply to check.", "a flatter command");
    if (CONTROL.test(name) || name === "")
      deny(
        "shell.dynamic-command",
        "The command name is empty or contains control characters.",
        "a literal command name",
      );
    if (name.includes("/")) {
      deny(
        "shell.command-path",
        `The command \`${name}\` is given by path.`,
        "the bare command name (found on PATH), or an npm script",
      );
    }
    if (NEVER_ALLOWED.has(name)) {
      deny(
        "shell.never-allowed",
        `\`${name}\` is never allowed for a worker.`,
        "run the intended command directly, without privilege, eval or sourcing",
      );
    }
    const list = this.env.allowedCommands;
    if (list && !ALWAYS_LISTED.has(name) && !list.includes(name)) {
      deny(
        "shell.not-allowed-command",
        `\`${name}\` is not in the shell tool's allowedCommands.`,
        list.length > 0 ? list.map((c) => `\`${c}\``).join(", ") : "no command (the list is empty)",
      );
    }
    this.checkFlags(name, args);
    if (INLINE_RUNNERS.has(name)) {
      deny(
        "shell.inline-code",
        `\`${name}\` runs a package resolved at run time (inline code).`,
        "an npm script from package.json (`npm run <script>`)",
      );
    }
    checkRecursiveReads(this, name, args, s);
    switch (name) {
      case "cd":
        this.cd(args, s);
        return;
      case "env":
      case "timeout":
      case "nice":
      case "nohup":
      case "command":
      case "stdbuf":
      case "time":
        this.wrapper(name, args, s);
        return;
      case "git":
        analyzeGit(this, args, s);
        return;
      case "npm":
      case "pnpm":
      case "yarn":
      case "bun":
        analyzePackageManager(this, name, args, s);
        return;
      case "curl":
      case "wget":
        this.fetch(name, args, s);
        return;
      case "find":
        this.find(args, s);
        return;
    }
    if (OPAQUE_WRAPPERS.has(name)) {
      deny(
        "shell.wrapper-denied",
        `\`${name}\` runs other commands in a way that cannot be checked (arguments built at run time, or code it reads itself).`,
        "run the inner command directly; list files explicitly or use `grep -r`/`find` without -exec",
      );
    }
    if (SHELLS.has(name)) {
      this.shell(name, args, s);
      return;
    }
    if (name in INTERPRETERS) {
      this.interpreter(name, args, s);
      return;
    }
    if (NETWORK_COMMANDS.has(name)) {
      const level = this.env.policy.network;
      if (level === "none")
        deny("network.none", `\`${name}\` uses the network.`, "commands without network access");
      if (level === "localhost") {
        deny(
          "network.not-localhost",
          `The target of \`${name}\` cannot be proven local.`,
          "`curl`/`wget` with an `http://localhost…`, `127.x.y.z` or `[::1]` URL",
        );
      }
    }
    if (analyzeByTable(this, name, args, s)) return;
    this.generic(name, COMMANDS[name] ?? UNKNOWN, args, s);
  }

  private checkFlags(name: string, args: readonly Arg[]): void {
    const denied = this.env.deniedFlags;
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
  checkImpliedFlag(name: string, implied: string, shown: string): void {
    const hit = deniedFlagIn(implied, this.env.deniedFlags);
    if (hit !== undefined) {
      deny(
        "shell.denied-flag",
        `\`${shown}\` passed to \`${name}\` counts as the denied flag \`${hit}\`.`,
        `the command without ${hit}`,
      );
    }
  }

  /** Check that `v` may be accessed, resolving it against every possible working directory. */
  touch(v: WordValue, access: Access, s: ShellState, what: string): void {
    if (v.kind === "static" && (HARMLESS_DEVICES.has(v.value) || /^\/dev\/fd\/\d+$/.test(v.value))) return;
    const fs = this.env.policy.filesystem;
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
      const site = { paths: this.env.paths, cwds: s.cwds, unknownCwd: s.unknownCwd };
      checkGlobOperand(v, access, { ...site, nocase: this.env.context.caseInsensitiveFs }, what);
      const base = picomatch.scan(raw).base;
      if (access === "write") this.globWrite(raw, base);
      raw = base === "" ? "." : base;
    }
    if (v.home) raw = this.env.paths.home + raw.slice("$HOME".length);
    else if (v.tilde) raw = this.env.paths.expandHome(raw, false);
    const paths = this.env.paths;
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

  private globWrite(pattern: string, base: string): void {
    const m = picomatch(pattern, { dot: false, windows: false, nocase: this.env.context.caseInsensitiveFs });
    const prefix = base === "" ? "" : `${base}/`;
    for (const name of [
      "opencode.json",
      "opencode.jsonc",
      ".npmrc",
      "bunfig.toml",
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
  generic(name: string, spec: CommandSpec, args: readonly Arg[], s: ShellState): void {
    const fs = this.env.policy.filesystem;
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
    if (name === "awk") this.awkProgram(args, spec);
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
            this.touch({ ...a.v, value: inner, tilde: false }, pathAccess, s, `The value of \`${flag}\``);
          else if (access === "write" && spec === UNKNOWN && inner !== "")
            this.touch({ ...a.v, value: inner, tilde: false }, "write", s, `The value of \`${flag}\``);
          continue;
        }
        const next = args[i + 1];
        if (pathAccess && next) {
          this.touch(next.v, pathAccess, s, `The value of \`${flag}\``);
          i++;
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
      this.touch(a.v, mode, s, `The operand of \`${name}\``);
      if (access === "write" && spec === UNKNOWN && a.v.kind === "static") {
        const eq = value.indexOf("=");
        if (eq > 0 && eq < value.length - 1)
          this.touch(
            { ...a.v, value: value.slice(eq + 1), tilde: value[eq + 1] === "~" },
            "write",
            s,
            `The value in \`${value}\``,
          );
      }
    }
  }

  /** awk's programs (sed has an option table and its own script parser, `options/sed-script.ts`). */
  private awkProgram(args: readonly Arg[], spec: CommandSpec): void {
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
      if (/\bsystem\s*\(|\bgetline\b|\|\s*["a-zA-Z$]|print[f]?[^;}]*>|\bclose\s*\(/.test(p)) {
        deny(
          this.env.policy.filesystem === "full" ? "shell.inline-code" : "filesystem.read-only",
          `The awk program \`${p}\` can run commands or read/write files itself.`,
          "an awk program without system(), getline, pipes or output redirection",
        );
      }
    }
  }

  private cd(args: readonly Arg[], s: ShellState): void {
    const ops = args.filter((a) => !(a.v.kind === "static" && /^-[LPe@]+$/.test(a.v.value)));
    if (s.compound > 0) {
      s.unknownCwd = true;
      return;
    }
    const target = ops[0];
    if (target === undefined) {
      s.fallback.push(...s.cwds);
      s.cwds = [this.env.paths.home];
      return;
    }
    if (target.v.kind !== "static" || target.v.value === "-") {
      s.unknownCwd = true;
      return;
    }
    let raw = target.v.value;
    if (target.v.tilde) raw = this.env.paths.expandHome(raw, false);
    if (target.v.home) raw = this.env.paths.home + raw.slice(5);
    const next = s.cwds.map((c) => this.env.paths.absolute(raw, c, "The `cd` target", false));
    for (const dir of next) {
      if (!this.env.paths.readable(dir)) this.env.paths.check(dir, "read", target.v.value);
    }
    s.fallback.push(...s.cwds);
    s.cwds = [...new Set(next)];
  }

  private wrapper(name: string, args: readonly Arg[], s: ShellState): void {
    let i = 0;
    const value = (k: number): string | undefined => {
      const a = args[k];
      if (!a) return undefined;
      if (a.v.kind !== "static") {
        deny(
          "shell.wrapper-denied",
          `The arguments of \`${name}\` are built at run time, so the inner command cannot be known.`,
          "literal arguments",
        );
      }
      return a.v.value;
    };
    const bad = (opt: string): never =>
      deny(
        "shell.wrapper-denied",
        `\`${name} ${opt}\` is not supported by the validator.`,
        `\`${name}\` with simple options, or the inner command directly`,
      );
    for (;;) {
      const v = value(i);
      if (v === undefined) return; // no inner command: the wrapper alone runs nothing
      if (v === "--") {
        i++;
        break;
      }
      if (name === "env") {
        if (v === "-i" || v === "--ignore-environment" || v === "-0" || v === "--null" || v === "-") i++;
        else if (v === "-u" || v === "--unset") i += 2;
        else if (v.startsWith("--unset=") || /^-u./.test(v)) i++;
        else if (v.startsWith("-")) bad(v);
        else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
          const variable = v.slice(0, v.indexOf("="));
          if (!isInertVariable(variable)) {
            deny(
              "shell.env-prefix",
              `\`env ${variable}=…\` can change what the command does.`,
              "only CI, NODE_ENV, TZ, LANG, LC_*, NO_COLOR, FORCE_COLOR and TERM",
            );
          }
          i++;
        } else break;
      } else if (name === "timeout") {
        if (v === "-s" || v === "--signal" || v === "-k" || v === "--kill-after") i += 2;
        else if (v.startsWith("-")) i++;
        else {
          i++; // the duration
          break;
        }
      } else if (name === "nice") {
        if (v === "-n" || v === "--adjustment") i += 2;
        else if (v.startsWith("-")) i++;
        else break;
      } else if (name === "command") {
        if (v === "-v" || v === "-V") return; // looks a command up, runs nothing
        if (v === "-p") i++;
        else if (v.startsWith("-")) bad(v);
        else break;
      } else if (name === "stdbuf") {
        if (v === "-i" || v === "-o" || v === "-e") i += 2;
        else if (v.startsWith("-")) i++;
        else break;
      } else if (name === "time") {
        if (v === "-o" || v === "--output") {
          const f = args[i + 1];
          if (f) this.touch(f.v, "write", s, "The `time -o` file");
          i += 2;
        } else if (v === "-f" || v === "--format") i += 2;
        else if (v.startsWith("-")) i++;
        else break;
      } else if (name === "nohup") {
        this.touch(literalArg("nohup.out").v, "write", s, "nohup's output file");
        break;
      } else break;
    }
    const inner = args[i];
    if (!inner) return;
    if (inner.v.kind !== "static") {
      deny(
        "shell.dynamic-command",
        `The command run by \`${name}\` is built at run time.`,
        "a literal inner command",
      );
    }
    this.run(inner.v.value, args.slice(i + 1), fork(s));
  }

  private shell(name: string, args: readonly Arg[], s: ShellState): void {
    let command: Arg | undefined;
    let sawC = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Arg;
      const v = a.v.value;
      if (!sawC && a.v.kind === "static" && /^[-+][a-zA-Z]+$/.test(v)) {
        if (v.startsWith("-") && v.includes("c")) sawC = true;
        if (v === "-o" || v === "+o" || v === "-O" || v === "+O") i++;
        continue;
      }
      if (sawC) {
        command = a;
        break;
      }
      break;
    }
    if (!sawC || !command) {
      deny(
        "shell.unbounded",
        `\`${name}\` without \`-c '…'\` runs a script file or standard input that cannot be checked.`,
        `\`${name} -c '<command>'\` with a literal command, or the commands themselves`,
      );
    }
    if (!BASH_LIKE.has(name)) {
      deny(
        "shell.wrapper-denied",
        `\`${name} -c\` uses a syntax the validator does not parse.`,
        "`sh -c` or `bash -c`",
      );
    }
    if (command.v.kind !== "static") {
      deny(
        "shell.dynamic-command",
        `The script passed to \`${name} -c\` is built at run time.`,
        "a literal script",
      );
    }
    this.script(command.v.value, fork(s));
  }

  private interpreter(name: string, args: readonly Arg[], s: ShellState): void {
    const inline = INTERPRETERS[name] ?? [];
    let script: Arg | undefined;
    let info = false;
    for (const a of args) {
      const v = a.v.value;
      if (a.v.kind === "static" && v.startsWith("-") && v !== "-") {
        for (const f of inline) {
          const short = f.length === 2 && !v.startsWith("--") && v.slice(1).includes(f[1] as string);
          if (v === f || v.startsWith(`${f}=`) || short) {
            deny(
              "shell.inline-code",
              `\`${name} ${v}\` runs inline code.`,
              `\`${name} <file>\` with a file in the project, or an npm script`,
            );
          }
        }
        if (/^(--version|-v|-V|--help|-h|--test|-m)$/.test(v)) info = true;
        continue;
      }
      script = a;
      break;
    }
    if (name === "deno" && script && /^(eval|repl)$/.test(script.v.value)) {
      deny("shell.inline-code", `\`deno ${script.v.value}\` runs inline code.`, "`deno run <file>`");
    }
    if (!info && (!script || script.v.value === "-")) {
      deny(
        "shell.unbounded",
        `\`${name}\` without a script file reads code from standard input or starts a REPL.`,
        `\`${name} <file>\``,
      );
    }
    this.generic(name, UNKNOWN, args, s);
  }

  private fetch(name: string, args: readonly Arg[], s: ShellState): void {
    const level = this.env.policy.network;
    if (level === "none")
      deny("network.none", `\`${name}\` uses the network.`, "commands without network access");
    const reserved = this.env.context.reservedLocalPorts ?? [];
    const curl = name === "curl";
    const valueFlags = curl
      ? "H header d data data-raw data-binary data-urlencode data-ascii json X request u user A user-agent e referer b cookie F form w write-out m max-time connect-timeout retry retry-delay retry-max-time r range E cert key cacert capath y Y z C limit-rate oauth2-bearer"
      : "U user-agent header t tries T timeout w wait user password post-data method body-data referer";
    const values = new Set(valueFlags.split(" ").map((f) => (f.length === 1 ? `-${f}` : `--${f}`)));
    const writes = new Set(
      curl
        ? ["-o", "--output", "-D", "--dump-header", "-c", "--cookie-jar"]
        : ["-O", "--output-document", "-o", "--output-file", "-a", "--append-output"],
    );
    const reads = new Set(
      curl
        ? ["-T", "--upload-file", "-K", "--config"]
        : ["-i", "--input-file", "--post-file", "--body-file", "--load-cookies"],
    );
    const hostile = new Set(
      curl
        ? [
            "-x",
            "--proxy",
            "--preproxy",
            "--resolve",
            "--connect-to",
            "--unix-socket",
            "--abstract-unix-socket",
            "--doh-url",
            "-K",
            "--config",
          ]
        : ["-e", "--execute", "-i", "--input-file", "--proxy"],
    );
    const urls: string[] = [];
    let remoteName = !curl;
    // Redirects are followed by wget unless `--max-redirect=0`, and by curl with -L: only the
    // first URL could be checked, so under `network: localhost` that is refused (issue 11, item 9).
    let followsRedirects = !curl;
    const fs = this.env.policy.filesystem;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Arg;
      const v = a.v.value;
      if (a.v.kind === "dynamic") {
        deny(
          "network.invalid-url",
          `\`${a.text}\` is built at run time, so the URL cannot be checked.`,
          "a literal URL",
        );
      }
      if (v.startsWith("-") && v !== "-") {
        const eq = v.indexOf("=");
        const flag = eq === -1 ? v : v.slice(0, eq);
        if (curl && (flag === "--location" || flag === "--location-trusted" || /^-[^-]*L/.test(v)))
          followsRedirects = true;
        if (!curl && flag === "--max-redirect") followsRedirects = v !== "--max-redirect=0";
        const bundleLast = !v.startsWith("--") && v.length > 2 ? `-${v[v.length - 1]}` : flag;
        const key =
          values.has(flag) || writes.has(flag) || reads.has(flag) || hostile.has(flag) || flag === "--url"
            ? flag
            : bundleLast;
        if (hostile.has(key) && (level !== "full" || key === "-e" || key === "--execute")) {
          deny(
            "network.not-localhost",
            `\`${name} ${key}\` can send the request somewhere other than the URL shows, or run commands.`,
            `\`${name}\` without ${key}`,
          );
        }
        if (
          curl &&
          (key === "-O" ||
            key === "--remote-name" ||
            v === "--remote-name-all" ||
            (!v.startsWith("--") && v.includes("O")))
        )
          remoteName = true;
        const next =
          eq === -1 ? args[i + 1] : { v: { ...a.v, value: v.slice(eq + 1) }, text: v.slice(eq + 1) };
        const consumes =
          eq === -1 &&
          (values.has(key) || writes.has(key) || reads.has(key) || hostile.has(key) || key === "--url");
        if (next && (writes.has(key) || reads.has(key))) {
          if (!(writes.has(key) && next.v.value === "-"))
            this.touch(next.v, writes.has(key) ? "write" : "read", s, `The value of \`${key}\``);
          if (!curl && (key === "-O" || key === "--output-document")) remoteName = false;
        }
        if (next && key === "--url") urls.push(next.v.value);
        if (
          curl &&
          next &&
          (key === "-d" || key.startsWith("--data") || key === "-F" || key === "--form" || key === "--json")
        ) {
          const at = next.v.value.indexOf("@");
          if ((key === "-F" || key === "--form" ? at > 0 : at === 0) && at < next.v.value.length - 1) {
            this.touch(
              { ...next.v, value: next.v.value.slice(at + 1), tilde: false },
              "read",
              s,
              "The uploaded file",
            );
          }
        }
        if (consumes) i++;
        continue;
      }
      urls.push(v);
    }
    if (urls.length === 0) return;
    if (followsRedirects && level === "localhost") {
      deny(
        "network.not-localhost",
        `\`${name}\` follows redirects, and a redirect can lead anywhere; only the first URL can be checked.`,
        curl ? "`curl` without -L/--location" : "`wget --max-redirect=0 …`",
      );
    }
    for (const u of urls) {
      checkUrl(u, level, reserved, "http");
      if (remoteName) {
        if (fs !== "full")
          deny(
            "filesystem.read-only",
            `\`${name}\` saves \`${u}\` to a file.`,
            curl ? "`curl` without -O (output to stdout)" : "`wget -O -`",
          );
        const path = u.replace(/^[a-zA-Z]+:\/\/[^/]*/, "").replace(/[?#].*$/, "");
        const base = path.slice(path.lastIndexOf("/") + 1) || "index.html";
        this.touch(literalArg(base).v, "write", s, "The downloaded file");
      }
    }
  }

  private find(args: readonly Arg[], s: ShellState): void {
    const fs = this.env.policy.filesystem;
    if (fs === "none") deny("shell.no-file-command", "`find` touches files.", "commands that touch no file");
    let i = 0;
    const starts: Arg[] = [];
    while (i < args.length) {
      const v = (args[i] as Arg).v.value;
      if (v.startsWith("-") || v === "(" || v === "!" || v === ")") break;
      starts.push(args[i] as Arg);
      i++;
    }
    if (starts.length === 0) starts.push(literalArg("."));
    for (const st of starts) this.touch(st.v, "read", s, "The `find` start path");
    const skip1 = new Set([
      "-name",
      "-iname",
      "-path",
      "-ipath",
      "-regex",
      "-iregex",
      "-type",
      "-xtype",
      "-maxdepth",
      "-mindepth",
      "-size",
      "-mtime",
      "-mmin",
      "-atime",
      "-amin",
      "-ctime",
      "-cmin",
      "-perm",
      "-user",
      "-group",
      "-uid",
      "-gid",
      "-printf",
      "-wholename",
      "-iwholename",
      "-lname",
      "-ilname",
      "-links",
      "-inum",
      "-regextype",
      "-fstype",
      "-used",
      "-context",
    ]);
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).v.value;
      if (skip1.has(v)) {
        i++;
        continue;
      }
      if (v === "-delete") {
        if (fs !== "full")
          deny("filesystem.read-only", "`find -delete` removes files.", "`find` without -delete");
        for (const st of starts) this.touch(st.v, "write", s, "The `find -delete` start path");
        continue;
      }
      if (v === "-fprint" || v === "-fprint0" || v === "-fls" || v === "-fprintf") {
        const f = args[i + 1];
        if (f) this.touch(f.v, "write", s, `The \`${v}\` file`);
        i += v === "-fprintf" ? 2 : 1;
        continue;
      }
      if (
        v === "-newer" ||
        v === "-anewer" ||
        v === "-cnewer" ||
        v === "-samefile" ||
        v.startsWith("-newer")
      ) {
        const f = args[i + 1];
        if (f) this.touch(f.v, "read", s, `The \`${v}\` file`);
        i++;
        continue;
      }
      if (v === "-exec" || v === "-execdir" || v === "-ok" || v === "-okdir") {
        if (fs !== "full")
          deny(
            "shell.not-read-only",
            `\`find ${v}\` runs commands.`,
            "`find` without -exec/-delete (pipe its output to a reading command)",
          );
        let j = i + 1;
        const inner: Arg[] = [];
        while (j < args.length) {
          const w = (args[j] as Arg).v.value;
          if (w === ";" || w === "+") break;
          inner.push(args[j] as Arg);
          j++;
        }
        const [cmd, ...rest] = inner;
        if (cmd?.v.kind !== "static") {
          deny(
            "shell.dynamic-command",
            `The command run by \`find ${v}\` is missing or built at run time.`,
            "a literal command",
          );
        }
        for (const st of starts) {
          const replaced = rest.map((a) =>
            a.v.kind === "static" && a.v.value.includes("{}")
              ? { v: { ...st.v, value: a.v.value.replaceAll("{}", st.v.value) }, text: a.text }
              : a,
          );
          this.run(cmd.v.value, replaced, fork(s));
        }
        i = j;
      }
    }
  }

  /** Check a package.json script body (and any appended arguments) as a nested script. */
  packageScript(text: string, s: ShellState): void {
    const state = fork(s);
    state.cwds = [this.env.paths.cwd];
    state.unknownCwd = false;
    this.script(text, state);
  }

  /** Check URL-less network operations (install, push…). */
  remoteOperation(what: string): void {
    const level = this.env.policy.network;
    if (level !== "full") {
      deny(
        "network.remote-operation",
        `${what} talks to a remote that cannot be proven local.`,
        "local commands only, or a profile with `network: full`",
      );
    }
  }
}
