import { type Dirent, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import { deny } from "../../decision.js";
import { MAX_SCOPE_ENTRIES } from "../../search-scope.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";

/** A pathspec as git reads it (gitglossary(7), "pathspec"), reduced to what the check needs. */
interface Pathspec {
  /** The pattern, relative to the repository's top directory. */
  readonly pattern: string;
  /** `:(exclude)`/`:!`/`:^`: narrows the others, never widens. */
  readonly exclude: boolean;
  readonly icase: boolean;
  /** `:(literal)` or no wildcard: matches itself and everything beneath it. */
  readonly literal: boolean;
}

const WILDCARD = /[*?[\\]/;
const SAMPLE_CONTROL = [
  "opencode.json",
  "opencode.jsonc",
  "tui.json",
  "tui.jsonc",
  "orchestrator.json",
  ".npmrc",
  "bunfig.toml",
  ".opencode/plugin/x.js",
  ".opencode/orchestrator.json",
  ".git/config",
];

function parse(raw: string, prefix: string): Pathspec {
  let rest = raw;
  let exclude = false;
  let icase = false;
  let literal = false;
  let top = false;
  if (rest.startsWith(":(")) {
    const close = rest.indexOf(")");
    if (close === -1) deny("git.pathspec", `The pathspec \`${raw}\` does not parse.`, "a plain path");
    for (const magic of rest.slice(2, close).split(",")) {
      if (magic === "exclude") exclude = true;
      else if (magic === "icase") icase = true;
      else if (magic === "literal") literal = true;
      else if (magic === "top") top = true;
      else if (magic !== "glob") {
        deny(
          "git.pathspec",
          `The pathspec magic \`${magic}\` in \`${raw}\` selects files the validator cannot work out.`,
          "plain paths (or `:(glob)`, `:(icase)`, `:(literal)`, `:(top)`, `:(exclude)`)",
        );
      }
    }
    rest = rest.slice(close + 1);
  } else if (rest.startsWith(":")) {
    let k = 1;
    for (; k < rest.length && "/!^".includes(rest[k] as string); k++) {
      if (rest[k] === "/") top = true;
      else exclude = true;
    }
    rest = rest.slice(rest[k] === ":" ? k + 1 : k);
  }
  const pattern = posix.normalize(top ? rest || "." : posix.join(prefix, rest || "."));
  if (pattern.startsWith("../") || pattern === "..") {
    deny("git.pathspec", `The pathspec \`${raw}\` is outside the repository.`, "a path inside the project");
  }
  return {
    pattern: pattern === "." ? "" : pattern,
    exclude,
    icase,
    literal: literal || !WILDCARD.test(rest),
  };
}

/** A matcher for one pathspec: git's non-`glob` wildmatch, where `*` also crosses `/` (a superset). */
function matcher(spec: Pathspec): (rel: string) => boolean {
  if (spec.literal) {
    const p = spec.icase ? spec.pattern.toLowerCase() : spec.pattern;
    return (rel) => {
      const r = spec.icase ? rel.toLowerCase() : rel;
      return p === "" || r === p || r.startsWith(`${p}/`);
    };
  }
  let src = "";
  const s = spec.pattern;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "*") src += ".*";
    else if (c === "?") src += ".";
    else if (c === "\\") src += `\\${s[++i] ?? "\\"}`.replace(/\\([A-Za-z0-9])/, "$1");
    else if (c === "[") {
      const close = s.indexOf("]", i + 2);
      if (close === -1) src += "\\[";
      else {
        const body = s
          .slice(i + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        src += `[${body}]`;
        i = close;
      }
    } else src += c.replace(/[.+^${}()|\]]/g, "\\$&");
  }
  const re = new RegExp(`^${src}$`, spec.icase ? "i" : "");
  // A match of a leading directory covers everything beneath it (`sec*` stages `secrets/token.txt`).
  return (rel) => {
    const parts = rel.split("/");
    for (let n = 1; n <= parts.length; n++) if (re.test(parts.slice(0, n).join("/"))) return true;
    return false;
  };
}

