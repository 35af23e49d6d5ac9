import { lstatSync, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import picomatch from "picomatch";

/** Most words one shell word may expand to before the validator gives up (and denies). */
const MAX_EXPANSIONS = 4096;
/** Most directory entries one word's pathname expansion may read. */
const MAX_GLOB_ENTRIES = 20_000;

/** Thrown by the expanders when a word expands to more than they check. */
export class ExpansionTooLarge extends Error {
  constructor(word: string, what: string) {
    super(`\`${word}\` expands to more than ${what}`);
    this.name = "ExpansionTooLarge";
  }
}

/** Options of {@link expandWord}. */
export interface ExpandOptions {
  /** Match names without regard to case (a case-insensitive filesystem). */
  readonly nocase: boolean;
  /**
   * Let a component that starts with `.` (`.*`) also match `.` and `..`, as bash before 5.2 does
   * (5.2 skips them by default). Conservative for recursive reads.
   */
  readonly dotDirs?: boolean;
}

/** The result of expanding one word like bash does. */
export interface Expansion {
  /** Each brace alternative, before pathname expansion. */
  readonly patterns: readonly string[];
  /** The words bash passes to the command: matches, or the pattern itself when nothing matches. */
  readonly words: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Brace expansion: bash's brace_expand (braces.c), on text without quotes, `$` or backslashes.

function matchClose(text: string, open: number): number {
  let level = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "{") level++;
    else if (c === "}") {
      level--;
      if (level === 0) return i;
    }
  }
  return -1;
}

function topLevelCommas(amble: string): number[] {
  const commas: number[] = [];
  let level = 0;
  for (let i = 0; i < amble.length; i++) {
    const c = amble[i];
    if (c === "{") level++;
    else if (c === "}") level = Math.max(0, level - 1);
    else if (c === "," && level === 0) commas.push(i);
  }
  return commas;
}

const INT = /^[-+]?\d+$/;

/** bash's expand_seqterm: `x..y[..incr]` with integers or single letters; `undefined` when invalid. */
function sequence(amble: string, limit: number, word: string): string[] | undefined {
  const parts = amble.split("..");
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const [lhs, rhs, incrText] = parts as [string, string, string | undefined];
  if (incrText !== undefined && !INT.test(incrText)) return undefined;
  const incr = incrText === undefined ? 1 : Math.abs(Number.parseInt(incrText, 10)) || 1;
  const out: string[] = [];
  const push = (s: string): void => {
    out.push(s);
    if (out.length > limit) throw new ExpansionTooLarge(word, `${limit} words`);
  };
  if (INT.test(lhs) && INT.test(rhs)) {
    const a = Number.parseInt(lhs, 10);
    const b = Number.parseInt(rhs, 10);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return undefined;
    let width = 0;
    for (const t of [lhs, rhs]) {
      const body = t.replace(/^[-+]/, "");
      if (body.length > 1 && body.startsWith("0")) width = Math.max(width, t.length);
    }
    const step = a <= b ? incr : -incr;
    for (let n = a; a <= b ? n <= b : n >= b; n += step) {
      const digits = String(Math.abs(n)).padStart(n < 0 ? width - 1 : width, "0");
      push(n < 0 ? `-${digits}` : digits);
    }
    return out;
  }
  if (lhs.length === 1 && rhs.length === 1 && /[A-Za-z]/.test(lhs) && /[A-Za-z]/.test(rhs)) {
    const a = lhs.charCodeAt(0);
    const b = rhs.charCodeAt(0);
    const step = a <= b ? incr : -incr;
    for (let n = a; a <= b ? n <= b : n >= b; n += step) push(String.fromCharCode(n));
    return out;
  }
  return undefined;
}

/**
 * Expand braces as bash does: `a{b,c}d` → `abd acd`, `{1..3}`, `{a..e..2}`, `{01..10}`, nested
 * braces; `{x}` and unbalanced braces stay literal. The text must hold no quotes, `$` or `\`.
 *
 * @throws {ExpansionTooLarge} past `limit` words.
 */
