import { posix } from "node:path";
import { deny } from "../decision.js";
import type { Access, PathPolicy } from "../paths.js";
import {
  braceExpand,
  componentMatcher,
  ExpansionTooLarge,
  type GlobBudget,
  hasGlob,
  pathnameExpand,
} from "./expand.js";
import type { WordValue } from "./words.js";

/** Where a glob operand is expanded. */
export interface GlobSite {
  readonly paths: PathPolicy;
  /** Every directory the command could run in. */
  readonly cwds: readonly string[];
  /** An earlier `cd` makes the directory unknown (relative patterns are then denied elsewhere). */
  readonly unknownCwd: boolean;
  readonly nocase: boolean;
  /** Also let `.*` match `.` and `..` (bash before 5.2); for recursive reads. */
  readonly dotDirs?: boolean;
}

/** One word a glob operand expands to, resolved against one working directory. */
export interface ExpandedOperand {
  /** As bash passes it (relative when the pattern is). */
  readonly word: string;
  /** The directory it is relative to. */
  readonly cwd: string;
  /** The brace alternative (after tilde expansion) it came from. */
  readonly pattern: string;
}

const UNEXPANDABLE = /["'`$\\]/;

function tooBroad(value: string, error: ExpansionTooLarge): never {
  return deny(
    "paths.too-broad",
    `The pattern \`${value}\` ${error.message}, more than the validator checks; denied rather than unchecked.`,
    "a narrower pattern, or the paths written out",
  );
}

/**
 * Every word a glob or brace operand expands to, as bash would expand it from each possible working
 * directory: braces first, then tilde, then pathname expansion (a pattern that matches nothing stays
 * literal). Relative patterns under an unknown working directory yield nothing (the caller denies them).
 */
export function expandOperand(v: WordValue, site: GlobSite, budget: GlobBudget): ExpandedOperand[] {
  const paths = site.paths;
  const value = v.home ? paths.home + v.value.slice("$HOME".length) : v.value;
  if (UNEXPANDABLE.test(value)) {
    deny(
      "paths.unresolvable",
      `The pattern \`${v.value}\` mixes quotes, \`$\` or \`\\\` with brace or glob expansion, which the validator does not expand.`,
      "the paths written out, or brace and glob patterns without quotes inside them",
    );
  }
  let patterns: string[];
  try {
    patterns = braceExpand(value);
  } catch (error) {
    if (error instanceof ExpansionTooLarge) tooBroad(v.value, error);
    throw error;
  }
  const out: ExpandedOperand[] = [];
  for (const raw of patterns) {
    const p = raw.startsWith("~") ? paths.expandHome(raw, false) : raw;
    const cwds = p.startsWith("/") ? ["/"] : site.unknownCwd ? [] : site.cwds;
    for (const cwd of cwds) {
      let matched: string[];
      try {
        matched = pathnameExpand(p, cwd, { nocase: site.nocase, dotDirs: site.dotDirs }, budget);
      } catch (error) {
        if (error instanceof ExpansionTooLarge) tooBroad(v.value, error);
        throw error;
      }
      if (matched.length === 0) out.push({ word: p, cwd, pattern: p });
      else for (const m of matched) out.push({ word: m, cwd, pattern: p });
    }
  }
  return out;
}

/**
 * Deny when a pattern could name a file that a denied glob covers by its literal last segment
 * (`.en?` could be `.env` under `**\/.env`), even if no such file exists yet.
 */
function couldMatchDenied(pattern: string, cwd: string, site: GlobSite, shown: string): void {
  const slash = pattern.lastIndexOf("/");
  const last = pattern.slice(slash + 1);
  if (!hasGlob(last)) return;
  const match = componentMatcher(last, site.nocase);
  for (const source of site.paths.deniedSources()) {
    const name = source.slice(source.lastIndexOf("/") + 1);
    if (name === "" || hasGlob(name) || /[{}]/.test(name) || !match(name)) continue;
    const witness = posix.resolve(cwd, slash === -1 ? "." : pattern.slice(0, slash) || "/", name);
    const denial = site.paths.readDenial(witness);
    if (denial?.rule === "paths.denied") {
      deny(
        "paths.denied",
        `The pattern \`${shown}\` could match \`${name}\` (${witness}), which ${denial.why}.`,
        "a pattern that cannot match a denied file, or the paths written out",
      );
    }
  }
}

/**
 * Check a glob or brace operand: every word bash would expand it to must pass the path rules for
 * `access`, and the pattern must not be able to match a file a denied glob names literally.
 */
export function checkGlobOperand(v: WordValue, access: Access, site: GlobSite, what: string): void {
  const budget: GlobBudget = { entries: 0 };
  const paths = site.paths;
  const tested = new Set<string>();
  for (const { word, cwd, pattern } of expandOperand(v, site, budget)) {
    paths.check(paths.absolute(word, cwd, what, false), access, word);
    const key = `${cwd}\0${pattern}`;
    if (tested.has(key)) continue;
    tested.add(key);
    couldMatchDenied(pattern, cwd, site, v.value);
  }
}