/** The repository's top directory: the nearest ancestor of `cwd` holding `.git`, or `cwd`. */
export function repositoryTop(cwd: string): string {
  for (let d = cwd; ; d = posix.dirname(d)) {
    if (statSync(posix.join(d, ".git"), { throwIfNoEntry: false })) return d;
    if (d === "/") return cwd;
  }
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** How a git command uses the files its pathspecs select. */
export interface PathspecUse {
  /** Names the command in messages, e.g. "`git add`". */
  readonly what: string;
  /** `read`: the files' bytes go into git objects; `write`: git writes them from its own data. */
  readonly access: "read" | "write";
  /** With no positive pathspec the command covers the whole work tree (`git add -A`, `stash -u`). */
  readonly wholeTree: boolean;
}

/**
 * Deny a git command whose pathspecs (git's own globs: `*` crosses `/`, a matched directory covers
 * its tree, `:(icase)`/`:!` magic) select a file the path rules deny: for `read` (staging, stashing
 * untracked files) every selected file on disk must be readable; for `write` (checkout, restore) no
 * selected file may be a control file, and a wildcard that could select one is denied outright.
 */
export function checkPathspecs(
  an: ShellAnalyzer,
  operands: readonly Arg[],
  use: PathspecUse,
  s: ShellState,
): void {
  const paths = an.env.paths;
  for (const cwd of s.cwds) {
    const top = repositoryTop(cwd);
    const prefix = posix.relative(top, cwd);
    const specs: Pathspec[] = [];
    for (const a of operands) {
      if (a.v.kind === "dynamic") {
        deny(
          "paths.unresolvable",
          `The pathspec \`${a.text}\` is built at run time, so the files it selects cannot be checked.`,
          "a literal path",
        );
      }
      specs.push(parse(a.v.value, prefix));
    }
    const positive = specs.filter((p) => !p.exclude);
    if (positive.length === 0) {
      if (!use.wholeTree && specs.length === 0) continue;
      positive.push({ pattern: use.wholeTree ? "" : prefix, exclude: false, icase: false, literal: true });
    }
    const tests = positive.map(matcher);
    if (use.access === "write") {
      for (const [k, spec] of positive.entries()) {
        const hit = spec.literal ? undefined : SAMPLE_CONTROL.find((c) => tests[k]?.(c));
        if (hit !== undefined) {
          deny(
            "paths.control-file",
            `The pathspec \`${spec.pattern}\` of ${use.what} could select the control file \`${hit}\`, which git would then write.`,
            "name the files to restore one by one",
          );
        }
      }
    }
    if (use.access === "write") continue; // named files are checked as operands; git writes its own data
    const budget = { entries: 0 };
    const visit = (abs: string, r: string): void => {
      if (++budget.entries > MAX_SCOPE_ENTRIES) {
        deny(
          "paths.too-broad",
          `${use.what} selects more than ${MAX_SCOPE_ENTRIES} files, too many to check.`,
          "pathspecs naming a smaller part of the project",
        );
      }
      const why = tests.some((t) => t(r)) ? paths.readDenial(abs) : undefined;
      if (why) {
        deny(
          why.rule,
          `${use.what} would take \`${r}\`, which ${why.why}, into git (its pathspecs are globs that git expands itself).`,
          "pathspecs that select no denied file (name the files one by one)",
        );
      }
    };
    const walk = (dir: string, rel: string): void => {
      for (const e of list(dir)) {
        if (e.name === ".git") continue;
        const r = rel === "" ? e.name : `${rel}/${e.name}`;
        const abs = posix.join(dir, e.name);
        visit(abs, r);
        if (e.isDirectory()) walk(abs, r);
      }
    };
    // Walk only below each pathspec's literal leading directories (everything, for the whole tree).
    const bases = new Set<string>();
    for (const spec of positive) {
      const cut = spec.literal ? spec.pattern : spec.pattern.slice(0, spec.pattern.search(WILDCARD));
      if (spec.icase)
        bases.add(""); // its spelling on disk may differ at every level
      else bases.add(spec.literal ? cut : cut.includes("/") ? cut.slice(0, cut.lastIndexOf("/")) : "");
    }
    for (const base of bases) {
      if ([...bases].some((b) => b !== base && (b === "" || base.startsWith(`${b}/`)))) continue;
      const abs = base === "" ? top : posix.join(top, base);
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st) continue;
      if (base !== "") visit(abs, base);
      if (st.isDirectory()) walk(abs, base);
    }
  }
}