export function braceExpand(text: string, limit = MAX_EXPANSIONS, word = text): string[] {
  let start = -1;
  let close = -1;
  for (let i = text.indexOf("{"); i !== -1; i = text.indexOf("{", i + 1)) {
    const c = matchClose(text, i);
    if (c !== -1) {
      start = i;
      close = c;
      break;
    }
  }
  if (start === -1) return [text];
  const preamble = text.slice(0, start);
  const amble = text.slice(start + 1, close);
  const postamble = text.slice(close + 1);
  let middle: string[];
  const commas = topLevelCommas(amble);
  if (commas.length === 0) {
    const seq = sequence(amble, limit, word);
    if (seq === undefined) {
      // Not an expansion: keep `{amble}` literally and expand what follows.
      return braceExpand(postamble, limit, word).map((p) => `${preamble}{${amble}}${p}`);
    }
    middle = seq;
  } else {
    middle = [];
    let from = 0;
    for (const at of [...commas, amble.length]) {
      for (const m of braceExpand(amble.slice(from, at), limit, word)) middle.push(m);
      from = at + 1;
    }
  }
  const tails = postamble === "" ? [""] : braceExpand(postamble, limit, word);
  if (middle.length * tails.length > limit) throw new ExpansionTooLarge(word, `${limit} words`);
  const out: string[] = [];
  for (const m of middle) for (const t of tails) out.push(preamble + m + t);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Pathname expansion: bash's glob_filename, against the real filesystem.

/** True when `text` holds a pathname-expansion character (`*`, `?`, `[`, or an extglob). */
export function hasGlob(text: string): boolean {
  return /[*?[]|[@!+]\(/.test(text);
}

/** Directory entries read so far; share one across every word of a call to bound it as a whole. */
export interface GlobBudget {
  entries: number;
}

interface Budget {
  readonly shared: GlobBudget;
  readonly word: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function names(dir: string, budget: Budget): string[] {
  let list: string[];
  try {
    list = readdirSync(dir);
  } catch {
    return [];
  }
  budget.shared.entries += list.length;
  if (budget.shared.entries > MAX_GLOB_ENTRIES)
    throw new ExpansionTooLarge(budget.word, `${MAX_GLOB_ENTRIES} directory entries to match`);
  return list;
}

function joinWord(dir: string, name: string): string {
  if (dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * Match one path component like bash's pathname expansion: a leading `.` is matched only by a
 * pattern that starts with a literal `.` (not by `*`, `?` or `[.]`).
 */
export function componentMatcher(pattern: string, nocase: boolean): (name: string) => boolean {
  const dot = pattern.startsWith(".");
  const test = picomatch(pattern, {
    dot,
    nocase,
    nobrace: true,
    nonegate: true,
    posix: true,
    windows: false,
  });
  return (name) => (dot || !name.startsWith(".")) && test(name);
}

function globPath(pattern: string, cwd: string, options: ExpandOptions, budget: Budget): string[] {
  const slash = pattern.lastIndexOf("/");
  const dirPart = slash === -1 ? "" : slash === 0 ? "/" : pattern.slice(0, slash);
  const filePart = slash === -1 ? pattern : pattern.slice(slash + 1);
  const dirs = hasGlob(dirPart)
    ? globPath(dirPart, cwd, options, budget).filter((d) => isDirectory(posix.resolve(cwd, d)))
    : [dirPart];
  const out: string[] = [];
  if (filePart === "") {
    for (const d of dirs) if (isDirectory(posix.resolve(cwd, d))) out.push(d.endsWith("/") ? d : `${d}/`);
    return out;
  }
  if (!hasGlob(filePart)) {
    for (const d of dirs) {
      const w = joinWord(d, filePart);
      if (exists(posix.resolve(cwd, w))) out.push(w);
    }
    return out;
  }
  const match = componentMatcher(filePart, options.nocase);
  for (const d of dirs) {
    const list = names(posix.resolve(cwd, d === "" ? "." : d), budget);
    if (options.dotDirs && filePart.startsWith(".")) list.push(".", "..");
    for (const n of list) {
      if (!match(n)) continue;
      out.push(joinWord(d, n));
      if (out.length > MAX_EXPANSIONS) throw new ExpansionTooLarge(budget.word, `${MAX_EXPANSIONS} paths`);
    }
  }
  return out;
}

/**
 * Pathname expansion of one brace-free pattern from `cwd`, as bash does it: the matches, or an empty
 * list when nothing matches. Entries read are counted against {@link MAX_GLOB_ENTRIES}.
 *
 * @throws {ExpansionTooLarge} when the pattern reads or matches more than the validator checks.
 */
export function pathnameExpand(
  pattern: string,
  cwd: string,
  options: ExpandOptions,
  budget: GlobBudget = { entries: 0 },
): string[] {
  if (!hasGlob(pattern)) return [];
  return globPath(pattern, cwd, options, { shared: budget, word: pattern });
}

/**
 * Expand one unquoted shell word as bash would, from `cwd`: braces first, then pathname expansion
 * of each alternative (a pattern that matches nothing stays as it is, bash's default).
 * Tilde and `$HOME` must already be replaced; the word must hold no quotes, `$` or `\`.
 *
 * @throws {ExpansionTooLarge} when the word expands to more than the validator checks.
 */
export function expandWord(word: string, cwd: string, options: ExpandOptions): Expansion {
  const patterns = braceExpand(word);
  const budget: GlobBudget = { entries: 0 };
  const words: string[] = [];
  for (const p of patterns) {
    const matched = pathnameExpand(p, cwd, options, budget);
    if (matched.length === 0) words.push(p);
    else for (const m of matched) words.push(m);
    if (words.length > MAX_EXPANSIONS) throw new ExpansionTooLarge(word, `${MAX_EXPANSIONS} paths`);
  }
  return { patterns, words };
}
